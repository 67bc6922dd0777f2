import { classifyAddress, normalizeAddress } from '../net/host-address';
import { formatIp, parseIPv4, parseIPv6 } from '../net/ip';
import { isLoginName, isNodeName } from '../model/names';

/** One range line may add at most this many hosts, so a typo like .1-254 in the wrong octet cannot add thousands. */
export const MAX_RANGE = 256;

export interface PastedHost {
  /** 1-based line of the pasted text this host came from. */
  line: number;
  name: string;
  address: string;
  user?: string;
  port?: number;
}

export const PASTE_ERROR_CODES = [
  'badAddress',
  'badRange',
  'rangeTooLarge',
  'badPort',
  'badUser',
  'badName',
  'tooManyFields',
  'twoAddresses',
  'duplicateInList',
  'alreadyInInventory',
  'duplicateName',
  'nameTaken',
] as const;
export type PasteErrorCode = (typeof PASTE_ERROR_CODES)[number];

export interface PasteError {
  line: number;
  code: PasteErrorCode;
  params: Record<string, string | number>;
}

export interface PasteResult {
  hosts: PastedHost[];
  errors: PasteError[];
}

export interface ExistingHosts {
  names: readonly string[];
  addresses: readonly string[];
}

interface Target {
  user?: string;
  port?: number;
  addresses: string[];
}

type TargetParse = { ok: true; target: Target } | { ok: false; code: PasteErrorCode; params: Record<string, string | number> };

/**
 * Reads a pasted list of machines, one a line: an address (IPv4, IPv6, DNS name), a range
 * (192.168.50.20-22 or 192.168.50.20-192.168.50.22), optionally as user@address:port
 * ([fd00::1]:2222 for IPv6), and optionally with a name before or after it ("etcd-1 192.168.50.20",
 * or /etc/hosts style "192.168.50.20 etcd-1"). A name with a range numbers the hosts: worker-1, worker-2…
 * Blank lines and # comments are skipped. Every problem is reported with its line.
 */
export function parseHostList(text: string, existing: ExistingHosts = { names: [], addresses: [] }): PasteResult {
  const hosts: PastedHost[] = [];
  const errors: PasteError[] = [];
  const takenAddresses = new Set(existing.addresses.map(normalizeAddress));
  const takenNames = new Set(existing.names.map((n) => n.toLowerCase()));
  const seenAddresses = new Map<string, number>();
  const seenNames = new Map<string, number>();

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*/, '').trim();
    if (content === '') return;
    const fail = (code: PasteErrorCode, params: Record<string, string | number> = {}) => errors.push({ line, code, params });
    const tokens = content.split(/\s+/);
    if (tokens.length > 2) return fail('tooManyFields', { count: tokens.length });

    let addressToken = tokens[0]!;
    let name: string | undefined;
    if (tokens.length === 2) {
      const [first, second] = tokens as [string, string];
      const firstIp = looksLikeIp(first);
      const secondIp = looksLikeIp(second);
      if (firstIp && secondIp) return fail('twoAddresses', { first, second });
      [name, addressToken] = firstIp ? [second, first] : [first, second];
      if (!isNodeName(name)) return fail('badName', { name });
    }

    const parsed = parseTarget(addressToken);
    if (!parsed.ok) return fail(parsed.code, parsed.params);
    const { addresses, user, port } = parsed.target;

    const lineHosts: PastedHost[] = [];
    for (const [i, address] of addresses.entries()) {
      const hostName = name === undefined ? address : addresses.length > 1 ? `${name}-${i + 1}` : name;
      const key = normalizeAddress(address);
      if (takenAddresses.has(key)) return fail('alreadyInInventory', { address });
      const firstLine = seenAddresses.get(key);
      if (firstLine !== undefined) return fail('duplicateInList', { address, firstLine });
      const nameKey = hostName.toLowerCase();
      if (takenNames.has(nameKey)) return fail('nameTaken', { name: hostName });
      const nameLine = seenNames.get(nameKey);
      if (nameLine !== undefined) return fail('duplicateName', { name: hostName, firstLine: nameLine });
      lineHosts.push({ line, name: hostName, address, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) });
    }
    for (const host of lineHosts) {
      seenAddresses.set(normalizeAddress(host.address), line);
      seenNames.set(host.name.toLowerCase(), line);
      hosts.push(host);
    }
  });
  return { hosts, errors };
}

/** Digits, dots, dashes, colons and brackets only: meant as an IP address or range, even if mistyped. */
function looksLikeIp(token: string): boolean {
  const host = token.replace(/^[^@]*@/, '');
  return /^[0-9.-]+(:[0-9]+)?$/.test(host) || host.includes(':') || host.startsWith('[');
}

function parseTarget(token: string): TargetParse {
  let rest = token;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!isLoginName(user)) return { ok: false, code: 'badUser', params: { user } };
  }
  let host = rest;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { ok: false, code: 'badAddress', params: { text: token } };
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return { ok: false, code: 'badAddress', params: { text: token } };
      portText = after.slice(1);
    }
    if (parseIPv6(host) === undefined) return { ok: false, code: 'badAddress', params: { text: host } };
  } else if (parseIPv6(rest) === undefined && rest.includes(':')) {
    // More than one colon is an IPv6 attempt; a port after IPv6 needs brackets.
    if (rest.indexOf(':') !== rest.lastIndexOf(':')) return { ok: false, code: 'badAddress', params: { text: rest } };
    const colon = rest.lastIndexOf(':');
    host = rest.slice(0, colon);
    portText = rest.slice(colon + 1);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^[0-9]{1,5}$/.test(portText) || port < 1 || port > 65535) return { ok: false, code: 'badPort', params: { port: portText } };
  }
  const addresses = expandRange(host);
  if (!addresses.ok) return addresses;
  return {
    ok: true,
    target: { addresses: addresses.addresses, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) },
  };
}

type RangeParse = { ok: true; addresses: string[] } | { ok: false; code: PasteErrorCode; params: Record<string, string | number> };

function expandRange(host: string): RangeParse {
  const dash = host.indexOf('-');
  const isRange = dash > 0 && /^[0-9.]+-[0-9.]+$/.test(host);
  if (!isRange) {
    if (classifyAddress(host) === undefined) return { ok: false, code: 'badAddress', params: { text: host } };
    return { ok: true, addresses: [host] };
  }
  const startText = host.slice(0, dash);
  const endText = host.slice(dash + 1);
  const start = parseIPv4(startText);
  // Short form: the end is only the last octet.
  const end = endText.includes('.')
    ? parseIPv4(endText)
    : start !== undefined && /^[0-9]{1,3}$/.test(endText)
      ? (start & ~0xffn) | BigInt(endText)
      : undefined;
  if (start === undefined || end === undefined || Number(endText.split('.').pop()) > 255) {
    return { ok: false, code: 'badRange', params: { text: host } };
  }
  if (end < start) return { ok: false, code: 'badRange', params: { text: host } };
  const count = Number(end - start) + 1;
  if (count > MAX_RANGE) return { ok: false, code: 'rangeTooLarge', params: { text: host, count, max: MAX_RANGE } };
  const addresses: string[] = [];
  for (let v = start; v <= end; v++) addresses.push(formatIp({ family: 4, value: v }));
  return { ok: true, addresses };
}
