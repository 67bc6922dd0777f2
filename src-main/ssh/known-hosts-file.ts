import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic-write';
import { formatKnownHostLine, knownHostName, parseKnownHosts, removeHostKeyLines, type KnownHostsSource } from './known-hosts';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export async function readKnownHostsSource(path: string): Promise<KnownHostsSource> {
  return { file: path, entries: parseKnownHosts(await readText(path)) };
}

// Writers in this process are chained so two hosts accepted at once cannot lose each other's line.
const writeQueues = new Map<string, Promise<unknown>>();

function serialised<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = writeQueues.get(path) ?? Promise.resolve();
  const next = previous.then(task, task);
  writeQueues.set(
    path,
    next.catch(() => undefined),
  );
  return next;
}

function withLine(text: string, line: string): string {
  const body = text.replace(/\n+$/, '');
  return body === '' ? `${line}\n` : `${body}\n${line}\n`;
}

/** Records a newly trusted host key in the workspace known_hosts file. */
export function appendKnownHost(path: string, host: string, port: number, keyType: string, keyBase64: string): Promise<void> {
  return serialised(path, async () => {
    const text = await readText(path);
    const name = knownHostName(host, port);
    const already = parseKnownHosts(text).some((e) => e.hosts === name && e.keyType === keyType && e.keyBase64 === keyBase64);
    if (already) return;
    await writeFileAtomic(path, withLine(text, formatKnownHostLine(host, port, keyType, keyBase64)), 0o644);
  });
}

/** Replaces whatever key of this type the workspace file holds for the host with the given one. */
export function replaceKnownHostKey(path: string, host: string, port: number, keyType: string, keyBase64: string): Promise<void> {
  return serialised(path, async () => {
    const text = removeHostKeyLines(await readText(path), host, port, keyType);
    await writeFileAtomic(path, withLine(text, formatKnownHostLine(host, port, keyType, keyBase64)), 0o644);
  });
}
