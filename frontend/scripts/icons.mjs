// The service's own mark: a rounded square with a letter K, drawn from a few
// straight-edged shapes so the same geometry gives the SVGs and a PNG
// (rasterised here, so no image tools are needed).
import { deflateSync } from 'node:zlib'

// Drawing area is 64 × 64 units.
const SIZE = 64
const RADIUS = 14

// The letter K: a stem, an upper arm and a lower leg.
const K_SHAPES = [
  [[17, 13], [26.5, 13], [26.5, 51], [17, 51]],
  [[39.5, 13], [51, 13], [26.5, 39.5], [26.5, 26.5]],
  [[33.5, 30], [51.5, 51], [40.5, 51], [27.5, 36.5]]
]

function path (points) {
  return 'M' + points.map(([x, y]) => `${x} ${y}`).join('L') + 'Z'
}

const K_PATH = K_SHAPES.map(path).join('')

// background: the square's colour; letter: the K's colour.
export function markSvg ({ background, letter, title }) {
  const label = title
    ? ` role="img" aria-labelledby="t"><title id="t">${escapeXml(title)}</title>`
    : ' aria-hidden="true">'
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}"${label}`,
    `<rect width="${SIZE}" height="${SIZE}" rx="${RADIUS}" fill="${background}"/>`,
    `<path fill="${letter}" d="${K_PATH}"/>`,
    '</svg>',
    ''
  ].join('\n')
}

function escapeXml (text) {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c])
}

function insidePolygon (x, y, points) {
  let inside = false
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]
    const [xj, yj] = points[j]
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside
    }
  }
  return inside
}

function insideRoundedSquare (x, y, radius) {
  const cx = Math.min(Math.max(x, radius), SIZE - radius)
  const cy = Math.min(Math.max(y, radius), SIZE - radius)
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
}

function parseHex (hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
}

// An RGBA PNG of the mark, `pixels` wide and high. With `square`, the
// background fills the whole image (as Apple touch icons should: the device
// rounds the corners itself).
export function markPng ({ background, letter, pixels, square = false }) {
  const bg = parseHex(background)
  const fg = parseHex(letter)
  const samples = 4
  const scale = SIZE / pixels
  const rowLength = pixels * 4 + 1
  const raw = Buffer.alloc(rowLength * pixels)
  for (let py = 0; py < pixels; py++) {
    raw[py * rowLength] = 0 // filter: none
    for (let px = 0; px < pixels; px++) {
      let cover = 0
      let ink = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale
          const y = (py + (sy + 0.5) / samples) * scale
          if (square || insideRoundedSquare(x, y, RADIUS)) {
            cover++
            if (K_SHAPES.some((shape) => insidePolygon(x, y, shape))) ink++
          }
        }
      }
      const offset = py * rowLength + 1 + px * 4
      for (let c = 0; c < 3; c++) {
        raw[offset + c] = cover ? Math.round((bg[c] * (cover - ink) + fg[c] * ink) / cover) : 0
      }
      raw[offset + 3] = Math.round((cover / (samples * samples)) * 255)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(pixels, 0)
  header.writeUInt32BE(pixels, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32 (buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk (type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
