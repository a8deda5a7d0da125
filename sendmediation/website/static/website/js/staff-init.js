// Starts MOJ Frontend's components (sortable table, filter toggle, button
// menu and so on) on staff pages. Load after init.js with:
//   <script type="module" src="…/js/staff-init.js" nonce="…"></script>
import { initAll } from './moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
