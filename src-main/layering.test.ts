import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** The folder (or root file) of src-main an import lands in, or the top folder outside it. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^import[^'"]*from '(\.[^']+)'/gm)].map((m) => {
    const target = relative(ROOT, join(ROOT, file, '..', m[1]!)).split(sep);
    return target[0] === 'src-main' ? target[1]! : target[0]!;
  });
}

/** Folders that serve the contract to the outside: nothing below them may import them. */
const TOP = new Set(['api', 'server', 'electron', 'backend']);

describe('layering runs one way', () => {
  it('no domain folder of src-main imports the API, the servers or the Electron shell', () => {
    const upward = sourceFiles('src-main')
      .filter((f) => !TOP.has(f.split(sep)[1]!) && f.split(sep).length > 2)
      .flatMap((f) =>
        importedFolders(f)
          .filter((to) => TOP.has(to))
          .map((to) => `${f} -> ${to}`),
      );
    expect(upward).toEqual([]);
  });

  it('src-shared imports neither side', () => {
    const crossing = sourceFiles('src-shared').flatMap((f) =>
      importedFolders(f)
        .filter((to) => to === 'src-main' || to === 'src-renderer' || (to !== 'src-shared' && to.startsWith('src-')))
        .map((to) => `${f} -> ${to}`),
    );
    expect(crossing).toEqual([]);
  });

  it('only electron/ imports electron', () => {
    const importers = sourceFiles('src-main').filter(
      (f) => f.split(sep)[1] !== 'electron' && /^import[^'"]*from 'electron'/m.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(importers).toEqual([]);
  });
});
