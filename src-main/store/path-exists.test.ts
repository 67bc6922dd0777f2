import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { pathExists } from './path-exists';

it('tells a file and a folder that are there from a path that is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exists-'));
  try {
    writeFileSync(join(dir, 'f'), 'x');
    expect(await pathExists(join(dir, 'f'))).toBe(true);
    expect(await pathExists(dir)).toBe(true);
    expect(await pathExists(join(dir, 'missing'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
