// Draws Kubesmith's icon (an anvil-blue rounded square holding a white heptagon wheel, a nod to
// Kubernetes' helm) and writes the PNG sizes, icon.ico and icon.icns that electron-builder wants.
// Pure Node (zlib) so it runs anywhere: `node scripts/make-icons.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const OUT = join(import.meta.dirname, '..', 'resources');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Signed distances in units of the icon (0..1), negative inside.
function roundedSquare(x, y) {
  const r = 0.2;
  const qx = Math.abs(x - 0.5) - (0.44 - r);
  const qy = Math.abs(y - 0.5) - (0.44 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function polygon(x, y, sides, radius) {
  const px = x - 0.5;
  const py = y - 0.5;
  const angle = Math.atan2(py, px) + Math.PI / 2;
  const sector = (2 * Math.PI) / sides;
  const a = (((angle % sector) + sector) % sector) - sector / 2;
  return Math.hypot(px, py) * Math.cos(a) - radius * Math.cos(Math.PI / sides);
}
function wheel(x, y) {
  const ring = Math.abs(polygon(x, y, 7, 0.3)) - 0.045;
  const hub = Math.hypot(x - 0.5, y - 0.5) - 0.075;
  let spokes = Infinity;
  for (let i = 0; i < 7; i++) {
    const t = (i * 2 * Math.PI) / 7 - Math.PI / 2;
    const dx = Math.cos(t);
    const dy = Math.sin(t);
    const px = x - 0.5;
    const py = y - 0.5;
    const along = Math.max(0, Math.min(0.27, px * dx + py * dy));
    spokes = Math.min(spokes, Math.hypot(px - along * dx, py - along * dy) - 0.028);
  }
  return Math.min(ring, hub, spokes);
}

function draw(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const aa = 1 / size;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      const bg = Math.min(1, Math.max(0, 0.5 - roundedSquare(x, y) / aa));
      const fg = Math.min(1, Math.max(0, 0.5 - wheel(x, y) / aa));
      // Vertical gradient from #2563eb to #1e40af.
      const r = 37 + (30 - 37) * y;
      const g = 99 + (64 - 99) * y;
      const b = 235 + (175 - 235) * y;
      const o = (j * size + i) * 4;
      rgba[o] = Math.round(r + (255 - r) * fg);
      rgba[o + 1] = Math.round(g + (255 - g) * fg);
      rgba[o + 2] = Math.round(b + (255 - b) * fg);
      rgba[o + 3] = Math.round(255 * bg);
    }
  }
  return png(size, rgba);
}

function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

function icns(images) {
  const types = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
  const parts = images
    .filter((i) => types[i.size])
    .map(({ size, data }) => {
      const head = Buffer.alloc(8);
      head.write(types[size], 0, 'ascii');
      head.writeUInt32BE(data.length + 8, 4);
      return Buffer.concat([head, data]);
    });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

mkdirSync(join(OUT, 'icons'), { recursive: true });
const images = SIZES.map((size) => ({ size, data: draw(size) }));
for (const { size, data } of images) writeFileSync(join(OUT, 'icons', `${size}x${size}.png`), data);
writeFileSync(join(OUT, 'icon.png'), images.find((i) => i.size === 1024).data);
writeFileSync(join(OUT, 'icon.ico'), ico(images.filter((i) => [16, 24, 32, 48, 64, 128, 256].includes(i.size))));
writeFileSync(join(OUT, 'icon.icns'), icns(images));
console.log(`icons written to ${OUT}: ${SIZES.join(', ')} px, icon.ico, icon.icns`);
