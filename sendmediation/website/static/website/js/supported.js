// Tells the CSS (and GOV.UK Frontend and MOJ Frontend) that JavaScript runs
// and that the browser can run their ES modules. It does the job of the
// inline snippet in GOV.UK Frontend's page template, as a file, so pages can
// keep a strict Content Security Policy.
//
// Load it as an ordinary (not module, not deferred) script, with the nonce,
// in <head> or as the first thing in <body>:
//   <script src="…/js/supported.js" nonce="…"></script>
// In <head> the <body> does not exist yet, so the classes go on <html>, which
// is enough for the CSS; init.js adds them to <body> before initialising.
(function () {
  var classes = ['js-enabled']
  if ('noModule' in HTMLScriptElement.prototype) {
    classes.push('govuk-frontend-supported')
  }
  for (var i = 0; i < classes.length; i++) {
    document.documentElement.classList.add(classes[i])
    if (document.body) {
      document.body.classList.add(classes[i])
    }
  }
})()
