import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

const isTest = (file: string): boolean => /\.test\.tsx?$/.test(file);

function allSourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return allSourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function sourceFiles(dir: string): string[] {
  return allSourceFiles(dir).filter((f) => !isTest(f));
}

/** The files a module imports by relative path, resolved as TypeScript resolves them here. */
function importedFiles(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from |import\()'(\.[^']+)'/g)].flatMap((m) => {
    const base = relative(ROOT, join(ROOT, file, '..', m[1]!));
    const found = ['', '.ts', '.tsx', `${sep}index.ts`, `${sep}index.tsx`]
      .map((ext) => base + ext)
      .find((p) => existsSync(join(ROOT, p)) && /\.tsx?$/.test(p));
    return found ? [found] : [];
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

  it('test helpers live under test/: no production module is imported by tests alone, none imports test/', () => {
    const production = ['src-main', 'src-shared', 'src-renderer'].flatMap(sourceFiles);
    const importers = new Map<string, string[]>();
    for (const file of ['src-main', 'src-shared', 'src-renderer', 'test', 'e2e', 'scripts'].flatMap(allSourceFiles)) {
      for (const to of importedFiles(file)) importers.set(to, [...(importers.get(to) ?? []), file]);
    }
    const fromTest = (f: string): boolean => isTest(f) || f.startsWith(`test${sep}`) || f.startsWith(`e2e${sep}`);
    const onlyForTests = production.filter((f) => (importers.get(f) ?? []).length > 0 && importers.get(f)!.every(fromTest));
    const intoTest = production.flatMap((f) =>
      importedFiles(f)
        .filter((to) => to.startsWith(`test${sep}`))
        .map((to) => `${f} -> ${to}`),
    );
    // A helper the benchmark shares with the tests is still a test helper: its name says so.
    const namedAsHelpers = production.filter((f) =>
      /(^|[-_.])(tests?|fixtures?|fakes?|stubs?|mocks?)([-_.]|$)/.test(basename(f, extname(f))),
    );
    expect(onlyForTests).toEqual([]);
    expect(intoTest).toEqual([]);
    expect(namedAsHelpers).toEqual([]);
  });
});
