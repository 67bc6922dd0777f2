import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { localShell } from '../../../test/support/deploy/local-shell';
import { fileStep } from '../steps';
import { traceShell } from '../../../test/support/trace-shell';
import { sumsKey } from './file-step';
import { tempBeside, writeBatch, writeBatchCommand } from './write-batch';

describe('writeBatch (through a real sh)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-batch-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const file = (name: string, text: string, mode = '0644'): PlanStep =>
    fileStep(`x/${name}`, name, { path: join(dir, 'etc', name), text, mode });

  it('writes every file in one command, each with its own bytes and mode, whatever they hold', async () => {
    const texts = ['first\n', '', 'no newline at the end', 'ks-wrote 7\n\\n \\\\ $HOME `id`\n'.repeat(200), 'x'.repeat(2 * 1024 * 1024)];
    const steps = texts.map((t, i) => file(`f${i}`, t, i === 2 ? '0600' : '0644'));
    let execs = 0;
    const counted = { ...localShell, exec: (c: ShellCommand, o?: object) => (execs++, localShell.exec(c, o)) } as typeof localShell;
    expect(await writeBatch(counted, steps)).toEqual({ written: texts.length });
    expect(execs).toBe(1);
    for (const [i, t] of texts.entries()) expect(await readFile(join(dir, 'etc', `f${i}`), 'utf8')).toBe(t);
    expect((await stat(join(dir, 'etc', 'f2'))).mode & 0o777).toBe(0o600);
    expect((await readdir(join(dir, 'etc'))).sort()).toEqual(texts.map((_, i) => `f${i}`).sort());
  });

  it('stops at the first file that fails: the ones before it are in place, it and the ones after untouched', async () => {
    await writeFile(join(dir, 'old'), 'old\n');
    const broken = { ...file('b', 'b\n'), action: { ...(file('b', 'b\n').action as object), sha256: '0'.repeat(64) } } as PlanStep;
    const outcome = await writeBatch(localShell, [file('a', 'a\n'), broken, file('c', 'c\n')]);
    expect(outcome.written).toBe(1);
    expect(outcome.error).toMatchObject({ name: 'StepFailed', stepTitle: 'b' });
    expect(String((outcome.error as { stderr: string }).stderr)).toContain('damaged');
    expect(await readdir(join(dir, 'etc'))).toEqual(['a']);
  });

  it.each(['dash', 'bash'])(
    '%s: one hasher and one stat for the whole batch: a file costs its head and its mv, and is recorded for the next run',
    async (shell) => {
      const sums = join(dir, 'sums');
      mkdirSync(sums);
      const texts = ['one\n', 'two two\n', 'a secret\n', 'four\n', '', 'six\n'];
      const files = texts.map((t, i) => ({
        path: join(dir, i % 2 ? 'etc' : 'new/dir', `f ${i}`),
        sha256: createHash('sha256').update(t).digest('hex'),
        mode: i === 2 ? '0600' : i === 3 ? '0755' : '0644',
        bytes: Buffer.byteLength(t),
      }));
      const r = traceShell(shell, writeBatchCommand(files, 'abcdef012345', sums).command, { input: texts.join('') });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n')).toEqual(files.map((_, i) => `ks-wrote ${i}`));
      for (const [i, f] of files.entries()) {
        expect(await readFile(f.path, 'utf8')).toBe(texts[i]);
        const st = await stat(f.path);
        expect((st.mode & 0o777).toString(8)).toBe(String(parseInt(f.mode, 8).toString(8)));
        // The record fileStates reads: size, inode, nanosecond mtime, then the SHA-256.
        const [meta, sum] = (await readFile(sumsKey(f.path, sums), 'utf8')).trim().split(' ');
        expect(sum).toBe(f.sha256);
        expect(meta?.split(':').slice(0, 2)).toEqual([String(st.size), String(st.ino)]);
      }
      // Per file a head (in its umask subshell, exec'd) and a mv; the 0755 file a chmod; for the batch mkdir, the hasher
      // and stat. Written one by one, each file started a head, the hasher, stat and mv.
      const count = (name: string) => r.started.filter((p) => p === name).length;
      expect([count('head'), count('mv'), count('sha256sum'), count('stat'), count('chmod')]).toEqual([6, 6, 1, 1, 1]);
      expect(r.started.length).toBeLessThanOrEqual(2 * files.length + 5);
      expect(await readdir(join(dir, 'etc'))).toEqual(['f 1', 'f 3', 'f 5']);
    },
  );

  it('names its temp files beside their targets, and refuses a relative path or a token that is not hex', () => {
    expect(tempBeside('/etc/kubernetes/admin.conf', 'abcdef012345')).toBe('/etc/kubernetes/.admin.conf.ks-abcdef012345.tmp');
    expect(() => tempBeside('etc/x', 'abcdef012345')).toThrow(/temp file/);
    expect(() => tempBeside('/etc/x', "a'; rm -rf /")).toThrow(/temp file/);
  });
});
