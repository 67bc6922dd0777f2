import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localShell } from '../../../test/support/deploy/local-shell';
import { execUpload } from './exec-upload';
import type { RemoteExecOptions } from './transport';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** Passes on only the first `limit` bytes of a streamed stdin, then ends it: the link cut mid-upload. */
async function* cutAfter(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of source) {
    if (sent >= limit) return;
    const piece = chunk.subarray(0, limit - sent);
    sent += piece.length;
    yield piece;
  }
}

describe('execUpload resumes a cut upload at its byte offset', () => {
  let dir: string;
  let local: string;
  let target: string;
  let data: Buffer;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-upload-'));
    data = randomBytes(3 * MiB + 12345);
    local = join(dir, 'kubelet');
    target = join(dir, 'host', 'usr', 'local', 'bin', 'kubelet');
    await writeFile(local, data);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const partFiles = async (): Promise<string[]> =>
    (await readdir(join(dir, 'host', 'usr', 'local', 'bin'))).filter((f) => f.endsWith('.part'));

  it('sends only the remainder on the second attempt, and installs the right bytes', async () => {
    const cut =
      (exec: typeof localShell.exec) =>
      (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) =>
        exec(command, o.stdin && !(o.stdin instanceof Uint8Array) ? { ...o, stdin: cutAfter(o.stdin, MiB) } : o);
    await expect(execUpload(cut(localShell.exec), local, target, 0o755, undefined, 'node-1')).rejects.toMatchObject({
      name: 'ConnectionLost',
    });
    expect(existsSync(target)).toBe(false);
    expect(await partFiles()).toHaveLength(1);

    const progress: number[] = [];
    const r = await execUpload(localShell.exec, local, target, 0o755, undefined, 'node-1', (done, total) => {
      expect(total).toBe(data.length);
      progress.push(done);
    });
    expect(r).toEqual({ transferred: data.length - MiB, skipped: false });
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(await partFiles()).toEqual([]);
    expect(progress[0]).toBe(MiB);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('keeps a late writer of the cut attempt out of the retry and of the installed file', async () => {
    const cut = (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) =>
      localShell.exec(command, o.stdin && !(o.stdin instanceof Uint8Array) ? { ...o, stdin: cutAfter(o.stdin, MiB) } : o);
    await expect(execUpload(cut, local, target, 0o755)).rejects.toMatchObject({ name: 'ConnectionLost' });
    const [part] = await partFiles();
    // The cut attempt's writer still holds its file open on the host: the bytes the sender's kernel still held arrive
    // when the link comes back, appended to that file while the retry runs and after it installed the file.
    const late = await open(join(dir, 'host', 'usr', 'local', 'bin', part!), 'a');
    try {
      const lateWriter = async (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) => {
        if (o.stdin && !(o.stdin instanceof Uint8Array)) await late.write(data.subarray(MiB, MiB + 256 * 1024));
        return localShell.exec(command, o);
      };
      const r = await execUpload(lateWriter, local, target, 0o755);
      expect(r.transferred).toBe(data.length - MiB);
      await late.write(Buffer.from('bytes of the cut attempt that arrived last'));
    } finally {
      await late.close();
    }
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(await partFiles()).toEqual([]);
  });

  it('looks again when the partial file is gone between the check and the write', async () => {
    const cut = (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) =>
      localShell.exec(command, o.stdin && !(o.stdin instanceof Uint8Array) ? { ...o, stdin: cutAfter(o.stdin, MiB) } : o);
    await expect(execUpload(cut, local, target, 0o755)).rejects.toMatchObject({ name: 'ConnectionLost' });
    const [part] = await partFiles();
    const writes: { code: number | null; offset: string | undefined }[] = [];
    let removed = false;
    const remover = async (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) => {
      const write = o.stdin && !(o.stdin instanceof Uint8Array);
      if (write && !removed) {
        removed = true;
        await rm(join(dir, 'host', 'usr', 'local', 'bin', part!));
      }
      const r = await localShell.exec(command, o);
      if (write) writes.push({ code: r.code, offset: /head -c (\d+)/.exec(command)?.[1] });
      return r;
    };
    const r = await execUpload(remover, local, target, 0o755);
    expect(writes).toEqual([
      { code: 5, offset: String(MiB) },
      { code: 0, offset: undefined },
    ]);
    // The whole file, plus whatever the refused attempt had taken from the stream before its command ended.
    expect(r.transferred).toBeGreaterThanOrEqual(data.length);
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(await partFiles()).toEqual([]);
  });

  it('starts over when the partial file holds other bytes', async () => {
    const name = `.kubelet.ks-${sha(data).slice(0, 16)}.part`;
    await mkdir(join(dir, 'host', 'usr', 'local', 'bin'), { recursive: true });
    await writeFile(join(dir, 'host', 'usr', 'local', 'bin', name), randomBytes(MiB));
    const r = await execUpload(localShell.exec, local, target, 0o755);
    expect(r.transferred).toBe(data.length);
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(await partFiles()).toEqual([]);
  });

  it('removes partial files of other bytes for the same path once the file is installed', async () => {
    await mkdir(join(dir, 'host', 'usr', 'local', 'bin'), { recursive: true });
    await writeFile(join(dir, 'host', 'usr', 'local', 'bin', `.kubelet.ks-${'0'.repeat(16)}.part`), 'an older version, cut');
    await writeFile(join(dir, 'host', 'usr', 'local', 'bin', `.kubectl.ks-${'0'.repeat(16)}.part`), 'another file');
    await execUpload(localShell.exec, local, target, 0o755);
    expect(await partFiles()).toEqual([`.kubectl.ks-${'0'.repeat(16)}.part`]);
  });

  it('checks the whole file before the rename: damaged bytes install nothing and leave no partial file', async () => {
    const flip = (command: Parameters<typeof localShell.exec>[0], o: RemoteExecOptions = {}) => {
      const input = o.stdin;
      if (!input || input instanceof Uint8Array) return localShell.exec(command, o);
      async function* damaged(): AsyncGenerator<Uint8Array> {
        let first = true;
        for await (const chunk of input as AsyncIterable<Uint8Array>) {
          const copy = Buffer.from(chunk);
          if (first) copy[0] = copy[0]! ^ 0xff;
          first = false;
          yield copy;
        }
      }
      return localShell.exec(command, { ...o, stdin: damaged() });
    };
    await expect(execUpload(flip, local, target, 0o755)).rejects.toMatchObject({ name: 'UploadFailed' });
    expect(existsSync(target)).toBe(false);
    expect(await partFiles()).toEqual([]);
  });

  it('sends nothing when the host already has the file', async () => {
    await execUpload(localShell.exec, local, target, 0o755);
    expect(await execUpload(localShell.exec, local, target, 0o755)).toEqual({ transferred: 0, skipped: true });
  });
});
