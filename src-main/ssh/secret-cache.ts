import type { AskSecret, SecretRequest } from './callbacks';
import { KubesmithError } from '../../src-shared/errors';
import { SshErrorName } from './errors';

/**
 * Secrets asked for once per app session and kept only in memory. Concurrent
 * requests for the same secret share one question.
 */
export class SecretCache {
  private readonly known = new Map<string, { hostId: string; value: Promise<string> }>();

  constructor(private readonly ask: AskSecret) {}

  /**
   * @param cacheKey what the secret unlocks: a key file for passphrases (one
   *   key serves many hosts), the host id for passwords.
   */
  get(cacheKey: string, request: SecretRequest): Promise<string> {
    const cached = this.known.get(cacheKey);
    if (cached !== undefined) return cached.value;
    const value = this.ask(request).then((answer) => {
      if (answer === undefined) {
        throw new KubesmithError(
          SshErrorName.AuthCancelled,
          `No ${request.kind === 'passphrase' ? 'passphrase' : request.kind === 'sudo' ? 'sudo password' : 'password'} was given for ${request.hostId}, so Kubesmith did not go on.`,
          'Run the step again and enter it when asked.',
          { hostId: request.hostId, kind: request.kind },
        );
      }
      return answer;
    });
    this.known.set(cacheKey, { hostId: request.hostId, value });
    // A cancelled question must be asked again next time, not remembered as cancelled.
    value.catch(() => {
      if (this.known.get(cacheKey)?.value === value) this.known.delete(cacheKey);
    });
    return value;
  }

  /** Forget a secret that turned out wrong, so the next attempt asks again. */
  forget(cacheKey: string): void {
    this.known.delete(cacheKey);
  }

  forgetHost(hostId: string): void {
    for (const [key, entry] of this.known) if (entry.hostId === hostId) this.known.delete(key);
  }

  clear(): void {
    this.known.clear();
  }
}
