import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { describeSshError, type SshErrorContext } from './errors';
import { keyTypeOfBlob, sha256Fingerprint } from './fingerprint';
import type { PresentedHostKey } from './host-key-trust';

/** Connects only far enough to see the server's host key, then hangs up without logging in. */
export function fetchHostKey(
  address: string,
  port: number,
  ctx: SshErrorContext,
  options: { sock?: Duplex; timeoutMs: number; algorithms?: string[] },
): Promise<PresentedHostKey> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: PresentedHostKey | undefined;
    const timer = setTimeout(() => {
      client.destroy();
      reject(describeSshError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), ctx));
    }, options.timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      if (presented !== undefined) resolve(presented);
    };
    client.on('error', (err) => {
      done();
      if (presented === undefined) reject(describeSshError(err, ctx));
    });
    client.on('close', () => {
      done();
      if (presented === undefined) reject(describeSshError(new Error('Connection lost'), ctx));
    });
    client.connect({
      host: address,
      port,
      username: 'kubesmith-host-key-check',
      ...(options.sock !== undefined ? { sock: options.sock } : {}),
      ...(options.algorithms !== undefined ? { algorithms: { serverHostKey: options.algorithms as never } } : {}),
      readyTimeout: 0,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        presented = { keyType: keyTypeOfBlob(key), keyBase64: key.toString('base64'), fingerprintSha256: sha256Fingerprint(key) };
        verify(false);
      },
    });
  });
}
