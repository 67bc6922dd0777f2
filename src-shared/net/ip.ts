export type IpFamily = 4 | 6;

/** An IP address as a number, so ranges, prefixes and comparisons are plain arithmetic. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export const IP_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Dotted quad only. Leading zeros are refused: some tools read "010" as octal, others as decimal. */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** RFC 4291 text forms: full, "::"-compressed, and with a trailing dotted quad. Zone ids (%eth0) are refused. */
export function parseIPv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let body = text;
  if (body.includes('.')) {
    // A trailing dotted quad (::ffff:192.0.2.1) stands for the last two groups.
    const lastColon = body.lastIndexOf(':');
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (v4 === undefined || lastColon < 0) return undefined;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: bigint[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const rest = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const given = [...head, ...rest];
  let groups: bigint[];
  if (halves.length === 2) {
    if (given.length > 7) return undefined;
    groups = [...head, ...Array<bigint>(8 - given.length).fill(0n), ...rest];
  } else {
    if (given.length !== 8) return undefined;
    groups = given;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

/** Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as "::"). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
