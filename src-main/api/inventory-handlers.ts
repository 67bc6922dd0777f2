import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostSecretsInput, inventoryMethods, SecretPresence } from '../../src-shared/contract/inventory';
import { KubesmithError, toApiError } from '../../src-shared/errors';
import type { Cluster, Host, ProbeResult } from '../../src-shared/model/cluster';
import { findHost, removeHost, setRoles, upsertHost } from '../inventory/host-edits';
import { importKubeasz } from '../inventory/kubeasz-import';
import { addPastedHosts } from '../inventory/paste';
import { PROBE_NOT_AVAILABLE, probeNotAvailable, type HostProber } from '../inventory/probe';
import { assertValidSettings } from '../inventory/settings-problems';
import { parseSshConfig, readSshConfig, sshDefaults } from '../inventory/ssh-config';
import type { SecretKind, SecretStore } from '../store/secret-store';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export interface InventoryOptions {
  /** Wired to the SSH layer by the backend; until then probing answers NotAvailable. */
  probe?: HostProber;
  /** The user's home folder, for ~/.ssh/config. */
  home?: string;
}

export function inventoryHandlers(ctx: BackendContext, opts: InventoryOptions = {}): Pick<Handlers, keyof typeof inventoryMethods> {
  const { workspace, secrets } = ctx;
  const probe = opts.probe ?? probeNotAvailable;
  const home = opts.home ?? homedir();
  /**
   * Reads, changes and writes cluster.yaml with no other write in between (the workspace's lock and gate).
   * `then` runs once the write succeeded, so a refused change leaves the secrets as they were too.
   */
  const edit = async <T>(
    name: string,
    change: (cluster: Cluster) => { cluster: Cluster; then: (written: Cluster) => T | Promise<T> },
  ): Promise<T> => {
    let then: ((written: Cluster) => T | Promise<T>) | undefined;
    const written = await workspace.update(name, (current) => {
      const changed = change(current);
      then = changed.then;
      return changed.cluster;
    });
    return then!(written);
  };

  return {
    'hosts.upsert': ({ cluster: name, host: input, secrets: given }) =>
      edit(name, (cluster) => {
        const auth =
          input.auth.kind === 'key' && typeof given?.passphrase === 'string' ? { ...input.auth, hasPassphrase: true } : input.auth;
        const { cluster: next, host } = upsertHost(cluster, { ...input, auth });
        return {
          cluster: next,
          then: async (written) => {
            await secrets.update(name, host.id, secretChanges(host, given));
            return { cluster: written, hostId: host.id, secrets: await secrets.presence(name, host.id) };
          },
        };
      }),
    'hosts.remove': ({ cluster: name, hostId }) =>
      edit(name, (cluster) => ({
        cluster: removeHost(cluster, hostId),
        then: async (written) => {
          await secrets.forgetHost(name, hostId);
          return written;
        },
      })),
    'hosts.setRoles': ({ cluster: name, roles }) =>
      edit(name, (cluster) => ({ cluster: setRoles(cluster, roles), then: (written) => written })),
    'hosts.paste': ({ cluster: name, text, defaults }) =>
      edit(name, (cluster) => {
        const { cluster: next, added } = addPastedHosts(cluster, text, defaults);
        return { cluster: next, then: (written) => ({ cluster: written, added }) };
      }),
    'hosts.importKubeasz': ({ cluster: name, hostsIni, configYaml }) =>
      edit(name, (cluster) => {
        const { secrets: found, ...imported } = importKubeasz(cluster, hostsIni, configYaml);
        return {
          cluster: imported.cluster,
          then: async (written) => {
            for (const { hostId, values } of found) await secrets.update(name, hostId, values);
            return { ...imported, cluster: written };
          },
        };
      }),
    'hosts.sshConfigAliases': async () => {
      const path = join(home, '.ssh', 'config');
      const text = await readSshConfig(path, home);
      const agent = Boolean(process.env.SSH_AUTH_SOCK);
      if (text === undefined) return { path, found: false, aliases: [], agent };
      return { path, found: true, aliases: parseSshConfig(text, home), defaults: sshDefaults(text, home), agent };
    },
    'hosts.probe': async ({ cluster: name, hostId }) => {
      const cluster = await workspace.get(name);
      const host = findHost(cluster, hostId);
      const jumpId = host.jump?.kind === 'host' ? host.jump.hostId : undefined;
      const jumpHost = cluster.hosts.find((h) => h.id === jumpId);
      const result = await probeOrFailure(probe, {
        cluster: name,
        host,
        ...(jumpHost ? { jumpHost } : {}),
        secrets: await secretsOf(secrets, name, hostId),
      });
      // Probing takes seconds; the result goes onto the host as it is now, unless it moved to another machine meanwhile.
      return edit(name, (latest) => {
        const current = latest.hosts.find((h) => h.id === hostId);
        if (!current || current.address !== host.address || current.port !== host.port)
          return { cluster: latest, then: (written) => written };
        const next = { ...latest, hosts: latest.hosts.map((h) => (h.id === hostId ? { ...h, probe: result } : h)) };
        return { cluster: next, then: (written) => written };
      });
    },
    'hosts.secrets': async ({ cluster: name }) => {
      const cluster = await workspace.get(name);
      const all = await secrets.presenceAll(name);
      const none: SecretPresence = { password: false, passphrase: false, sudoPassword: false };
      // Own keys only: a host id such as "constructor" must not find Object.prototype's.
      return Object.fromEntries(cluster.hosts.map((h) => [h.id, Object.hasOwn(all, h.id) ? all[h.id]! : none]));
    },
    'clusterSettings.save': ({ cluster: name, settings }) =>
      edit(name, (cluster) => {
        assertValidSettings(settings, cluster.hosts);
        return { cluster: { ...cluster, settings }, then: (written) => written };
      }),
  };
}

/** Secrets that no longer fit the host's login (a password after switching to a key) are forgotten, not kept around. */
function secretChanges(host: Host, given: HostSecretsInput | undefined): Partial<Record<SecretKind, string | undefined>> {
  const wanted: Record<SecretKind, boolean> = {
    password: host.auth.kind === 'password',
    passphrase: host.auth.kind === 'key',
    sudoPassword: host.sudo === 'password',
  };
  const changes: Partial<Record<SecretKind, string | undefined>> = {};
  for (const kind of Object.keys(wanted) as SecretKind[]) {
    const value = given?.[kind];
    if (!wanted[kind] || value === null) changes[kind] = undefined;
    else if (typeof value === 'string') changes[kind] = value;
  }
  return changes;
}

async function secretsOf(store: SecretStore, cluster: string, hostId: string): Promise<Partial<Record<SecretKind, string>>> {
  const out: Partial<Record<SecretKind, string>> = {};
  for (const kind of ['password', 'passphrase', 'sudoPassword'] as const) {
    const value = await store.get(cluster, hostId, kind);
    if (value !== undefined) out[kind] = value;
  }
  return out;
}

/** A host that cannot be reached is a fact about that host, stored as its failed probe; probing that cannot run at all is an error. */
async function probeOrFailure(probe: HostProber, target: Parameters<HostProber>[0]): Promise<ProbeResult> {
  try {
    return await probe(target);
  } catch (err) {
    if (err instanceof KubesmithError && err.name === PROBE_NOT_AVAILABLE) throw err;
    const { name, message, hint } = toApiError(err);
    return { at: new Date().toISOString(), ok: false, error: { name, message, ...(hint !== undefined ? { hint } : {}) } };
  }
}
