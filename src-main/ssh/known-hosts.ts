import { createHmac } from 'node:crypto';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** 1-based, for messages that point the user at the line. */
  line: number;
  marker: 'cert-authority' | 'revoked' | undefined;
  /** Comma-separated patterns, or a hashed "|1|salt|hash" name. */
  hosts: string;
  keyType: string;
  keyBase64: string;
}

/** The name OpenSSH looks up: the bare host for port 22, "[host]:port" otherwise. */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

export function formatKnownHostLine(host: string, port: number, keyType: string, keyBase64: string): string {
  return `${knownHostName(host, port)} ${keyType} ${keyBase64}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@cert-authority' || fields[0] === '@revoked') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    } else if (fields[0]?.startsWith('@')) {
      continue;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) continue;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) continue;
    entries.push({ line: i + 1, marker, hosts, keyType, keyBase64 });
  }
  return entries;
}

function hashedNameMatches(hashed: string, name: string): boolean {
  const parts = hashed.split('|');
  // "|1|salt|hash" splits into ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || parts[2] === undefined || parts[3] === undefined) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const expected = createHmac('sha1', salt).update(name).digest('base64');
  return expected === parts[3];
}

/** OpenSSH's match_pattern: '*' any run, '?' any one character, case-insensitive. */
function wildcardMatches(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`).test(name);
}

export function entryMatchesHost(entry: Pick<KnownHostEntry, 'hosts'>, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hosts.startsWith('|')) return hashedNameMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardMatches(pattern.slice(1), name)) return false;
    } else if (wildcardMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

export interface KnownHostsSource {
  /** Shown in messages. */
  file: string;
  entries: readonly KnownHostEntry[];
}

export type HostKeyVerdict =
  | { kind: 'known'; file: string; line: number }
  | { kind: 'changed'; file: string; line: number; storedKeyBase64: string }
  | { kind: 'revoked'; file: string; line: number }
  | { kind: 'unknown'; knownTypes: string[] };

/**
 * Decides what to make of a presented host key. Sources are in priority
 * order: the first one holding a key of the same type for this host decides,
 * so a key deliberately replaced in the workspace file overrides a stale one
 * in the read-only ~/.ssh/known_hosts.
 */
export function checkHostKey(
  sources: readonly KnownHostsSource[],
  host: string,
  port: number,
  keyType: string,
  keyBase64: string,
): HostKeyVerdict {
  for (const source of sources) {
    for (const e of source.entries) {
      if (e.marker === 'revoked' && e.keyBase64 === keyBase64 && entryMatchesHost(e, host, port)) {
        return { kind: 'revoked', file: source.file, line: e.line };
      }
    }
  }
  const knownTypes = new Set<string>();
  for (const source of sources) {
    const sameType = source.entries.filter((e) => e.marker === undefined && e.keyType === keyType && entryMatchesHost(e, host, port));
    const match = sameType.find((e) => e.keyBase64 === keyBase64);
    if (match !== undefined) return { kind: 'known', file: source.file, line: match.line };
    const stale = sameType[0];
    if (stale !== undefined) return { kind: 'changed', file: source.file, line: stale.line, storedKeyBase64: stale.keyBase64 };
    for (const e of source.entries) {
      if (e.marker === undefined && entryMatchesHost(e, host, port)) knownTypes.add(e.keyType);
    }
  }
  return { kind: 'unknown', knownTypes: [...knownTypes] };
}

/** Key types already on record for a host, so the handshake can ask for one of those first (as OpenSSH does). */
export function knownKeyTypes(sources: readonly KnownHostsSource[], host: string, port: number): string[] {
  const types = new Set<string>();
  for (const source of sources) {
    for (const e of source.entries) {
      if (e.marker === undefined && entryMatchesHost(e, host, port)) types.add(e.keyType);
    }
  }
  return [...types];
}

/** Drops the lines naming this host with this key type; everything else (comments included) stays as it was. */
export function removeHostKeyLines(text: string, host: string, port: number, keyType: string): string {
  const doomed = new Set(
    parseKnownHosts(text)
      .filter((e) => e.marker === undefined && e.keyType === keyType && entryMatchesHost(e, host, port))
      .map((e) => e.line),
  );
  return text
    .split(/\r?\n/)
    .filter((_, i) => !doomed.has(i + 1))
    .join('\n');
}
