import { isJumpSpec } from '../inventory/jump-spec';
import { isHostId, isLoginName, isNodeName } from './names';
import { classifyAddress, normalizeAddress } from '../net/host-address';
import type { Cluster, Host } from './cluster';
import { validateSettings } from './validate-settings';
import { settingsProblemReason } from './settings-problem-text';

/** One thing wrong with a cluster: where (a path like `hosts[2].address`) and why, in words a person can act on. */
export interface ClusterProblem {
  path: string;
  message: string;
}

/** A local path to a private key: any file name, but nothing that could end a line or a C string on its way. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_PATH = 4096;

/** Probe facts are shown and a few are used (arch picks binaries): plain words only. */
const PROBE_WORD = /^[A-Za-z0-9_.+-]{0,64}$/;

/**
 * The one gate into the model: every rule a cluster must meet before it is used or stored, whoever sent it
 * (an API call, a paste, an import, the settings form, or a cluster.yaml read from disk). The zod schema gives
 * the shape; this gives the meaning: addresses, names, users, ports, paths, ids, references and the settings.
 */
export function validateCluster(cluster: Cluster): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const ids = new Map<string, number>();
  const addresses = new Map<string, number>();
  const names = new Map<string, number>();
  cluster.hosts.forEach((host, i) => {
    const at = `hosts[${i}]`;
    const add = (field: string, message: string) => problems.push({ path: `${at}.${field}`, message });
    checkHost(host, add);
    firstOnly(ids, host.id, i, (j) => add('id', `the id "${host.id}" is also used by hosts[${j}]`));
    // Address and port together: machines behind one address (port forwards to several hosts) are told apart by port.
    if (classifyAddress(host.address) !== undefined)
      firstOnly(addresses, `${normalizeAddress(host.address)} ${host.port}`, i, (j) =>
        add('address', `${host.address} port ${host.port} is also how hosts[${j}] is reached`),
      );
    firstOnly(names, host.name.toLowerCase(), i, (j) => add('name', `the name "${host.name}" is also used by hosts[${j}]`));
  });
  checkJumps(cluster.hosts, problems);
  for (const problem of validateSettings(cluster.settings, cluster.hosts)) {
    problems.push({ path: `settings.${problem.field}`, message: settingsProblemReason(problem) });
  }
  return problems;
}

function checkHost(host: Host, add: (field: string, message: string) => void): void {
  if (!isHostId(host.id)) add('id', `"${host.id}" is not a host id (letters, digits, dashes and underscores, 1–64 characters)`);
  if (classifyAddress(host.address) === undefined) add('address', `"${host.address}" is not an IPv4 or IPv6 address or a DNS name`);
  if (!isNodeName(host.name)) add('name', `"${host.name}" cannot be a Kubernetes node name (letters, digits, dashes and dots)`);
  if (!isLoginName(host.user)) add('user', `"${host.user}" is not a user name (letters, digits, dots, dashes and underscores)`);
  if (host.auth.kind === 'key' && (CONTROL.test(host.auth.keyPath) || host.auth.keyPath.length > MAX_PATH))
    add('auth.keyPath', 'the key path contains control characters or is too long');
  if (host.jump?.kind === 'spec' && !isJumpSpec(host.jump.spec))
    add('jump', `"${host.jump.spec}" is not a jump host OpenSSH would understand (user@host:port)`);
  const probe = host.probe;
  if (probe?.arch !== undefined && !PROBE_WORD.test(probe.arch)) add('probe.arch', `"${probe.arch}" is not a machine architecture`);
  if (probe?.os !== undefined && (!PROBE_WORD.test(probe.os.id) || !PROBE_WORD.test(probe.os.version)))
    add('probe.os', 'the operating system facts are not plain words');
}

function checkJumps(hosts: readonly Host[], problems: ClusterProblem[]): void {
  hosts.forEach((host, i) => {
    if (host.jump?.kind !== 'host') return;
    const problem = jumpProblem(hosts, host.id, host.jump.hostId);
    const path = `hosts[${i}].jump`;
    if (problem === 'missing') problems.push({ path, message: `the jump host "${host.jump.hostId}" is not in the inventory` });
    if (problem === 'loop') problems.push({ path, message: 'the host would be reached through itself' });
  });
}

/**
 * What is wrong with reaching `hostId` through `jumpId`: a jump host not in the inventory, or a chain that comes back
 * to the host itself (it could never be reached). Shared by the gate and the host form's own check.
 */
export function jumpProblem(hosts: readonly Host[], hostId: string, jumpId: string): 'missing' | 'loop' | undefined {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  if (!byId.has(jumpId)) return 'missing';
  for (let at: string | undefined = jumpId, hops = 0; at !== undefined && hops <= hosts.length; hops++) {
    if (at === hostId) return 'loop';
    const next = byId.get(at);
    at = next?.jump?.kind === 'host' ? next.jump.hostId : undefined;
  }
  return undefined;
}

function firstOnly(seen: Map<string, number>, key: string, index: number, duplicate: (first: number) => void): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, index);
  else duplicate(first);
}
