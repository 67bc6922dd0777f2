import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { SshAlias } from '../../src-shared/contract/inventory';

interface Block {
  patterns: string[];
  options: Map<string, string>;
}

const OPTIONS: Record<string, keyof Omit<SshAlias, 'alias'>> = {
  hostname: 'hostName',
  user: 'user',
  port: 'port',
  identityfile: 'identityFile',
  proxyjump: 'proxyJump',
};

/**
 * The Host aliases of an OpenSSH client config, each with the options Kubesmith can use,
 * resolved as ssh does: for every option the first value from a matching block wins, so
 * "Host *" defaults below an alias fill in what it leaves out. Wildcard patterns are not
 * offered as aliases; Match blocks are skipped.
 */
export function parseSshConfig(text: string, home: string): SshAlias[] {
  const blocks = parseBlocks(text);
  const aliases: SshAlias[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    for (const alias of block.patterns) {
      if (/[*?!]/.test(alias) || seen.has(alias)) continue;
      seen.add(alias);
      aliases.push({ alias, ...resolveFor(blocks, alias, home) });
    }
  }
  return aliases;
}

/**
 * What ssh would use for a host that no specific block names: the options of "Host *" (and the lines before any
 * Host), for hosts typed as bare addresses (a new cluster's pasted ranges).
 */
export function sshDefaults(text: string, home: string): Omit<SshAlias, 'alias' | 'hostName'> {
  const { hostName: _hostName, ...rest } = resolveFor(parseBlocks(text), '\u0000', home);
  return rest;
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined = { patterns: ['*'], options: new Map() };
  blocks.push(current);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toLowerCase();
    const args = splitArgs(match[2]!);
    if (keyword === 'host') {
      current = { patterns: args, options: new Map() };
      blocks.push(current);
    } else if (keyword === 'match') {
      current = undefined;
    } else if (current && keyword in OPTIONS && args[0] !== undefined && !current.options.has(keyword)) {
      current.options.set(keyword, args[0]);
    }
  }
  return blocks;
}

function resolveFor(blocks: Block[], alias: string, home: string): Omit<SshAlias, 'alias'> {
  const entry: Omit<SshAlias, 'alias'> = {};
  for (const candidate of blocks) {
    if (!matches(candidate.patterns, alias)) continue;
    for (const [keyword, value] of candidate.options) {
      const field = OPTIONS[keyword]!;
      if (entry[field] !== undefined) continue;
      if (field === 'port') {
        const port = Number(value);
        if (Number.isInteger(port) && port > 0 && port < 65536) entry.port = port;
      } else if (field === 'identityFile') {
        entry.identityFile = expandHome(value, home);
      } else if (field === 'proxyJump') {
        if (value.toLowerCase() !== 'none') entry.proxyJump = value;
      } else {
        entry[field] = value.replace(/%h/g, alias);
      }
    }
  }
  return entry;
}

/** ssh reads the config from disk, Include files in place; this does the same, a few levels deep at most. */
export async function readSshConfig(path: string, home: string, depth = 0): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  if (depth >= 4) return text;
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const include = /^\s*include(?:\s*=\s*|\s+)(.+)$/i.exec(line);
    if (!include) {
      lines.push(line);
      continue;
    }
    for (const pattern of splitArgs(include[1]!)) {
      const expanded = expandHome(pattern, home);
      const full = isAbsolute(expanded) ? expanded : join(home, '.ssh', expanded);
      for (const file of await globFiles(full)) {
        const included = await readSshConfig(file, home, depth + 1);
        if (included !== undefined) lines.push(included);
      }
    }
  }
  return lines.join('\n');
}

async function globFiles(pattern: string): Promise<string[]> {
  if (!/[*?]/.test(basename(pattern))) return [pattern];
  const dir = dirname(pattern);
  const re = globToRegExp(basename(pattern));
  try {
    return (await readdir(dir))
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function matches(patterns: string[], alias: string): boolean {
  let hit = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(alias)) {
      if (negated) return false;
      hit = true;
    }
  }
  return hit;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) args.push(m[1] ?? m[2]!);
  return args;
}

function expandHome(path: string, home: string): string {
  if (path === '~' || path.startsWith('~/')) return join(home, path.slice(1));
  return path.replace(/%d/g, home);
}
