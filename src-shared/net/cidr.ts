import { formatIp, IP_BITS, parseIp, type IpAddress, type IpFamily } from './ip';

export interface Cidr {
  readonly family: IpFamily;
  /** The first address of the block; host bits are zero. */
  readonly network: bigint;
  readonly prefix: number;
}

export type CidrProblem =
  /** Not "address/prefix" at all. */
  | 'syntax'
  /** The prefix is not a number from 0 to 32 (IPv4) or 128 (IPv6). */
  | 'prefix'
  /** The address has bits set past the prefix: 10.96.0.1/12 instead of 10.96.0.0/12. */
  | 'hostBits';

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; problem: CidrProblem; suggestion?: string };

export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, problem: 'syntax' };
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip) return { ok: false, problem: 'syntax' };
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > IP_BITS[ip.family]) return { ok: false, problem: 'prefix' };
  const prefix = Number(prefixText);
  const network = ip.value & prefixMask(ip.family, prefix);
  if (network !== ip.value) {
    return { ok: false, problem: 'hostBits', suggestion: formatCidr({ family: ip.family, network, prefix }) };
  }
  return { ok: true, cidr: { family: ip.family, network, prefix } };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(IP_BITS[family]);
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & prefixMask(cidr.family, cidr.prefix)) === cidr.network;
}

/** Two blocks overlap exactly when the larger one contains the other's first address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const [wide, narrow] = a.prefix <= b.prefix ? [a, b] : [b, a];
  return cidrContains(wide, { family: narrow.family, value: narrow.network });
}

/** How many addresses the block holds, as a number of host bits (2^bits addresses). */
export function hostBits(cidr: Cidr): number {
  return IP_BITS[cidr.family] - cidr.prefix;
}
