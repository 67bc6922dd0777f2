// The macOS builds run on two runners (x64 and arm64), and each writes its own latest-mac.yml listing only its
// files. electron-updater's MacUpdater picks the zip for its CPU from one latest-mac.yml, so the release needs both
// lists in one file: `node scripts/merge-mac-feed.mjs OUT IN...` merges them (same version required).
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export function mergeFeeds(texts) {
  const feeds = texts.map((text) => parse(text));
  const versions = new Set(feeds.map((f) => f?.version));
  if (versions.size !== 1 || !feeds[0]?.version) throw new Error(`the feeds are of different versions: ${[...versions].join(', ')}`);
  const files = new Map();
  for (const feed of feeds) for (const file of feed.files ?? []) files.set(file.url, file);
  const releaseDate = feeds
    .map((f) => f.releaseDate)
    .sort()
    .pop();
  return stringify({ ...feeds[0], files: [...files.values()], ...(releaseDate ? { releaseDate } : {}) });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || inputs.length === 0) {
    console.error('usage: node scripts/merge-mac-feed.mjs OUT.yml IN.yml...');
    process.exit(2);
  }
  try {
    writeFileSync(out, mergeFeeds(inputs.map((f) => readFileSync(f, 'utf8'))));
    console.log(`merge-mac-feed: ${inputs.length} feeds merged into ${out}`);
  } catch (err) {
    console.error(`merge-mac-feed: ${err.message}`);
    process.exit(1);
  }
}
