// Warns a signed-in person 2 minutes before they are signed out for doing
// nothing, and lets them stay signed in. The server decides: this script only
// asks it (GET, which does not count as doing something) before warning and
// before leaving the page. Without JavaScript the page says when the session
// ends, with a "Stay signed in" button.
const notice = document.getElementById('idle-notice')
const dialog = document.getElementById('idle-warning')

if (notice && dialog && typeof dialog.showModal === 'function') {
  const warningMs = Number(notice.dataset.warningSeconds) * 1000
  const statusUrl = notice.dataset.statusUrl
  const stayForm = document.getElementById('stay-signed-in')
  const countdown = document.getElementById('idle-countdown')
  const endsAtText = document.getElementById('idle-ends-at')
  let endsAt = Date.now() + Number(notice.dataset.secondsLeft) * 1000
  let warnTimer = 0
  let endTimer = 0
  let tick = 0

  const words = (seconds) => {
    if (seconds > 90) return `${Math.ceil(seconds / 60)} minutes`
    if (seconds > 60) return '1 minute'
    const rounded = seconds > 20 ? Math.ceil(seconds / 10) * 10 : Math.max(seconds, 0)
    return `${rounded} second${rounded === 1 ? '' : 's'}`
  }

  const showCountdown = () => {
    countdown.textContent = words(Math.ceil((endsAt - Date.now()) / 1000))
  }

  const leave = () => {
    // The server has signed the session out: this sends the person to sign in, then back here.
    window.location.assign(window.location.href)
  }

  const askServer = async (options = {}) => {
    try {
      const response = await fetch(options.url || statusUrl, {
        method: options.method || 'GET',
        body: options.body,
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        // Signed out, the answer is a redirect to sign in: not followed here, so the sign-in page
        // the person is then taken to can still say why.
        redirect: 'manual'
      })
      const type = response.headers.get('Content-Type') || ''
      if (!response.ok || !type.startsWith('application/json')) return null
      const answer = await response.json()
      return typeof answer.seconds_left === 'number' ? answer.seconds_left : null
    } catch {
      return undefined // no connection: try again at the next step
    }
  }

  const schedule = (secondsLeft) => {
    if (typeof secondsLeft === 'number') {
      endsAt = Date.now() + secondsLeft * 1000
      const end = new Date(endsAt)
      endsAtText.textContent = end.toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true }).replace(' ', '')
    }
    window.clearTimeout(warnTimer)
    window.clearTimeout(endTimer)
    const left = endsAt - Date.now()
    warnTimer = window.setTimeout(warn, Math.max(0, left - warningMs))
    endTimer = window.setTimeout(end, Math.max(0, left) + 2000)
  }

  const closeWarning = () => {
    window.clearInterval(tick)
    if (dialog.open) dialog.close()
  }

  async function warn () {
    const secondsLeft = await askServer()
    if (secondsLeft === null || secondsLeft === 0) return leave()
    if (secondsLeft !== undefined && secondsLeft * 1000 > warningMs) {
      // Used in another tab since this page opened.
      closeWarning()
      return schedule(secondsLeft)
    }
    showCountdown()
    if (!dialog.open) dialog.showModal()
    window.clearInterval(tick)
    tick = window.setInterval(showCountdown, 1000)
  }

  async function end () {
    const secondsLeft = await askServer()
    if (secondsLeft === undefined) return schedule(30)
    if (secondsLeft === null || secondsLeft === 0) return leave()
    if (secondsLeft * 1000 > warningMs) closeWarning()
    schedule(secondsLeft)
  }

  async function stay () {
    const secondsLeft = await askServer({ url: stayForm.action, method: 'POST', body: new FormData(stayForm) })
    if (secondsLeft === null) return leave()
    closeWarning()
    schedule(secondsLeft)
  }

  document.getElementById('idle-stay').addEventListener('click', stay)
  // Escape closes the warning and keeps the person signed in, as the button does.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stay()
  })
  // Timers in a hidden tab can run late: check again when the tab is shown.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') end()
  })
  schedule()
}
