import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { mergeFeeds } from '../../scripts/merge-mac-feed.mjs';

const feed = (version: string, arch: string, date: string) =>
  stringify({
    version,
    files: [
      { url: `Kubesmith-${version}${arch}-mac.zip`, sha512: `zip${arch}`, size: 1 },
      { url: `Kubesmith-${version}${arch}.dmg`, sha512: `dmg${arch}`, size: 2 },
    ],
    path: `Kubesmith-${version}${arch}-mac.zip`,
    sha512: `zip${arch}`,
    releaseDate: date,
  });

describe('mergeFeeds', () => {
  it('lists the files of both macOS builds in one latest-mac.yml', () => {
    const merged = parse(mergeFeeds([feed('1.0.0', '', '2026-12-01T10:00:00.000Z'), feed('1.0.0', '-arm64', '2026-12-01T10:05:00.000Z')]));
    expect(merged.version).toBe('1.0.0');
    expect(merged.files.map((f: { url: string }) => f.url)).toEqual([
      'Kubesmith-1.0.0-mac.zip',
      'Kubesmith-1.0.0.dmg',
      'Kubesmith-1.0.0-arm64-mac.zip',
      'Kubesmith-1.0.0-arm64.dmg',
    ]);
    expect(merged.releaseDate).toBe('2026-12-01T10:05:00.000Z');
  });

  it('refuses feeds of different versions', () => {
    expect(() => mergeFeeds([feed('1.0.0', '', 'x'), feed('1.0.1', '-arm64', 'x')])).toThrow(/different versions: 1.0.0, 1.0.1/);
  });
});
