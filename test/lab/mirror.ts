import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES_DIR = '/etc/apt/sources.list.d';

interface Source {
  uris: string[];
  suites: string[];
}

function parseOneLine(text: string): Source[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.startsWith('deb '))
    .map((l) => l.replace(/\[[^\]]*\]/, '').split(/\s+/))
    .map(([, uri, suite]) => ({ uris: uri ? [uri] : [], suites: suite ? [suite] : [] }));
}

function parseDeb822(text: string): Source[] {
  return text.split(/\n\s*\n/).flatMap((stanza) => {
    const field = (name: string): string[] =>
      stanza
        .match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'))?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    if (!field('Types').includes('deb') || field('Enabled')[0] === 'no') return [];
    return [{ uris: field('URIs'), suites: field('Suites') }];
  });
}

/** The Debian mirror this machine's apt already uses for `suite`: the lab never contacts anything else. */
export function debianMirror(suite: string): string {
  const sources: Source[] = [];
  if (existsSync('/etc/apt/sources.list')) sources.push(...parseOneLine(readFileSync('/etc/apt/sources.list', 'utf8')));
  if (existsSync(SOURCES_DIR)) {
    for (const file of readdirSync(SOURCES_DIR).sort()) {
      const text = readFileSync(join(SOURCES_DIR, file), 'utf8');
      if (file.endsWith('.list')) sources.push(...parseOneLine(text));
      if (file.endsWith('.sources')) sources.push(...parseDeb822(text));
    }
  }
  const uri = sources.find((s) => s.suites.includes(suite))?.uris[0];
  if (!uri)
    throw new Error(
      `lab: no apt source for Debian ${suite} in /etc/apt/sources.list or ${SOURCES_DIR}; the lab builds its image only from the machine's configured mirror`,
    );
  return uri;
}
