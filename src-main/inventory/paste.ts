import { KubesmithError } from '../../src-shared/errors';
import { parseHostList, type PasteError, type PasteErrorCode } from '../../src-shared/inventory/paste-hosts';
import type { Cluster, Host } from '../../src-shared/model/cluster';
import { newHostId } from './host-edits';

export interface PasteDefaults {
  user?: string | undefined;
  port?: number | undefined;
  keyPath?: string | undefined;
}

/** Adds every host of a pasted list, or none: a list with a wrong line is refused whole, with each line's reason. */
export function addPastedHosts(cluster: Cluster, text: string, defaults: PasteDefaults = {}): { cluster: Cluster; added: string[] } {
  const { hosts, errors } = parseHostList(text, {
    names: cluster.hosts.map((h) => h.name),
    addresses: cluster.hosts.map((h) => h.address),
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, 5).map(describePasteError).join('; ');
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    throw new KubesmithError(
      'InvalidHostList',
      `${errors.length === 1 ? 'One line' : `${errors.length} lines`} of the list could not be read: ${shown}${more}.`,
      'Fix those lines and paste again; nothing was added.',
      { errors },
    );
  }
  if (hosts.length === 0)
    throw new KubesmithError(
      'InvalidHostList',
      'The list has no addresses in it.',
      'Paste one address, range or "name address" pair a line.',
    );
  let next = cluster;
  const added: string[] = [];
  for (const pasted of hosts) {
    const host: Host = {
      id: newHostId(next),
      name: pasted.name,
      address: pasted.address,
      port: pasted.port ?? defaults.port ?? 22,
      user: pasted.user ?? defaults.user ?? 'root',
      auth: defaults.keyPath ? { kind: 'key', keyPath: defaults.keyPath, hasPassphrase: false } : { kind: 'agent' },
      sudo: 'none',
      roles: [],
    };
    next = { ...next, hosts: [...next.hosts, host] };
    added.push(host.id);
  }
  return { cluster: next, added };
}

const ENGLISH: Record<PasteErrorCode, (p: PasteError['params']) => string> = {
  badAddress: (p) => `"${p.text}" is not an IPv4 or IPv6 address or a DNS name`,
  badRange: (p) => `"${p.text}" is not a range like 192.168.50.20-22`,
  rangeTooLarge: (p) => `"${p.text}" covers ${p.count} addresses, more than ${p.max}`,
  badPort: (p) => `port "${p.port}" is not a number from 1 to 65535`,
  badUser: (p) => `"${p.user}" is not a user name`,
  badName: (p) => `"${p.name}" cannot be a host name`,
  tooManyFields: () => 'has more than a name and an address',
  twoAddresses: (p) => `has two addresses (${p.first}, ${p.second})`,
  duplicateInList: (p) => `${p.address} is already on line ${p.firstLine}`,
  alreadyInInventory: (p) => `${p.address} is already in the inventory`,
  duplicateName: (p) => `the name "${p.name}" is already on line ${p.firstLine}`,
  nameTaken: (p) => `a host is already named "${p.name}"`,
};

export function describePasteError(error: PasteError): string {
  return `line ${error.line}: ${ENGLISH[error.code](error.params)}`;
}
