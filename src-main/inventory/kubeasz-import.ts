import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { KubeaszNote } from '../../src-shared/contract/inventory';
import { KubesmithError } from '../../src-shared/errors';
import {
  CniSchema,
  KUBERNETES_VERSIONS,
  ProxyModeSchema,
  type Cluster,
  type ClusterSettings,
  type Host,
  type HostAuth,
  type Role,
  type SudoMode,
} from '../../src-shared/model/cluster';
import { classifyAddress, normalizeAddress } from '../../src-shared/net/host-address';
import type { SecretKind } from '../store/secret-store';
import { parseAnsibleIni, type AnsibleInventory, type InventoryHost } from './ansible-ini';
import { newHostId, normalizeRoles } from './host-edits';
import { assertValidSettings } from './settings-problems';

/** kubeasz's group for each Kubesmith role. */
const ROLE_GROUPS: Record<string, Role> = { etcd: 'etcd', kube_master: 'master', kube_node: 'node' };

export interface KubeaszImport {
  cluster: Cluster;
  added: number;
  updated: number;
  notes: KubeaszNote[];
  /** Passwords the inventory carried (ansible_ssh_pass, ansible_become_pass): for the secret store, never cluster.yaml. */
  secrets: { hostId: string; values: Partial<Record<SecretKind, string>> }[];
}

/**
 * Brings a kubeasz cluster in: hosts of [etcd], [kube_master] and [kube_node] become hosts with those
 * roles (a host already in the inventory, by address, gets kubeasz's roles and login), [all:vars]
 * and config.yml become cluster settings. Nothing is half-imported: any error refuses the whole file.
 */
export function importKubeasz(cluster: Cluster, hostsIni: string, configYaml?: string): KubeaszImport {
  const inventory = parseAnsibleIni(hostsIni);
  const notes: KubeaszNote[] = [];
  const all = inventory.groupVars.all ?? {};

  for (const [group, hosts] of Object.entries(inventory.groups)) {
    if (!(group in ROLE_GROUPS) && hosts.length > 0) notes.push({ code: 'ignoredGroup', params: { group, count: hosts.length } });
  }

  const imported = collectHosts(inventory);
  if (imported.length === 0) {
    throw new KubesmithError(
      'InvalidKubeaszInventory',
      'The hosts file has no hosts in [etcd], [kube_master] or [kube_node].',
      'Pick the `hosts` file in the folder of a kubeasz cluster (clusters/<name>/hosts).',
    );
  }

  let hosts = [...cluster.hosts];
  let added = 0;
  let updated = 0;
  const secrets: KubeaszImport['secrets'] = [];
  for (const entry of imported) {
    const vars = (key: string) => lookup(inventory, entry, key);
    const address = vars('ansible_host') ?? vars('ansible_ssh_host') ?? entry.inventoryName;
    if (classifyAddress(address) === undefined) {
      throw new KubesmithError(
        'InvalidKubeaszInventory',
        `Line ${entry.line} of the hosts file: "${address}" is not an IP address or DNS name.`,
        'Fix the address in the hosts file.',
        { line: entry.line },
      );
    }
    const portText = vars('ansible_port') ?? vars('ansible_ssh_port');
    const port = portText === undefined ? 22 : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new KubesmithError(
        'InvalidKubeaszInventory',
        `Line ${entry.line} of the hosts file: port "${portText}" is not a number from 1 to 65535.`,
        'Fix ansible_ssh_port in the hosts file.',
        { line: entry.line },
      );
    }
    const password = vars('ansible_ssh_pass') ?? vars('ansible_password');
    const becomePassword = vars('ansible_become_pass') ?? vars('ansible_become_password') ?? vars('ansible_sudo_pass');
    const keyFile = vars('ansible_ssh_private_key_file') ?? vars('ansible_private_key_file');
    const auth: HostAuth =
      password !== undefined
        ? { kind: 'password' }
        : keyFile !== undefined
          ? { kind: 'key', keyPath: keyFile, hasPassphrase: false }
          : { kind: 'agent' };
    const become = /^(true|yes|1)$/i.test(vars('ansible_become') ?? '');
    const sudo: SudoMode = becomePassword !== undefined ? 'password' : become ? 'passwordless' : 'none';
    const name = nonEmpty(vars('k8s_nodename')) ?? nonEmpty(vars('NODE_NAME')) ?? entry.inventoryName;
    const login = {
      address,
      port,
      user: vars('ansible_user') ?? vars('ansible_ssh_user') ?? 'root',
      auth,
      sudo,
      roles: normalizeRoles(entry.roles),
    };

    const existingIndex = hosts.findIndex((h) => normalizeAddress(h.address) === normalizeAddress(address));
    let hostId: string;
    if (existingIndex >= 0) {
      const existing = hosts[existingIndex]!;
      hostId = existing.id;
      const { probe: _stale, ...rest } = existing;
      hosts[existingIndex] = {
        ...rest,
        ...login,
        ...(existing.address === address && existing.port === port ? { probe: existing.probe } : {}),
      } as Host;
      updated++;
    } else {
      hostId = newHostId({ hosts });
      hosts = [...hosts, { id: hostId, name, ...login }];
      added++;
    }
    const values: Partial<Record<SecretKind, string>> = {};
    if (password !== undefined) values.password = password;
    if (becomePassword !== undefined) values.sudoPassword = becomePassword;
    if (Object.keys(values).length > 0) {
      secrets.push({ hostId, values });
      notes.push({ code: 'passwordStored', params: { host: name } });
    }
  }

  const settings = applyAllVars(cluster.settings, all, notes);
  const withConfig = configYaml === undefined ? settings : applyConfig(settings, configYaml, notes);
  if (configYaml === undefined) notes.push({ code: 'noConfig', params: {} });
  assertValidSettings(withConfig, hosts, 'The settings in the kubeasz files');
  return { cluster: { ...cluster, hosts, settings: withConfig }, added, updated, notes, secrets };
}

