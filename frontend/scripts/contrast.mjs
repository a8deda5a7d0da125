// WCAG 2.2 contrast ratios for the brand colours.
import { derivedColours, hexToRgb } from './brand.mjs'

export const WHITE = '#ffffff'
// GOV.UK Frontend's text and secondary text colours (functional colours
// "text" and "secondary-text"), which the brand does not change.
export const TEXT = '#0b0c0c'
export const SECONDARY_TEXT = '#484949'

function luminance (hex) {
  const [r, g, b] = hexToRgb(hex).map((c) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrast (a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

// Each pair is foreground on background, with the minimum it must meet.
// 4.5:1 is WCAG 2.2 AA for normal-size text (SC 1.4.3). The focus outline
// and indicator against the page only need 3:1 (SC 1.4.11).
export function contrastPairs (colours) {
  const d = derivedColours(colours)
  return [
    ['Link on white', colours.link, WHITE, 4.5],
    ['Visited link on white', colours.link_visited, WHITE, 4.5],
    ['Hover link on white', colours.link_hover, WHITE, 4.5],
    ['Link on the light brand surface (service navigation, footer)', colours.link, d.surface_background, 4.5],
    ['Visited link on the light brand surface', colours.link_visited, d.surface_background, 4.5],
    ['Hover link on the light brand surface', colours.link_hover, d.surface_background, 4.5],
    ['Body text on the light brand surface', TEXT, d.surface_background, 4.5],
    ['Secondary (hint) text on the light brand surface', SECONDARY_TEXT, d.surface_background, 4.5],
    ['White text on the brand colour (panel, notification banner, MOJ tag)', WHITE, colours.brand, 4.5],
    ['White text on the header background', WHITE, colours.header_background, 4.5],
    ['Focused text on the focus colour', colours.focus_text, colours.focus, 4.5],
    ['Focus colour against the header background', colours.focus, colours.header_background, 3]
  ].map(([label, fg, bg, minimum]) => ({
    label, fg, bg, minimum, ratio: contrast(fg, bg)
  }))
}

export function formatRatio (ratio) {
  // Round down so a reported pass is never flattering.
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`
}
