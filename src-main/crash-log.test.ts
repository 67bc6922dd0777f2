import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crashSummary, logCrash } from './crash-log';

describe('logCrash', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-crash-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends each error with its kind, time and stack', async () => {
    const file = await logCrash(join(dir, 'logs'), 'uncaughtException', new TypeError('bad thing'), new Date('2026-01-02T03:04:05Z'));
    await logCrash(join(dir, 'logs'), 'unhandledRejection', 'plain reason');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('[2026-01-02T03:04:05.000Z] uncaughtException: TypeError: bad thing');
    expect(text).toContain('crash-log.test.ts');
    expect(text).toContain('unhandledRejection: plain reason');
  });

  it('summarises for the dialog without the stack', () => {
    expect(crashSummary(new RangeError('out of range'))).toBe('RangeError: out of range');
    expect(crashSummary(42)).toBe('42');
  });
});
