import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalStore } from './journal';

const writes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../store/atomic-write', async (actual) => {
  const real = await actual<typeof import('../../store/atomic-write')>();
  return {
    writeFileAtomic: (...args: Parameters<typeof real.writeFileAtomic>) => {
      writes.count++;
      return real.writeFileAtomic(...args);
    },
  };
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('JournalStore writes', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-journal-'));
    path = join(dir, 'deploy-journal.json');
    writes.count = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('records made within the interval of the last write go in the next one; flush writes it at once', async () => {
    const journal = await JournalStore.open(path, 'lab', 60_000);
    // Steps finish one by one, a few milliseconds apart, as in a run.
    for (let i = 0; i < 200; i++) {
      journal.record(`step-${i}`, `hash-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // The first record is written at once; the other 199 wait for the interval (a minute here), which flush cuts short.
    await journal.flush();
    expect(writes.count).toBe(2);
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(onDisk.steps)).toHaveLength(200);
    expect(onDisk.steps['step-199'].hash).toBe('hash-199');
  });

  it('without a flush, a record reaches the disk once the interval has passed', async () => {
    const journal = await JournalStore.open(path, 'lab', 20);
    journal.record('first', 'a');
    journal.record('second', 'b');
    await turn();
    journal.record('third', 'c');
    let text = '';
    while (!text.includes('"third"')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = await readFile(path, 'utf8').catch(() => '');
    }
    expect(JSON.parse(text).steps.third.hash).toBe('c');
    await journal.flush();
  });
});
