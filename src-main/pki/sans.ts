import { isIPv4, isIPv6 } from 'node:net';

/** Subject alternative names, split by type as X.509 stores them. */
export interface SubjectAltNames {
  dns: string[];
  ip: string[];
}

export type ParsedName = { kind: 'ip'; value: string } | { kind: 'dns'; value: string };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Kubernetes node name: an RFC 1123 subdomain (lower case, dots allowed, 253 characters at most). */
export function isNodeName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => DNS_LABEL.test(label));
}

/** IPv6 in its canonical short form; IPv4 as is. Undefined when not an IP address. */
export function normalizeIp(text: string): string | undefined {
  if (isIPv4(text)) return text;
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Zone ids (fe80::1%eth0) have no meaning in a certificate.
  if (!isIPv6(bare) || bare.includes('%')) return undefined;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

/**
 * A DNS name as a certificate may carry it: lower-cased, one optional leading wildcard label.
 * All-numeric names are refused, since "10.0.0.300" is a typo for an IP, not a host name.
 */
export function normalizeDnsName(text: string): string | undefined {
  const name = text.toLowerCase();
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  const [first, ...rest] = labels;
  const checked = first === '*' && rest.length >= 2 ? rest : labels;
  if (!checked.every((label) => DNS_LABEL.test(label))) return undefined;
  if (labels.every((label) => /^[0-9]+$/.test(label))) return undefined;
  return name;
}

/** An IP or a DNS name, or undefined when it is neither. */
export function parseName(text: string): ParsedName | undefined {
  const trimmed = text.trim();
  const ip = normalizeIp(trimmed);
  if (ip !== undefined) return { kind: 'ip', value: ip };
  const dns = normalizeDnsName(trimmed);
  return dns === undefined ? undefined : { kind: 'dns', value: dns };
}

/** Deduplicated and sorted, so the same inputs always give the same certificate and the same hash. */
export function collectSans(names: ParsedName[]): SubjectAltNames {
  const dns = new Set<string>();
  const ip = new Set<string>();
  for (const name of names) (name.kind === 'ip' ? ip : dns).add(name.value);
  return { dns: [...dns].sort(), ip: [...ip].sort() };
}

/**
 * The first usable address of a CIDR, which Kubernetes gives the "kubernetes" service.
 * Only the first CIDR of a dual-stack list counts, as in kubeadm.
 */
export function firstServiceIp(serviceCidr: string): string | undefined {
  const primary = serviceCidr.split(',')[0]?.trim() ?? '';
  const match = /^([^/]+)\/(\d{1,3})$/.exec(primary);
  if (!match) return undefined;
  const address = normalizeIp(match[1] ?? '');
  const prefix = Number(match[2]);
  if (address === undefined) return undefined;
  const v4 = isIPv4(address);
  const bits = v4 ? 32 : 128;
  if (prefix > bits - 2) return undefined;
  const value = v4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  return v4 ? bigIntToIpv4(network + 1n) : bigIntToIpv6(network + 1n);
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function ipv6ToBigInt(ip: string): bigint {
  const [head = '', tail] = ip.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const expandV4 = (groups: string[]): string[] => groups.flatMap((g) => (g.includes('.') ? splitV4IntoGroups(g) : [g]));
  const h = expandV4(headGroups);
  const t = expandV4(tailGroups);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function splitV4IntoGroups(v4: string): string[] {
  const n = ipv4ToBigInt(v4);
  return [((n >> 16n) & 0xffffn).toString(16), (n & 0xffffn).toString(16)];
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return normalizeIp(groups.join(':')) ?? groups.join(':');
}

/** Host part of an https URL, for the apiserver certificate; undefined when the URL is not usable. */
export function httpsUrlHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return undefined;
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return parseName(host)?.value;
}

/** "https://<address>:<port>", bracketing IPv6 addresses. */
export function httpsUrl(address: string, port: number): string {
  return isIPv6(address) ? `https://[${address}]:${port}` : `https://${address}:${port}`;
}
