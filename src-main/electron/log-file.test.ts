import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLogFile } from './log-file';

describe('openLogFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-logs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends time-stamped lines, indenting continuation lines, in a folder it makes', async () => {
    const logs = join(dir, 'Logs', 'Kubesmith');
    const log = openLogFile(logs, 1000, () => new Date('2026-12-05T10:00:00Z'));
    log.write('info', 'started');
    log.write('error', 'failed\nat line 2');
    expect(await readFile(join(logs, 'main.log'), 'utf8')).toBe(
      '[2026-12-05T10:00:00.000Z] info: started\n[2026-12-05T10:00:00.000Z] error: failed\n    at line 2\n',
    );
  });

  it('moves a full log to main.1.log and starts a new one', async () => {
    const log = openLogFile(dir, 150); // about two lines
    for (let i = 0; i < 5; i++) log.write('info', `line ${i} ${'x'.repeat(30)}`);
    const old = await readFile(join(dir, 'main.1.log'), 'utf8');
    const current = await readFile(join(dir, 'main.log'), 'utf8');
    expect(old).toContain('line 0');
    expect(current).toContain('line 4');
    expect(current).not.toContain('line 0');
  });

  it('never throws when the folder cannot be written', async () => {
    await chmod(dir, 0o500);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const log = openLogFile(join(dir, 'sub'));
      expect(() => log.write('info', 'x')).not.toThrow();
      if (process.getuid?.() !== 0) expect(error).toHaveBeenCalledOnce();
    } finally {
      error.mockRestore();
      await chmod(dir, 0o700);
    }
  });
});
