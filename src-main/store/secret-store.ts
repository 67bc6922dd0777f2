import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretPresence } from '../../src-shared/contract/inventory';
import { writeFileAtomic } from './atomic-write';
import type { SecretCipher } from './secret-cipher';
import type { Workspace } from './workspace';

export const SECRET_KINDS = ['password', 'passphrase', 'sudoPassword'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

const SECRETS_FILE = 'secrets.json';

/** state/secrets.json: sealed blobs (base64 of what the cipher returned), never a plain secret. */
const SecretsFileSchema = z.object({
  version: z.literal(1),
  hosts: z.record(z.string(), z.partialRecord(z.enum(SECRET_KINDS), z.string())),
});
type SecretsFile = z.infer<typeof SecretsFileSchema>;
type HostSecrets = Partial<Record<SecretKind, string>>;

/**
 * Passwords, passphrases and sudo passwords, keyed by cluster, host id and kind.
 * With a cipher that encrypts at rest (Electron's safeStorage) they are sealed and kept in the
 * cluster's state/secrets.json; without one (browser mode) they live in memory only and are
 * gone when Kubesmith stops, because an unencrypted password file is worse than asking again.
 */
export class SecretStore {
  private readonly memory = new Map<string, Map<string, HostSecrets>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly workspace: Workspace,
    private readonly cipher: SecretCipher,
  ) {}

  /** True when secrets survive a restart (sealed on disk); false when they are in memory only. */
  get persistent(): boolean {
    return this.cipher.encryptsAtRest;
  }

  async get(cluster: string, hostId: string, kind: SecretKind): Promise<string | undefined> {
    if (!this.persistent) return this.memory.get(cluster)?.get(hostId)?.[kind];
    const sealed = (await this.readFile(cluster)).hosts[hostId]?.[kind];
    return sealed === undefined ? undefined : this.cipher.decrypt(Buffer.from(sealed, 'base64')).toString('utf8');
  }

  /** Sets (a string) or forgets (undefined) secrets of one host in one write. */
  async update(cluster: string, hostId: string, changes: Partial<Record<SecretKind, string | undefined>>): Promise<void> {
    const apply = (current: HostSecrets, seal: (plain: string) => string): HostSecrets => {
      const next = { ...current };
      for (const kind of SECRET_KINDS) {
        if (!(kind in changes)) continue;
        const value = changes[kind];
        if (value === undefined) delete next[kind];
        else next[kind] = seal(value);
      }
      return next;
    };
    if (!this.persistent) {
      const hosts = this.memory.get(cluster) ?? new Map<string, HostSecrets>();
      this.memory.set(cluster, hosts);
      const next = apply(hosts.get(hostId) ?? {}, (plain) => plain);
      if (Object.keys(next).length === 0) hosts.delete(hostId);
      else hosts.set(hostId, next);
      return;
    }
    await this.mutateFile(cluster, (file) => {
      const next = apply(file.hosts[hostId] ?? {}, (plain) => this.cipher.encrypt(Buffer.from(plain, 'utf8')).toString('base64'));
      if (Object.keys(next).length === 0) delete file.hosts[hostId];
      else file.hosts[hostId] = next;
    });
  }

  async forgetHost(cluster: string, hostId: string): Promise<void> {
    await this.update(cluster, hostId, { password: undefined, passphrase: undefined, sudoPassword: undefined });
  }

  async presence(cluster: string, hostId: string): Promise<SecretPresence> {
    const all = await this.presenceAll(cluster);
    // Own keys only: a host id such as "constructor" must not find Object.prototype's.
    return Object.hasOwn(all, hostId) ? all[hostId]! : { password: false, passphrase: false, sudoPassword: false };
  }

  async presenceAll(cluster: string): Promise<Record<string, SecretPresence>> {
    const entries: [string, HostSecrets][] = this.persistent
      ? Object.entries((await this.readFile(cluster)).hosts)
      : [...(this.memory.get(cluster)?.entries() ?? [])];
    return Object.fromEntries(
      entries.map(([hostId, s]) => [
        hostId,
        { password: s.password !== undefined, passphrase: s.passphrase !== undefined, sudoPassword: s.sudoPassword !== undefined },
      ]),
    );
  }

  private filePath(cluster: string): string {
    return join(this.workspace.stateDir(cluster), SECRETS_FILE);
  }

  private async readFile(cluster: string): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(this.filePath(cluster), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, hosts: {} };
      throw err;
    }
    return SecretsFileSchema.parse(JSON.parse(text));
  }

  /** Read-modify-write, one at a time per cluster, so two saves never lose each other's secrets. */
  private mutateFile(cluster: string, change: (file: SecretsFile) => void): Promise<void> {
    const previous = this.queues.get(cluster) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const file = await this.readFile(cluster);
        change(file);
        await writeFileAtomic(this.filePath(cluster), `${JSON.stringify(file, null, 2)}\n`, 0o600);
      });
    this.queues.set(cluster, next);
    return next;
  }
}
