import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { KubesmithError } from '../../src-shared/errors';
import type { HostTransport } from '../deploy/engine/transport';
import { sh } from '../ssh/shell';
import { fileSha256 } from './backups';
import { sha256OfFile } from '../ssh/host-sha256';

/**
 * Copies a root-owned file from the host (through sudo, so SFTP's login user need not read it) into `localPath`,
 * and checks the SHA-256 on both ends: a partial copy never takes the final name.
 */
export async function downloadChecked(t: HostTransport, remotePath: string, localPath: string): Promise<{ sha256: string; size: number }> {
  const p = remotePath;
  const info = await t.exec(sh`${sha256OfFile(p, 'large')} && stat -c %s ${p}`.command, { timeoutMs: 600_000 });
  const [remoteSha, sizeText] = info.stdout.trim().split('\n');
  if (info.code !== 0 || !remoteSha || !sizeText) {
    throw new KubesmithError('DownloadFailed', `Could not read ${remotePath} on the host: ${(info.stderr || info.stdout).trim()}`);
  }
  const part = `${localPath}.part`;
  const out = createWriteStream(part, { mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  try {
    const r = await t.exec(sh`cat ${p}`.command, { onStdout: (chunk) => out.write(chunk), timeoutMs: 3_600_000 });
    out.end();
    await closed;
    if (r.code !== 0) throw new KubesmithError('DownloadFailed', `Could not copy ${remotePath}: ${r.stderr.trim()}`);
    const local = await fileSha256(part);
    if (local !== remoteSha) {
      throw new KubesmithError(
        'DownloadFailed',
        `The copy of ${remotePath} differs from the original (SHA-256 ${local} ≠ ${remoteSha}).`,
        'Try again; the connection may have dropped bytes.',
      );
    }
    await rename(part, localPath);
    return { sha256: local, size: Number(sizeText) };
  } catch (e) {
    out.destroy();
    await rm(part, { force: true });
    throw e;
  }
}
