// Checks the committed front-end files. Needs only Node (no npm install), so
// CI can run it: `node frontend/scripts/check.mjs`. Exits non-zero on a
// problem, for example CSS that is stale after a change to config/brand.json.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { derivedColours, readBrand, repoDir } from './brand.mjs'
import { contrastPairs, formatRatio } from './contrast.mjs'

export const outDir = join(repoDir, 'sendmediation', 'website', 'static', 'website')

export const OUTPUTS = [
  'css/app.css',
  'css/staff.css',
  'js/govuk-frontend.min.js',
  'js/moj-frontend.min.js',
  'js/supported.js',
  'js/init.js',
  'js/staff-init.js',
  'js/idle-warning.js',
  'images/logo.svg',
  'images/logo-inverse.svg',
  'images/favicon.svg',
  'images/apple-touch-icon.png',
  'licences/govuk-frontend-LICENSE.txt',
  'licences/moj-frontend-LICENSE.txt'
]

function expandHex (hex) {
  const h = hex.toLowerCase().replace('#', '')
  return '#' + (h.length === 3 ? [...h].map((c) => c + c).join('') : h)
}

function filesUnder (dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

export function check ({ verbose = false } = {}) {
  const problems = []
  const show = (line) => verbose && console.log(line)

  for (const file of OUTPUTS) {
    if (!existsSync(join(outDir, file))) problems.push(`missing ${file}`)
  }
  if (problems.length) return report(problems)

  const brand = readBrand()
  const css = {
    app: readFileSync(join(outDir, 'css/app.css'), 'utf8'),
    staff: readFileSync(join(outDir, 'css/staff.css'), 'utf8')
  }

  for (const [name, text] of Object.entries(css)) {
    if (/GDS Transport/i.test(text)) problems.push(`${name}.css mentions GDS Transport`)
    if (/@font-face/i.test(text)) problems.push(`${name}.css has an @font-face rule`)
    if (/crown|crest|logotype/i.test(text)) problems.push(`${name}.css mentions a crown, crest or logotype`)
    if (/sourceMappingURL/.test(text)) problems.push(`${name}.css refers to a source map`)
    // Every url(...) must be a file that exists (relative to the CSS file,
    // or /static/... for a path under a Django app's static folder).
    for (const [, raw] of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
      if (raw.startsWith('data:') || raw.startsWith('#')) continue
      const path = raw.split(/[?#]/)[0]
      const target = path.startsWith('/static/')
        ? join(repoDir, 'sendmediation', 'website', 'static', path.slice('/static/'.length))
        : resolve(outDir, 'css', path)
      if (/^[a-z]+:|^\/\//i.test(path)) {
        problems.push(`${name}.css loads ${raw} from another site`)
      } else if (!existsSync(target)) {
        problems.push(`${name}.css refers to ${raw}, which does not exist`)
      }
    }
  }

  // staff.css must not repeat app.css: only MOJ Frontend's classes.
  if (/--govuk-[a-z-]+-colour:/.test(css.staff) || /\.govuk-(template|body|width-container|header|footer)\s*[{,]/.test(css.staff)) {
    problems.push('staff.css repeats GOV.UK Frontend styles that belong in app.css')
  }

  // The compiled colours must match config/brand.json (catches a brand
  // change without a rebuild).
  const expected = {
    brand: brand.colours.brand,
    link: brand.colours.link,
    'link-visited': brand.colours.link_visited,
    'link-hover': brand.colours.link_hover,
    focus: brand.colours.focus,
    'focus-text': brand.colours.focus_text,
    'surface-background': derivedColours(brand.colours).surface_background
  }
  for (const [name, value] of Object.entries(expected)) {
    const match = css.app.match(new RegExp(`--govuk-${name}-colour:\\s*(#[0-9a-f]{3,6})\\b`, 'i'))
    if (!match || expandHex(match[1]) !== value) {
      problems.push(`app.css has ${name} colour ${match ? match[1] : '(none)'}, config/brand.json says ${value}: run npm run build in frontend/`)
    }
  }
  const header = css.app.match(/@media screen\{\.govuk-generic-header\{background-color:(#[0-9a-f]{3,6})\}/i)
  if (!header || expandHex(header[1]) !== brand.colours.header_background) {
    problems.push(`app.css header background does not match config/brand.json: run npm run build in frontend/`)
  }

  for (const file of filesUnder(join(outDir, 'js'))) {
    const code = readFileSync(file, 'utf8')
    if (/sourceMappingURL/.test(code)) problems.push(`${relative(outDir, file)} refers to a source map`)
  }

  show('Contrast (WCAG 2.2):')
  for (const pair of contrastPairs(brand.colours)) {
    const ok = pair.ratio >= pair.minimum
    show(`  ${ok ? 'pass' : 'FAIL'}  ${formatRatio(pair.ratio).padStart(8)}  ${pair.label} (${pair.fg} on ${pair.bg}, needs ${pair.minimum}:1)`)
    if (!ok) problems.push(`contrast too low: ${pair.label}`)
  }

  show('Files:')
  for (const file of filesUnder(outDir).sort()) {
    show(`  ${String(statSync(file).size).padStart(8)} bytes  ${relative(outDir, file)}`)
  }
  return report(problems)
}

function report (problems) {
  for (const problem of problems) console.error(`Problem: ${problem}`)
  if (!problems.length) console.log('Front-end check: all good.')
  return problems.length === 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(check({ verbose: process.argv.includes('--verbose') }) ? 0 : 1)
}
