import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KubesmithError } from '../../src-shared/errors';

/**
 * pki/manifest.json: what Kubesmith wrote into pki/.
 * - files: SHA-256 of every file as written, so a foreign or hand-edited file is recognised
 *   instead of being silently overwritten or trusted.
 * - pending: the files a run is about to write, recorded before writing them; an interrupted
 *   run thus leaves only files Kubesmith recognises as its own.
 * - entries: per certificate, key pair or kubeconfig, a hash of the inputs it was made from;
 *   a leaf is re-issued only when that hash changes.
 */
export const ManifestEntrySchema = z.object({
  kind: z.enum(['ca', 'certificate', 'key-pair', 'kubeconfig']),
  inputs: z.string(),
  /** A CA or service-account key the user put into pki/ before the first run, adopted as is. */
  imported: z.boolean().optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const ManifestSchema = z.object({
  generator: z.literal('kubesmith'),
  version: z.literal(1),
  entries: z.record(z.string(), ManifestEntrySchema),
  files: z.record(z.string(), z.string()),
  pending: z.record(z.string(), z.string()).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function emptyManifest(): Manifest {
  return { generator: 'kubesmith', version: 1, entries: {}, files: {} };
}

export function parseManifest(text: string, path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw corrupt(path, parsed.error.issues[0]?.message ?? 'unexpected content');
  return parsed.data;
}

function corrupt(path: string, reason: string): KubesmithError {
  return new KubesmithError(
    'PkiManifestCorrupt',
    `The PKI manifest ${path} cannot be read: ${reason}.`,
    'Restore it from a backup, or move the pki folder away to generate a new PKI.',
    { path },
  );
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of a plain value, independent of key order. */
export function inputsHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
