// Starts MOJ Frontend's components (sortable table, filter toggle, button
// menu and so on) on staff pages. Load after init.js with:
//   <script type="module" src="…/js/staff-init.js" nonce="…"></script>
import { FilterToggleButton, initAll } from './moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// initAll leaves out the filter's "Show filter" button. Without it a filter
// on a small screen would cover the page, so start it here.
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(filter) // eslint-disable-line no-new
}
