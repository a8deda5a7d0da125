// Builds the committed front-end files in sendmediation/website/static/website/.
//
//   cd frontend && npm ci && npm run build
//
// 1. Reads colours from config/brand.json, checks their contrast and writes
//    src/_brand.generated.scss.
// 2. Compiles src/app.scss and src/staff.scss (Dart Sass), minified.
// 3. Copies the GOV.UK Frontend and MOJ Frontend JavaScript, our small
//    scripts, the MOJ icons that staff.css uses and the licences.
// 4. Draws the logo, favicon and Apple touch icon.
// 5. Runs scripts/check.mjs on the result.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import * as sass from 'sass'

import { brandSass, frontendDir, readBrand, repoDir } from './brand.mjs'
import { contrastPairs, formatRatio } from './contrast.mjs'
import { markPng, markSvg } from './icons.mjs'
import { check, outDir } from './check.mjs'

const nodeModules = join(frontendDir, 'node_modules')
const govukDist = join(nodeModules, 'govuk-frontend', 'dist', 'govuk')
const mojDist = join(nodeModules, '@ministryofjustice', 'frontend', 'moj')

function write (relativePath, contents) {
  const file = join(outDir, relativePath)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, contents)
}

function relative (file) {
  return file.slice(repoDir.length + 1)
}

// Brand
const brand = readBrand()
const failures = contrastPairs(brand.colours).filter((pair) => pair.ratio < pair.minimum)
if (failures.length) {
  for (const pair of failures) {
    console.error(`Contrast too low: ${pair.label}, ${pair.fg} on ${pair.bg} is ${formatRatio(pair.ratio)} (needs ${pair.minimum}:1)`)
  }
  console.error('Change the colours in config/brand.json.')
  process.exit(1)
}
writeFileSync(join(frontendDir, 'src', '_brand.generated.scss'), brandSass(brand))

// CSS
// GOV.UK Frontend and MOJ Frontend warn about their own deprecated code. We
// cannot change it, so those warnings are counted, not printed.
let dependencyWarnings = 0
const logger = {
  warn (message, { span, stack }) {
    const where = span?.url?.pathname ?? stack?.split('\n')[0] ?? ''
    if (where.includes('node_modules/')) {
      dependencyWarnings++
      return
    }
    console.warn(`Sass warning: ${message}\n${stack ?? ''}`)
  }
}

// Rules for the GOV.UK crown, crest and logotype: the service never shows
// them, so their selectors (for example `.govuk-footer__crown` and
// `.govuk-header__logotype`) are removed from the compiled CSS.
function withoutSelectors (css, pattern) {
  let result = css.replace(/(^|[{};])([^{}@;]+)\{([^{}]*)\}/g, (match, before, selectors, body) => {
    const kept = splitSelectors(selectors).filter((selector) => !pattern.test(selector))
    if (kept.length === 0) return before
    return `${before}${kept.join(',')}{${body}}`
  })
  // Drop @media and @supports blocks left empty.
  let previous
  do {
    previous = result
    result = result.replace(/@(media|supports)[^{}]*\{\}/g, '')
  } while (result !== previous)
  return result
}

// Split a selector list on its top-level commas (not those inside :is() etc).
function splitSelectors (list) {
  const parts = ['']
  let depth = 0
  for (const char of list) {
    if (char === '(') depth++
    if (char === ')') depth--
    if (char === ',' && depth === 0) parts.push('')
    else parts[parts.length - 1] += char
  }
  return parts
}

function compile (name) {
  const result = sass.compile(join(frontendDir, 'src', `${name}.scss`), {
    loadPaths: [frontendDir],
    style: 'compressed',
    sourceMap: false,
    logger
  })
  const css = withoutSelectors(result.css, /crown|crest|logotype|logo-dot/i) + '\n'
  write(`css/${name}.css`, css)
  return css
}

compile('app')
const staffCss = compile('staff')
if (dependencyWarnings) {
  console.log(`Sass: ${dependencyWarnings} deprecation warning(s) from GOV.UK Frontend or MOJ Frontend not shown.`)
}

// MOJ icons used by staff.css (and only those).
rmSync(join(outDir, 'images', 'moj'), { recursive: true, force: true })
for (const [, name] of staffCss.matchAll(/url\(["']?\.\.\/images\/moj\/([^"')]+)["']?\)/g)) {
  copyFileSync(join(mojDist, 'assets', 'images', name), ensureDir(join(outDir, 'images', 'moj', name)))
}

function ensureDir (file) {
  mkdirSync(dirname(file), { recursive: true })
  return file
}

// JavaScript. The packages' source maps are not shipped, so their
// `sourceMappingURL` comments are removed (Django's ManifestStaticFilesStorage
// would otherwise fail looking for the .map files).
function copyScript (from, to) {
  const code = readFileSync(from, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
  write(`js/${to}`, code)
}
copyScript(join(govukDist, 'govuk-frontend.min.js'), 'govuk-frontend.min.js')
copyScript(join(mojDist, 'moj-frontend.min.js'), 'moj-frontend.min.js')
for (const name of ['supported.js', 'init.js', 'staff-init.js', 'idle-warning.js']) {
  copyScript(join(frontendDir, 'src', 'js', name), name)
}

// Images: our own mark, in the brand colour.
const { brand: brandColour } = brand.colours
write('images/logo.svg', markSvg({ background: brandColour, letter: '#ffffff' }))
write('images/logo-inverse.svg', markSvg({ background: '#ffffff', letter: brandColour }))
write('images/favicon.svg', markSvg({ background: brandColour, letter: '#ffffff' }))
write('images/apple-touch-icon.png', markPng({ background: brandColour, letter: '#ffffff', pixels: 180, square: true }))

// Licences. Neither npm package includes its licence file, so the texts
// (from each project's repository) are kept in frontend/licences/.
for (const name of ['govuk-frontend-LICENSE.txt', 'moj-frontend-LICENSE.txt']) {
  write(`licences/${name}`, readFileSync(join(frontendDir, 'licences', name)))
}

console.log(`Built into ${relative(outDir)}/`)
if (!check({ verbose: true })) {
  process.exit(1)
}
