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

  const writeSized = (bin: string, path: string, text: string, mode: string, size: 'small' | 'large') =>
    localShell.exec(sh`PATH=${bin}:"$PATH"; ${atomicWriteCommand(path, sha256(text), mode, size)}`.command, {
      stdin: Buffer.from(text),
    });
  const callsMade = async () => (await readFile(join(dir, 'calls'), 'utf8')).split('\n').filter(Boolean);

  it('starts the fewest processes: cat writes, the hasher reads the written file, one stat, one mv', async () => {
    for (const tool of ['cat', 'sha256sum', 'openssl', 'stat', 'chmod', 'mv', 'tee', 'cut', 'mkdir']) {
      await wrap(tool, `exec /usr/bin/${tool} "$@"`);
    }
    const bin = join(dir, 'bin');
    const path = join(dir, 'out', 'f');
    await mkdir(join(dir, 'out'));
    // A small file whose mode the umask gives (no execute bit): sha256sum, which starts faster than openssl; no chmod.
    expect((await writeSized(bin, path, 'payload\n', '0640', 'small')).code).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('payload\n');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await callsMade()).toEqual(['cat 0', 'sha256sum 0', 'stat 3', 'mv 3']);
    // An artifact: openssl (`dgst -sha256 -r`), which hashes large inputs several times faster; an executable mode
    // needs its chmod.
    await rm(join(dir, 'calls'));
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect((await writeSized(bin, path, big, '0755', 'large')).code).toBe(0);
    expect((await stat(path)).mode & 0o777).toBe(0o755);
    expect(await callsMade()).toEqual(['cat 0', 'openssl 3', 'stat 3', 'chmod 2', 'mv 3']);
  });

  it('creates a secret with its own mode: the temp file is never readable by others', async () => {
    // cat's standard output is the temp file: the stand-in notes its mode while the bytes are written.
    const bin = await wrap('cat', `stat -L -c %a /proc/$$/fd/1 >> ${JSON.stringify(join(dir, 'modes'))}\nexec /usr/bin/cat "$@"`);
    const path = join(dir, 'key.pem');
    expect((await writeSized(bin, path, 'secret\n', '0600', 'small')).code).toBe(0);
    expect((await readFile(join(dir, 'modes'), 'utf8')).trim()).toBe('600');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('fixes the mode of a temp file a killed write left with the same name', async () => {
    // The temp file is named by the shell's pid: one left by a killed write keeps its mode when it is truncated.
    const bin = await wrap('cat', `chmod 0666 /proc/self/fd/1\nexec /usr/bin/cat "$@"`);
    const path = join(dir, 'f');
    expect((await writeSized(bin, path, 'x\n', '0600', 'small')).code).toBe(0);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('installs nothing when writing the temp file failed (a full disk), with the message that says so', async () => {
    const bin = await wrap('cat', 'head -c 2; echo "cat: write error: No space left on device" >&2; exit 1');
    const path = join(dir, 'out', 'f');
    await mkdir(join(dir, 'out'));
    await writeFile(path, 'old\n');
    const r = await writeWith(bin, path, 'new text\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('No space left on device');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await readdir(join(dir, 'out'))).toEqual(['f']);
  });

  it('installs nothing when the bytes stop short of the file', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'old\n');
    const r = await localShell.exec(atomicWriteCommand(path, sha256('the whole text\n'), '0644').command, {
      stdin: Buffer.from('the whole'),
    });
    expect(r.code).toBe(3);
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await readdir(dir)).toEqual(['f']);
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
