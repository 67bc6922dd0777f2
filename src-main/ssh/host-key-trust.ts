import type { ConfirmHostKey } from './callbacks';
import { hostKeyMismatchError, hostKeyRejectedError, hostKeyRevokedError, type SshErrorContext } from './errors';
import { keyTypeOfBlob, sha256Fingerprint } from './fingerprint';
import { checkHostKey, knownKeyTypes, type KnownHostsSource } from './known-hosts';
import { appendKnownHost, readKnownHostsSource, replaceKnownHostKey } from './known-hosts-file';
import { KubesmithError } from '../../src-shared/errors';

export interface HostKeyTrustOptions {
  /** The workspace's own known_hosts: read, and appended to when the user accepts a key. */
  workspaceKnownHosts: string;
  /** Usually ~/.ssh/known_hosts; only ever read. null to ignore it. */
  userKnownHosts: string | null;
  confirmHostKey: ConfirmHostKey;
}

export interface PresentedHostKey {
  keyType: string;
  keyBase64: string;
  fingerprintSha256: string;
}

/** One connection attempt's view of host key checking. */
export interface HostKeyCheck {
  /** ssh2's hostVerifier (the two-argument, asynchronous form). */
  verify(key: Buffer, done: (accepted: boolean) => void): void;
  /** Why the key was refused, once verify() has said no. */
  refusal(): KubesmithError | undefined;
  presented(): PresentedHostKey | undefined;
  /** Host key algorithms in the order to offer them: types already on record first, as OpenSSH does. */
  algorithms: string[];
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function algorithmsFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

export function orderHostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const first = knownTypes.flatMap(algorithmsFor).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** Host key verification against known_hosts files, asking the user on first contact. */
export class HostKeyTrust {
  // Fifty connections to a new host must produce one question, not fifty.
  private readonly pendingQuestions = new Map<string, Promise<boolean>>();

  constructor(private readonly options: HostKeyTrustOptions) {}

  private async sources(): Promise<KnownHostsSource[]> {
    const sources = [await readKnownHostsSource(this.options.workspaceKnownHosts)];
    if (this.options.userKnownHosts !== null) {
      try {
        sources.push(await readKnownHostsSource(this.options.userKnownHosts));
      } catch {
        // An unreadable personal known_hosts only means fewer keys are known; the workspace file still decides.
      }
    }
    return sources;
  }

  /**
   * @param whileAskingUser wraps the confirmation so the caller can stop its
   *   connect timer while a person reads a fingerprint.
   */
  async prepare(
    host: string,
    port: number,
    ctx: SshErrorContext,
    whileAskingUser: <T>(ask: () => Promise<T>) => Promise<T>,
  ): Promise<HostKeyCheck> {
    const sources = await this.sources();
    let refusal: KubesmithError | undefined;
    let presented: PresentedHostKey | undefined;

    const decide = async (key: Buffer): Promise<boolean> => {
      const keyType = keyTypeOfBlob(key);
      const keyBase64 = key.toString('base64');
      const fingerprintSha256 = sha256Fingerprint(key);
      presented = { keyType, keyBase64, fingerprintSha256 };
      // Re-read: another connection may have accepted this key since prepare().
      const verdict = checkHostKey(await this.sources(), host, port, keyType, keyBase64);
      switch (verdict.kind) {
        case 'known':
          return true;
        case 'revoked':
          refusal = hostKeyRevokedError(ctx, keyType, fingerprintSha256, verdict.file);
          return false;
        case 'changed':
          refusal = hostKeyMismatchError(ctx, {
            host,
            port,
            keyType,
            oldFingerprint: sha256Fingerprint(Buffer.from(verdict.storedKeyBase64, 'base64')),
            newFingerprint: fingerprintSha256,
            knownHostsFile: verdict.file,
            line: verdict.line,
          });
          return false;
        case 'unknown': {
          const questionKey = `${host}:${port} ${keyType} ${keyBase64}`;
          let answer = this.pendingQuestions.get(questionKey);
          if (answer === undefined) {
            answer = whileAskingUser(() => this.options.confirmHostKey({ host, port, keyType, fingerprintSha256 })).then(
              async (accepted) => {
                if (accepted) await appendKnownHost(this.options.workspaceKnownHosts, host, port, keyType, keyBase64);
                return accepted;
              },
            );
            this.pendingQuestions.set(questionKey, answer);
            void answer.finally(() => this.pendingQuestions.delete(questionKey)).catch(() => undefined);
          }
          if (await answer) return true;
          refusal = hostKeyRejectedError(ctx, keyType, fingerprintSha256);
          return false;
        }
      }
    };

    return {
      verify: (key, done) => {
        decide(key).then(done, (err: unknown) => {
          refusal =
            err instanceof KubesmithError
              ? err
              : new KubesmithError(
                  'KnownHostsUnwritable',
                  `Could not check or record the host key of ${ctx.hostLabel}: ${err instanceof Error ? err.message : String(err)}.`,
                  `Check that ${this.options.workspaceKnownHosts} is readable and writable.`,
                );
          done(false);
        });
      },
      refusal: () => refusal,
      presented: () => presented,
      algorithms: orderHostKeyAlgorithms(knownKeyTypes(sources, host, port)),
    };
  }

  /** The host key algorithm order prepare() would offer for this host. */
  async algorithmsFor(host: string, port: number): Promise<string[]> {
    return orderHostKeyAlgorithms(knownKeyTypes(await this.sources(), host, port));
  }

  /** Deliberately trusts a host key that replaces the one on record (after a HostKeyMismatch). */
  replace(host: string, port: number, key: PresentedHostKey): Promise<void> {
    return replaceKnownHostKey(this.options.workspaceKnownHosts, host, port, key.keyType, key.keyBase64);
  }
}
