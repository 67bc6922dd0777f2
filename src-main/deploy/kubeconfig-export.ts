import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { KubesmithError } from '../../src-shared/errors';
import { writeFileAtomic } from '../store/atomic-write';

type Named = { name: string };
interface KubeconfigDoc {
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

/** Merges one kubeconfig into another: entries of the same name are replaced, the new context becomes current. */
export function mergeKubeconfig(existingText: string | undefined, addedText: string): string {
  const existing = (existingText ? (parse(existingText) as KubeconfigDoc | null) : null) ?? { apiVersion: 'v1', kind: 'Config' };
  const added = parse(addedText) as KubeconfigDoc;
  const merge = (a: Named[] | undefined, b: Named[] | undefined): Named[] => {
    const names = new Set((b ?? []).map((x) => x.name));
    return [...(a ?? []).filter((x) => !names.has(x.name)), ...(b ?? [])];
  };
  return stringify(
    {
      ...existing,
      clusters: merge(existing.clusters, added.clusters),
      users: merge(existing.users, added.users),
      contexts: merge(existing.contexts, added.contexts),
      'current-context': added['current-context'],
    },
    { lineWidth: 0 },
  );
}

/** Writes the admin kubeconfig to a file, or merges it into ~/.kube/config (KUBECONFIG's first file if set). */
export async function exportKubeconfig(text: string, target: { kind: 'merge' } | { kind: 'file'; path: string }): Promise<string> {
  if (target.kind === 'file') {
    if (!target.path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(target.path))
      throw new KubesmithError('InvalidPath', 'Give the full path of the file to write.');
    await writeFileAtomic(target.path, text, 0o600);
    return target.path;
  }
  const path = process.env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':')[0] || join(homedir(), '.kube', 'config');
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch {
    existing = undefined;
  }
  await writeFileAtomic(path, mergeKubeconfig(existing, text), 0o600);
  return path;
}