interface ImportedEntry {
  inventoryName: string;
  line: number;
  roles: Role[];
  groups: string[];
  vars: Record<string, string>;
}

/** One entry per machine, in first-seen order, with the roles of every group it is in. */
function collectHosts(inventory: AnsibleInventory): ImportedEntry[] {
  const byName = new Map<string, ImportedEntry>();
  for (const [group, role] of Object.entries(ROLE_GROUPS)) {
    for (const host of inventory.groups[group] ?? []) {
      const entry = byName.get(host.name) ?? { inventoryName: host.name, line: host.line, roles: [], groups: [], vars: {} };
      entry.roles.push(role);
      entry.groups.push(group);
      entry.vars = { ...entry.vars, ...(host as InventoryHost).vars };
      byName.set(host.name, entry);
    }
  }
  return [...byName.values()];
}

/** Ansible's precedence, simplified: host variables, then the host's groups' vars, then [all:vars]. */
function lookup(inventory: AnsibleInventory, entry: ImportedEntry, key: string): string | undefined {
  if (key in entry.vars) return entry.vars[key];
  for (const group of entry.groups) {
    const value = inventory.groupVars[group]?.[key];
    if (value !== undefined) return value;
  }
  return inventory.groupVars.all?.[key];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function applyAllVars(settings: ClusterSettings, all: Record<string, string>, notes: KubeaszNote[]): ClusterSettings {
  const next = { ...settings };
  if (all.CLUSTER_NETWORK !== undefined) {
    const cni = CniSchema.safeParse(all.CLUSTER_NETWORK);
    if (cni.success) next.cni = cni.data;
    else notes.push({ code: 'unsupportedCni', params: { value: all.CLUSTER_NETWORK, using: next.cni } });
  }
  if (all.PROXY_MODE !== undefined) {
    const mode = ProxyModeSchema.safeParse(all.PROXY_MODE);
    if (mode.success) next.proxyMode = mode.data;
    else notes.push({ code: 'unsupportedProxyMode', params: { value: all.PROXY_MODE, using: next.proxyMode } });
  }
  if (all.SERVICE_CIDR !== undefined) next.serviceCidr = all.SERVICE_CIDR;
  if (all.CLUSTER_CIDR !== undefined) next.podCidr = all.CLUSTER_CIDR;
  if (all.CLUSTER_DNS_DOMAIN !== undefined) next.clusterDomain = all.CLUSTER_DNS_DOMAIN.replace(/\.$/, '');
  return next;
}

function applyConfig(settings: ClusterSettings, text: string, notes: KubeaszNote[]): ClusterSettings {
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw new KubesmithError(
      'InvalidKubeaszConfig',
      `config.yml could not be read${where}: ${(err as Error).message.split('\n')[0]}`,
      'Pick the config.yml from the same kubeasz cluster folder, or leave it out.',
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new KubesmithError(
      'InvalidKubeaszConfig',
      'config.yml is not a list of settings (a YAML mapping).',
      'Pick the config.yml from the same kubeasz cluster folder, or leave it out.',
    );
  }
  const c = config as Record<string, unknown>;
  const next: ClusterSettings = { ...settings, addons: { ...settings.addons } };

  if (c.K8S_VER !== undefined) {
    const version = String(c.K8S_VER).replace(/^v/, '');
    const minor = /^(\d+\.\d+)/.exec(version)?.[1];
    const supported = KUBERNETES_VERSIONS.find((v) => v === minor);
    if (supported) next.kubernetesVersion = supported;
    else notes.push({ code: 'unsupportedVersion', params: { value: version, using: next.kubernetesVersion } });
  }
  const flag = (key: string): boolean | undefined => {
    const value = c[key];
    if (value === undefined) return undefined;
    return value === true || /^(yes|true|on|1)$/i.test(String(value));
  };
  const dns = flag('dns_install');
  if (dns !== undefined) next.addons.coredns = dns;
  if (flag('ENABLE_LOCAL_DNS_CACHE') === true && next.addons.coredns) notes.push({ code: 'localDnsCacheSkipped', params: {} });
  const metrics = flag('metricsserver_install');
  if (metrics !== undefined) next.addons.metricsServer = metrics;
  // kubeasz's dashboard_install asks for a web UI; Headlamp is the Dashboard's successor.
  const dashboard = flag('dashboard_install');
  if (dashboard !== undefined) next.addons.headlamp = dashboard;
  if (Array.isArray(c.MASTER_CERT_HOSTS)) {
    const sans = c.MASTER_CERT_HOSTS.map(String).filter((s) => s.trim() !== '');
    next.extraSans = [...new Set([...settings.extraSans, ...sans])];
  }
  return next;
}
