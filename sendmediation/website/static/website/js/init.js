// Starts GOV.UK Frontend's components on every page. Load with:
//   <script type="module" src="…/js/init.js" nonce="…"></script>
// A browser that runs this module can run GOV.UK Frontend, so mark <body>
// as supported (GOV.UK Frontend checks <body> for the class).
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
