import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostSecretsInput, inventoryMethods, SecretPresence } from '../../src-shared/contract/inventory';
import { KubesmithError, toApiError } from '../../src-shared/errors';
import type { Cluster, Host, ProbeResult } from '../../src-shared/model/cluster';
import { findHost, removeHost, setRoles, upsertHost } from '../inventory/host-edits';
import { KeyedLock } from '../inventory/keyed-lock';
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
  const lock = new KeyedLock();
  /** Read, change and write cluster.yaml with no other inventory edit in between. */
  const edit = <T>(name: string, change: (cluster: Cluster) => Promise<{ cluster: Cluster; result: T }>): Promise<T> =>
    lock.run(name, async () => {
      const { cluster, result } = await change(await workspace.get(name));
      await workspace.save(cluster);
      return result;
    });

  return {
    'hosts.upsert': ({ cluster: name, host: input, secrets: given }) =>
      edit(name, async (cluster) => {
        const auth =
          input.auth.kind === 'key' && typeof given?.passphrase === 'string' ? { ...input.auth, hasPassphrase: true } : input.auth;
        const { cluster: next, host } = upsertHost(cluster, { ...input, auth });
        await secrets.update(name, host.id, secretChanges(host, given));
        return { cluster: next, result: { cluster: next, hostId: host.id, secrets: await secrets.presence(name, host.id) } };
      }),
    'hosts.remove': ({ cluster: name, hostId }) =>
      edit(name, async (cluster) => {
        const next = removeHost(cluster, hostId);
        await secrets.forgetHost(name, hostId);
        return { cluster: next, result: next };
      }),
    'hosts.setRoles': ({ cluster: name, roles }) =>
      edit(name, async (cluster) => {
        const next = setRoles(cluster, roles);
        return { cluster: next, result: next };
      }),
    'hosts.paste': ({ cluster: name, text, defaults }) =>
      edit(name, async (cluster) => {
        const { cluster: next, added } = addPastedHosts(cluster, text, defaults);
        return { cluster: next, result: { cluster: next, added } };
      }),
    'hosts.importKubeasz': ({ cluster: name, hostsIni, configYaml }) =>
      edit(name, async (cluster) => {
        const imported = importKubeasz(cluster, hostsIni, configYaml);
        for (const { hostId, values } of imported.secrets) await secrets.update(name, hostId, values);
        const { secrets: _secrets, ...result } = imported;
        return { cluster: imported.cluster, result };
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
      return edit(name, async (latest) => {
        const current = latest.hosts.find((h) => h.id === hostId);
        if (!current || current.address !== host.address || current.port !== host.port) return { cluster: latest, result: latest };
        const next = { ...latest, hosts: latest.hosts.map((h) => (h.id === hostId ? { ...h, probe: result } : h)) };
        return { cluster: next, result: next };
      });
    },
    'hosts.secrets': async ({ cluster: name }) => {
      const cluster = await workspace.get(name);
      const all = await secrets.presenceAll(name);
      const none: SecretPresence = { password: false, passphrase: false, sudoPassword: false };
      return Object.fromEntries(cluster.hosts.map((h) => [h.id, all[h.id] ?? none]));
    },
    'clusterSettings.save': ({ cluster: name, settings }) =>
      edit(name, async (cluster) => {
        assertValidSettings(settings, cluster.hosts);
        const next = { ...cluster, settings };
        return { cluster: next, result: next };
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
