import { KubesmithError } from '../../src-shared/errors';

/** The n-th address of an IPv4 CIDR (n = 1 is the first usable one, the "kubernetes" service). */
export function nthAddress(cidr: string, n: number): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.split(',')[0]?.trim() ?? '');
  if (!match) throw new KubesmithError('InvalidCidr', `"${cidr}" is not an IPv4 CIDR.`, 'Write it as 10.96.0.0/12.');
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 30) throw new KubesmithError('InvalidCidr', `"${cidr}" is not a usable IPv4 CIDR.`);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (n >= size - 1) throw new KubesmithError('InvalidCidr', `${cidr} is too small.`);
  const network = value - (value % size);
  const v = network + n;
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

/**
 * The ports the API server hands out to NodePort Services (its --service-node-port-range, at the upstream default);
 * kube-proxy forwards them on every node, so nothing else on a node should listen there.
 */
export const SERVICE_NODE_PORTS = { first: 30_000, last: 32_767 } as const;

/** host:port as URLs and nginx take it: an IPv6 address in brackets (RFC 3986 §3.2.2). */
export function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
