import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { HostInputSchema } from '../../src-shared/contract/inventory';
import { KubesmithError } from '../../src-shared/errors';
import { isJumpSpec } from '../../src-shared/inventory/jump-spec';
import { ROLES, type Cluster, type Host, type Role } from '../../src-shared/model/cluster';
import { isLoginName, isNodeName } from '../../src-shared/model/names';
import { jumpProblem } from '../../src-shared/model/validate-cluster';
import { classifyAddress, normalizeAddress } from '../../src-shared/net/host-address';

export type HostInputValue = z.output<typeof HostInputSchema>;

/** Short, random and unique within the cluster: ids end up in file names and logs. */
export function newHostId(cluster: Pick<Cluster, 'hosts'>): string {
  const taken = new Set(cluster.hosts.map((h) => h.id));
  for (;;) {
    const id = `h-${randomBytes(4).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}

/** Roles once each, in the canonical order, whatever order the canvas sent. */
export function normalizeRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

export function findHost(cluster: Cluster, hostId: string): Host {
  const host = cluster.hosts.find((h) => h.id === hostId);
  if (!host) {
    throw new KubesmithError(
      'HostNotFound',
      `Cluster "${cluster.name}" has no host with id "${hostId}".`,
      'It may have been removed in another window; reload the inventory.',
    );
  }
  return host;
}

/** Adds a host, or replaces the one with the same id. Checks what the schema cannot: address, duplicates, jump host. */
export function upsertHost(cluster: Cluster, input: HostInputValue): { cluster: Cluster; host: Host } {
  const existing = input.id !== undefined ? findHost(cluster, input.id) : undefined;
  const id = existing?.id ?? newHostId(cluster);
  const address = input.address.trim();
  const name = input.name.trim();
  if (classifyAddress(address) === undefined) {
    throw new KubesmithError(
      'InvalidAddress',
      `"${address}" is not an IPv4 or IPv6 address or a DNS name.`,
      'Use an address like 192.168.50.20, fd00::20 or node1.home.lab.',
      { field: 'address' },
    );
  }
  if (!isNodeName(name)) {
    throw new KubesmithError(
      'InvalidHostName',
      `"${name}" cannot be a host name: it becomes the Kubernetes node name.`,
      'Use letters, digits, dots and dashes, without spaces.',
      { field: 'name' },
    );
  }
  if (!isLoginName(input.user)) {
    throw new KubesmithError(
      'InvalidUser',
      `"${input.user}" is not a user name.`,
      'Use the login name as on the host: letters, digits, dots, dashes and underscores.',
      { field: 'user' },
    );
  }
  const others = cluster.hosts.filter((h) => h.id !== id);
  const sameAddress = others.find((h) => normalizeAddress(h.address) === normalizeAddress(address));
  if (sameAddress) {
    throw new KubesmithError(
      'DuplicateHost',
      `${address} is already in the inventory as "${sameAddress.name}".`,
      'Edit that host instead of adding it again.',
      { field: 'address' },
    );
  }
  const sameName = others.find((h) => h.name.toLowerCase() === name.toLowerCase());
  if (sameName) {
    throw new KubesmithError(
      'DuplicateHost',
      `Another host is already named "${sameName.name}".`,
      'Host names must be unique; they become the Kubernetes node names.',
      { field: 'name' },
    );
  }
  if (input.jump?.kind === 'host') checkJumpHost(cluster, id, input.jump.hostId);
  if (input.jump?.kind === 'spec' && !isJumpSpec(input.jump.spec)) {
    throw new KubesmithError(
      'InvalidJumpHost',
      `"${input.jump.spec}" is not a jump host OpenSSH would understand.`,
      'Write it as user@host:port, like admin@bastion.lab:22.',
      { field: 'jump' },
    );
  }

  const { id: _id, ...fields } = input;
  const host: Host = { ...fields, id, name, address, roles: normalizeRoles(input.roles) };
  // A probe describes the machine Kubesmith reached; after a change of how to reach it, it may describe another one.
  if (existing?.probe && sameConnection(existing, host)) host.probe = existing.probe;
  const hosts = existing ? cluster.hosts.map((h) => (h.id === id ? host : h)) : [...cluster.hosts, host];
  return { cluster: { ...cluster, hosts }, host };
}

function sameConnection(a: Host, b: Host): boolean {
  return a.address === b.address && a.port === b.port && a.user === b.user && JSON.stringify(a.jump) === JSON.stringify(b.jump);
}

function checkJumpHost(cluster: Cluster, hostId: string, jumpId: string): void {
  const problem = jumpProblem(cluster.hosts, hostId, jumpId);
  if (problem === 'missing')
    throw new KubesmithError(
      'InvalidJumpHost',
      'The jump host is not in the inventory.',
      'Pick another host, or enter it as user@host:port.',
      { field: 'jump' },
    );
  if (problem === 'loop')
    throw new KubesmithError(
      'InvalidJumpHost',
      'A host cannot be reached through itself.',
      'Pick a jump host that does not go through this one.',
      { field: 'jump' },
    );
}

export function removeHost(cluster: Cluster, hostId: string): Cluster {
  const host = findHost(cluster, hostId);
  const dependants = cluster.hosts.filter((h) => h.jump?.kind === 'host' && h.jump.hostId === hostId);
  if (dependants.length > 0) {
    throw new KubesmithError(
      'HostInUse',
      `"${host.name}" is the jump host of ${dependants.map((h) => `"${h.name}"`).join(', ')}.`,
      'Give those hosts another jump host first.',
    );
  }
  return { ...cluster, hosts: cluster.hosts.filter((h) => h.id !== hostId) };
}

/** A Map, not the record itself: a host id such as "constructor" must never read a member of Object.prototype. */
export function setRoles(cluster: Cluster, roles: Record<string, Role[]>): Cluster {
  const wanted = new Map(Object.entries(roles));
  for (const hostId of wanted.keys()) findHost(cluster, hostId);
  return {
    ...cluster,
    hosts: cluster.hosts.map((h) => {
      const next = wanted.get(h.id);
      return next ? { ...h, roles: normalizeRoles(next) } : h;
    }),
  };
}
