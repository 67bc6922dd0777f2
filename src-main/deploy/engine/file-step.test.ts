import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileAction } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sha256 } from '../hash';
import { fileStep, variantFileStep } from '../steps';
import { raw, sh } from '../../ssh/shell';
import { localShell } from '../../../test/support/deploy/local-shell';
import { atomicWriteCommand, ensureFile, FILE_STATES_END, fileStates, sumsKey } from './file-step';

const actionOf = (s: ReturnType<typeof fileStep>): FileAction => s.action as FileAction;

describe('ensureFile (through a real sh)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a new file with its mode, then finds it unchanged and sends nothing', async () => {
    const path = join(dir, 'etc', 'a b', 'unit.service');
    const action = actionOf(fileStep('x', 'unit', { path, text: 'hello\n', mode: '0640' }));
    expect(await ensureFile(localShell, 'unit', action)).toEqual({ changed: true, bytes: 6 });
    expect(await readFile(path, 'utf8')).toBe('hello\n');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await ensureFile(localShell, 'unit', action)).toEqual({ changed: false, bytes: 0 });
  });

  it('fixes only the mode when the content already matches', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'same\n', { mode: 0o600 });
    const action = actionOf(fileStep('x', 'f', { path, text: 'same\n', mode: '0644' }));
    expect(await ensureFile(localShell, 'f', action)).toEqual({ changed: true, bytes: 0 });
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('refuses damaged content and leaves neither a temp file nor a changed target', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'old\n');
    const r = await localShell.exec(atomicWriteCommand(path, '0'.repeat(64), '0644').command, { stdin: Buffer.from('new\n') });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('damaged');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await readdir(dir)).toEqual(['f']);
  });

  // Stand-ins that log how they were called and then run the real command.
  const wrap = async (name: string, body: string) => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, name), `#!/bin/sh\necho "${name} $#" >> ${JSON.stringify(join(dir, 'calls'))}\n${body}\n`, { mode: 0o755 });
    return bin;
  };
  const writeWith = (bin: string, path: string, text: string) =>
    localShell.exec(sh`PATH=${bin}:"$PATH"; ${atomicWriteCommand(path, sha256(text), '0644', 'small')}`.command, {
      stdin: Buffer.from(text),
    });

  it('hashes the bytes as it writes them: the hasher reads its stdin, never the written file again', async () => {
    await wrap('sha256sum', 'exec /usr/bin/sha256sum "$@"');
    const bin = await wrap('openssl', 'exec /usr/bin/openssl "$@"');
    const path = join(dir, 'out', 'f');
    // A small file: sha256sum, which starts faster than openssl; no file name given.
    expect((await writeWith(bin, path, 'payload\n')).code).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('payload\n');
    expect(await readFile(join(dir, 'calls'), 'utf8')).toBe('sha256sum 0\n');
    // An artifact: openssl (`dgst -sha256 -r`), which hashes large inputs several times faster.
    await rm(join(dir, 'calls'));
    const big = 'x'.repeat(2 * 1024 * 1024);
    const r = await localShell.exec(sh`PATH=${bin}:"$PATH"; ${atomicWriteCommand(path, sha256(big), '0644', 'large')}`.command, {
      stdin: Buffer.from(big),
    });
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'calls'), 'utf8')).toBe('openssl 3\n');
  });

  it('installs nothing when writing the temp file failed, though every byte passed through', async () => {
    const bin = await wrap('tee', 'cat; echo "tee: No space left on device" >&2; exit 1');
    const path = join(dir, 'out', 'f');
    await mkdir(join(dir, 'out'));
    await writeFile(path, 'old\n');
    const r = await writeWith(bin, path, 'new\n');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('No space left on device');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await readdir(join(dir, 'out'))).toEqual(['f']);
  });

  it('writes the variant the host command picks', async () => {
    const path = join(dir, 'config.toml');
    const step = variantFileStep('x', 'cfg', {
      path,
      chooseBy: raw('echo containerd github.com/containerd/containerd 1.6.20~ds1'),
      variants: [
        { match: '\\sv?2\\.', label: 'v3', text: 'version = 3\n' },
        { match: '\\sv?1\\.', label: 'v2', text: 'version = 2\n' },
      ],
    });
    expect(await ensureFile(localShell, 'cfg', step.action as FileAction)).toMatchObject({ changed: true, variant: 'v2' });
    expect(await readFile(path, 'utf8')).toBe('version = 2\n');
  });

  it('says so when no variant fits the host', async () => {
    const step = variantFileStep('x', 'cfg', {
      path: join(dir, 'c'),
      chooseBy: raw('echo nothing known'),
      variants: [{ match: '^v9', label: 'v9', text: '' }],
    });
    await expect(ensureFile(localShell, 'cfg', step.action as FileAction)).rejects.toMatchObject({ name: 'NoMatchingVariant' });
  });

  it("reads many files' SHA-256 and mode in one command, and trusts that for unchanged files", async () => {
    const a = join(dir, 'a');
    await writeFile(a, 'x\n', { mode: 0o640 });
    const states = await fileStates(localShell, [a, join(dir, 'missing file')], undefined, join(dir, 'sums'));
    expect(states.get(a)?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(states.get(a)?.mode).toBe('640');
    expect(states.has(join(dir, 'missing file'))).toBe(true);
    expect(states.get(join(dir, 'missing file'))).toBeUndefined();
    const action = actionOf(fileStep('x', 'a', { path: a, text: 'x\n', mode: '0640' }));
    expect(await ensureFile(localShell, 'a', action, undefined, { state: states.get(a) })).toEqual({ changed: false, bytes: 0 });
  });

  it('reads the files with one stat whatever their names, and keeps each record where the writes keep it (sumsKey)', async () => {
    const names = ['a', 'b c', "it's", 'x|y', 'x', 'back\\slash', ' lead and trail '];
    const paths = names.map((n) => join(dir, n));
    for (const [i, p] of paths.entries()) {
      await writeFile(p, `${names[i]}\n`);
      await chmod(p, 0o600 + i);
    }
    await mkdir(join(dir, 'folder'));
    // stat is wrapped to count its calls (the shell finds it on PATH).
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'stat'), `#!/bin/sh\necho x >> ${JSON.stringify(join(dir, 'stat-calls'))}\nexec /usr/bin/stat "$@"\n`, {
      mode: 0o755,
    });
    const counted = {
      ...localShell,
      exec: (c: string, o?: object) => localShell.exec(`PATH=${bin}:$PATH\n${c}` as ShellCommand, o),
    } as typeof localShell;
    const calls = async () => (await readFile(join(dir, 'stat-calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    const sums = join(dir, 'sums');
    const asked = [...paths, join(dir, 'missing'), join(dir, 'folder')];
    const states = await fileStates(counted, asked, undefined, sums);
    expect(await calls()).toBe(1);
    for (const [i, p] of paths.entries()) {
      expect(states.get(p), names[i]).toEqual({ sha256: sha256(`${names[i]}\n`), mode: (0o600 + i).toString(8) });
      expect((await readFile(sumsKey(p, sums), 'utf8')).trim().split(' ').at(-1), names[i]).toBe(sha256(`${names[i]}\n`));
    }
    expect(states.has(join(dir, 'missing'))).toBe(true);
    expect(states.get(join(dir, 'missing'))).toBeUndefined();
    expect(states.get(join(dir, 'folder'))).toBeUndefined();
  });

  it('an answer cut short (no end line) says nothing, so no file counts as missing', async () => {
    const a = join(dir, 'a');
    await writeFile(a, 'x\n');
    const cut = {
      ...localShell,
      exec: async (c: string, o?: object) => {
        const r = await localShell.exec(c as ShellCommand, o);
        return { ...r, stdout: r.stdout.replace(`${FILE_STATES_END}\n`, '') };
      },
    } as typeof localShell;
    expect((await fileStates(cut, [a, join(dir, 'missing')], undefined, join(dir, 'sums'))).size).toBe(0);
  });

  it('hashes a file again only when its size, inode or mtime changed since the last check', async () => {
    const a = join(dir, 'big');
    const sums = join(dir, 'sums');
    await writeFile(a, 'one\n');
    const first = (await fileStates(localShell, [a], undefined, sums)).get(a)!.sha256;
    // The record is what an unchanged file is answered from: a forged sum in it shows it was not read again.
    const [record] = await readdir(sums);
    const recordPath = join(sums, record!);
    const [meta] = (await readFile(recordPath, 'utf8')).trim().split(' ');
    await writeFile(recordPath, `${meta} ${'f'.repeat(64)}\n`);
    expect((await fileStates(localShell, [a], undefined, sums)).get(a)!.sha256).toBe('f'.repeat(64));
    // Rewritten as the deploy writes (a temp file renamed over it), same size: a new inode, so hashed again.
    await writeFile(`${a}.tmp`, 'two\n');
    await rename(`${a}.tmp`, a);
    const second = (await fileStates(localShell, [a], undefined, sums)).get(a)!.sha256;
    expect(second).not.toBe(first);
    expect(second).not.toBe('f'.repeat(64));
    expect(second).toMatch(/^[0-9a-f]{64}$/);
  });
});
