import { createHash } from 'node:crypto';
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { localSha256 } from './local-sha';

// Counts the reads of each file (the module reads through createReadStream).
const reads = vi.hoisted(() => new Map<string, number>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    createReadStream: (path: string, ...rest: unknown[]) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return (fs.createReadStream as (...a: unknown[]) => unknown)(path, ...rest);
    },
  };
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('localSha256', () => {
  it('follows the file: the same answer while unchanged, the new one after a rewrite of the same size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-sha-'));
    const file = join(dir, 'kubelet');
    await writeFile(file, 'one');
    expect(await localSha256(file)).toBe(sha('one'));
    expect(await localSha256(file)).toBe(sha('one'));
    expect(reads.get(file)).toBe(1);
    await writeFile(join(dir, 'next'), 'two');
    await rename(join(dir, 'next'), file);
    expect(await localSha256(file)).toBe(sha('two'));
    expect(reads.get(file)).toBe(2);
  });

  it('reads a file once however many hosts ask for it at the same time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-sha-'));
    const file = join(dir, 'containerd');
    const bytes = 'x'.repeat(3 << 20);
    await writeFile(file, bytes);
    const answers = await Promise.all(Array.from({ length: 24 }, () => localSha256(file)));
    expect(new Set(answers)).toEqual(new Set([sha(bytes)]));
    expect(reads.get(file)).toBe(1);
  });
});
