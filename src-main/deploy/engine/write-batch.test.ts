import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { localShell } from '../../../test/support/deploy/local-shell';
import { fileStep } from '../steps';
import { writeBatch } from './write-batch';

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
});
