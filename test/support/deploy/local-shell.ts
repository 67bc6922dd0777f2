import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyFile, chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostTransport, RemoteExecOptions, RemoteResult } from '../../../src-main/deploy/engine/transport';

/** Runs the engine's commands in a local sh, for tests whose paths point into a temp folder. */
export const localShell: HostTransport = {
  exec: (command: string, options: RemoteExecOptions = {}): Promise<RemoteResult> =>
    new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        options.onStdout?.(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        options.onStderr?.(c);
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.on('error', () => undefined); // a command that stops reading early (EPIPE) still reports its exit
      const input = options.stdin;
      if (input === undefined || input instanceof Uint8Array) child.stdin.end(input ? Buffer.from(input) : undefined);
      else pipeline(Readable.from(input), child.stdin).catch(() => undefined);
    }),
  upload: async (localPath, remotePath, { mode }) => {
    await mkdir(dirname(remotePath), { recursive: true });
    await copyFile(localPath, remotePath);
    await chmod(remotePath, mode);
    return { transferred: 1, skipped: false };
  },
};
