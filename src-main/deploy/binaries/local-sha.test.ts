import { createHash } from 'node:crypto';
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSha256 } from './local-sha';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('localSha256', () => {
  it('follows the file: the same answer while unchanged, the new one after a rewrite of the same size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-sha-'));
    const file = join(dir, 'kubelet');
    await writeFile(file, 'one');
    expect(await localSha256(file)).toBe(sha('one'));
    expect(await localSha256(file)).toBe(sha('one'));
    await writeFile(join(dir, 'next'), 'two');
    await rename(join(dir, 'next'), file);
    expect(await localSha256(file)).toBe(sha('two'));
  });
});
