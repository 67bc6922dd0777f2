import { formatIp, parseIp } from './ip';

export type AddressKind = 'ipv4' | 'ipv6' | 'dns';

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/i;

/**
 * A host name as DNS resolves it (RFC 1123): dot-separated labels of letters, digits and dashes.
 * A single label ("nas") is fine for home networks. An all-numeric last label is refused, so a
 * mistyped IPv4 address such as 192.168.50.300 is never taken for a name.
 */
export function isDnsName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]!);
}

/** A subject alternative name may also be a wildcard name: *.apps.example.com. */
export function isSanName(text: string): boolean {
  return isDnsName(text.startsWith('*.') ? text.slice(2) : text);
}

export function classifyAddress(text: string): AddressKind | undefined {
  const ip = parseIp(text);
  if (ip) return ip.family === 4 ? 'ipv4' : 'ipv6';
  return isDnsName(text) ? 'dns' : undefined;
}

/** One spelling per machine, so "FD00::0001" and "fd00::1", or "NAS.lan." and "nas.lan", compare equal. */
export function normalizeAddress(text: string): string {
  const ip = parseIp(text);
  if (ip) return formatIp(ip);
  return text.toLowerCase().replace(/\.$/, '');
}
