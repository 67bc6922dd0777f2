import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import type { SecretCipher } from '../store/secret-cipher';
import { readClusterInputs } from './cluster-inputs';
import { commitToFolder, type FileWrite } from './commit';
import { loadExistingPki, type ExistingPki } from './existing-pki';
import { generateKeyPairPem, keyAlgorithmOf, type KeyPairGenerator, type KeyType } from './keys';
import { renderKubeconfig } from './kubeconfig';
import { layoutFiles, planLayout, type LeafEntry, type PkiLayout } from './layout';
import { listCertificates } from './list';
import { inputsHash, type Manifest, type ManifestEntry } from './manifest';
import { resolveOptions, type PkiOptions, type RenewOptions, type ResolvedOptions } from './options';
import { refuseForeignFiles, refuseModifiedFiles, readPkiFolder, type PkiFolder } from './pki-folder';
import { produce, type IssuedPair, type Production } from './produce';
import { yieldToEventLoop } from './scheduling';
import { EXT_KEY_USAGES, keyUsagesFor } from './profiles';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, sealSecret, secretDiskPath, secretDiskVariants } from './secret-files';
import type { IssueReason, PkiSummary } from './types';
import { certificateDigest, isSignedBy, type ParsedCertificate } from './x509';

/** What generation needs from the outside world; tests swap in pre-made keys and a fixed clock. */
export interface PkiDeps {
  generateKeyPair: KeyPairGenerator;
  now: () => Date;
}

const defaultDeps: PkiDeps = { generateKeyPair: generateKeyPairPem, now: () => new Date() };

/**
 * Creates or completes the cluster's PKI in opts.pkiDir. Existing CAs and the service-account key
 * are kept; a leaf is issued again only when what it is made from changed, it expired, or it is
 * missing. Every input and every file already in the folder is checked before anything is written.
 */
export function generateClusterPki(cluster: Cluster, opts: PkiOptions, deps: PkiDeps = defaultDeps): Promise<PkiSummary> {
  return oneAtATime(opts.pkiDir, () => run(cluster, opts, deps, { kind: 'generate' }));
}

/** Issues one leaf again (same CA, new key and serial) with the cluster's current inputs, and rewrites its kubeconfig. */
export function renewCertificate(
  cluster: Cluster,
  pkiDir: string,
  id: string,
  opts: RenewOptions,
  deps: PkiDeps = defaultDeps,
): Promise<PkiSummary> {
  return oneAtATime(pkiDir, () => run(cluster, { ...opts, pkiDir }, deps, { kind: 'renew', id }));
}

const runsByFolder = new Map<string, Promise<unknown>>();

/** Two runs on one folder (a double click) would each plan from the same snapshot and overwrite each other. */
function oneAtATime<T>(pkiDir: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(pkiDir);
  const previous = runsByFolder.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  runsByFolder.set(key, settled);
  void settled.then(() => {
    if (runsByFolder.get(key) === settled) runsByFolder.delete(key);
  });
  return next;
}

type Mode = { kind: 'generate' } | { kind: 'renew'; id: string };

/**
 * What a generation would issue now, without writing anything: empty when the PKI in opts.pkiDir is complete
 * and current for the cluster (the deploy makes the PKI as its first step only when this is not empty).
 */
export async function pendingIssues(cluster: Cluster, opts: PkiOptions, now = new Date()): Promise<PkiSummary['issued']> {
  const { layout, folder, existing, options } = await readState(cluster, opts, now);
  return planGeneration(layout, existing, folder.manifest, options, now).issued;
}

/** The layout the cluster asks for and the folder as it is, checked before anything is planned or written. */
async function readState(cluster: Cluster, opts: PkiOptions, now: Date) {
  const inputs = readClusterInputs(cluster);
  const options = resolveOptions(opts, inputs);
  const layout = planLayout(inputs, options);
  const folder = await readPkiFolder(opts.pkiDir);
  refuseForeignFiles(folder, layout);
  const existing = await loadExistingPki(folder, layout, opts.cipher, now);
  refuseModifiedFiles(folder);
  return { options, layout, folder, existing };
}

async function run(cluster: Cluster, opts: PkiOptions, deps: PkiDeps, mode: Mode): Promise<PkiSummary> {
  const started = performance.now();
  const now = deps.now();
  const { options, layout, folder, existing } = await readState(cluster, opts, now);

  const plan =
    mode.kind === 'generate' ? planGeneration(layout, existing, folder.manifest, options, now) : planRenewal(layout, existing, mode.id);
  const total = plan.issued.length + 1;
  let done = 0;
  const production = await produce({
    newCas: layout.cas.filter((c) => plan.issuedIds.has(c.id)),
    existingCas: new Map([...existing.cas].map(([id, ca]) => [id, { cert: ca.cert, privateKey: ca.privateKey }])),
    leaves: layout.leaves.filter((l) => plan.issuedIds.has(l.id)),
    serviceAccountKey: plan.issuedIds.has(layout.serviceAccount.id),
    keyType: options.keyType,
    caValidityDays: options.caValidityDays,
    leafValidityDays: options.leafValidityDays,
    now,
    generateKeyPair: deps.generateKeyPair,
    onItemDone: (label) => opts.onProgress?.(++done, total, label),
  });

  const files = new FileSet(folder, opts.cipher);
  const entries = collectKeyMaterial(layout, existing, production, options.keyType, files);
  const kubeconfigsWritten = await writeKubeconfigs(layout, existing, production, folder.manifest, mode, files, entries);
  const stale = mode.kind === 'generate' ? staleFiles(layout, folder) : { paths: [], entryKeys: [] };
  opts.onProgress?.(done, total, `Writing ${files.writes.length} files`);
  await commitToFolder(folder, {
    writes: files.writes,
    deletions: [...files.deletions, ...(mode.kind === 'generate' ? existing.supersededFiles : []), ...stale.paths],
    entries,
    dropEntries: stale.entryKeys,
  });
  opts.onProgress?.(total, total, 'PKI written');

  const listing = await listCertificates(opts.pkiDir, opts.cipher, now);
  return {
    pkiDir: opts.pkiDir,
    keyProtection: opts.cipher.description,
    encryptedAtRest: opts.cipher.encryptsAtRest,
    issued: plan.issued,
    kept: plan.kept,
    kubeconfigsWritten,
    removed: stale.paths.map((p) => join(opts.pkiDir, p)),
    certificates: listing.certificates,
    kubeconfigs: layout.kubeconfigs.map((k) => ({
      id: k.id,
      path: kubeconfigOnDisk(opts.pkiDir, k.path, opts.cipher),
      server: k.server,
      user: k.userName,
    })),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Where a kubeconfig is now: sealed or plain, whichever exists (a browser-mode one stays plain until rewritten). */
function kubeconfigOnDisk(pkiDir: string, path: string, cipher: SecretCipher): string {
  const preferred = join(pkiDir, secretDiskPath(path, cipher));
  const other = Object.values(secretDiskVariants(path))
    .map((p) => join(pkiDir, p))
    .find((p) => p !== preferred);
  return !existsSync(preferred) && other !== undefined && existsSync(other) ? other : preferred;
}

interface Plan {
  issued: { id: string; reason: IssueReason }[];
  issuedIds: Set<string>;
  kept: string[];
}

function planGeneration(
  layout: PkiLayout,
  existing: ExistingPki,
  manifest: Manifest | undefined,
  options: ResolvedOptions,
  now: Date,
): Plan {
  const issued: Plan['issued'] = [];
  const kept: string[] = [];
  for (const ca of layout.cas) {
    if (existing.cas.has(ca.id)) kept.push(ca.id);
    else issued.push({ id: ca.id, reason: 'new' });
  }
  if (existing.serviceAccount) kept.push(layout.serviceAccount.id);
  else issued.push({ id: layout.serviceAccount.id, reason: 'new' });
  for (const entry of layout.leaves) {
    const reason = leafIssueReason(entry, existing, manifest, options.keyType, now);
    if (reason) issued.push({ id: entry.id, reason });
    else kept.push(entry.id);
  }
  return { issued, issuedIds: new Set(issued.map((i) => i.id)), kept };
}

function leafIssueReason(
  entry: LeafEntry,
  existing: ExistingPki,
  manifest: Manifest | undefined,
  keyType: KeyType,
  now: Date,
): IssueReason | undefined {
  if (existing.partialLeaves.has(entry.id)) return 'incomplete';
  const leaf = existing.leaves.get(entry.id);
  if (!leaf) return 'new';
  if (!leaf.intact) return 'incomplete';
  const ca = existing.cas.get(entry.caId);
  if (!ca || !isSignedBy(leaf.cert, ca.cert)) return 'ca-changed';
  if (manifest?.entries[entry.certPath]?.inputs !== leafInputsHash(entry, keyType, ca.cert)) return 'inputs-changed';
  if (leaf.cert.notAfter.getTime() <= now.getTime()) return 'expired';
  return undefined;
}

/** What a leaf is made from; a change in any of it means a new certificate. */
export function leafInputsHash(entry: LeafEntry, keyType: KeyType, ca: ParsedCertificate): string {
  return inputsHash({
    subject: entry.subject,
    sans: entry.sans,
    keyUsages: keyUsagesFor(entry.profile, keyAlgorithmOf(keyType)),
    extKeyUsages: EXT_KEY_USAGES[entry.profile],
    keyType,
    ca: certificateDigest(ca),
  });
}

function planRenewal(layout: PkiLayout, existing: ExistingPki, id: string): Plan {
  const entry = layout.leaves.find((l) => l.id === id);
  if (!entry) {
    if (layout.cas.some((c) => c.id === id) || id === layout.serviceAccount.id) {
      throw new KubesmithError(
        'PkiCannotRenewCa',
        `"${id}" is a CA or the service-account key, which cannot be renewed on its own.`,
        'Renewing it would invalidate everything it signed. Renew the leaf certificates instead.',
        { id },
      );
    }
    throw new KubesmithError('PkiCertificateNotFound', `The cluster has no certificate "${id}".`, 'Pick one from the certificate list.', {
      id,
    });
  }
  if (!existing.cas.has(entry.caId)) {
    throw new KubesmithError('PkiNotGenerated', `There is no CA to renew "${id}" with.`, 'Generate the PKI first.', { id, ca: entry.caId });
  }
  return { issued: [{ id, reason: 'renewed' }], issuedIds: new Set([id]), kept: [] };
}

/** The files a run writes, and the other-form copies of rewritten secrets to remove. */
class FileSet {
  readonly writes: FileWrite[] = [];
  readonly deletions: string[] = [];

  constructor(
    private readonly folder: PkiFolder,
    private readonly cipher: SecretCipher,
  ) {}

  public(path: string, text: string): void {
    this.writes.push({ path, data: Buffer.from(text, 'utf8'), mode: PUBLIC_FILE_MODE });
  }

  secret(path: string, text: string): void {
    const diskPath = secretDiskPath(path, this.cipher);
    this.writes.push({ path: diskPath, data: sealSecret(text, this.cipher), mode: SECRET_FILE_MODE });
    for (const variant of Object.values(secretDiskVariants(path))) {
      if (variant !== diskPath && this.folder.files.has(variant)) this.deletions.push(variant);
    }
  }
}

/** Queues the new CAs, leaves and service-account key, and returns their manifest entries. */
function collectKeyMaterial(
  layout: PkiLayout,
  existing: ExistingPki,
  production: Production,
  keyType: KeyType,
  files: FileSet,
): Record<string, ManifestEntry> {
  const entries: Record<string, ManifestEntry> = {};
  for (const ca of layout.cas) {
    const issued = production.cas.get(ca.id);
    const loaded = existing.cas.get(ca.id);
    if (issued) {
      files.public(ca.certPath, issued.certPem);
      files.secret(ca.keyPath, issued.privateKeyPem);
      entries[ca.certPath] = { kind: 'ca', inputs: inputsHash({ subject: ca.subject, keyType }) };
    } else if (loaded?.imported) {
      entries[ca.certPath] = { kind: 'ca', inputs: certificateDigest(loaded.cert), imported: true };
    }
  }
  const sa = layout.serviceAccount;
  if (production.serviceAccountKey) {
    files.secret(sa.privateKeyPath, production.serviceAccountKey.privateKeyPem);
    files.public(sa.publicKeyPath, production.serviceAccountKey.publicKeyPem);
    entries[sa.privateKeyPath] = { kind: 'key-pair', inputs: inputsHash({ keyType }) };
  } else if (existing.serviceAccount?.imported) {
    entries[sa.privateKeyPath] = {
      kind: 'key-pair',
      inputs: inputsHash({ imported: existing.serviceAccount.publicKeyPem }),
      imported: true,
    };
  }
  for (const leaf of layout.leaves) {
    const issued = production.leaves.get(leaf.id);
    if (!issued) continue;
    const ca = production.cas.get(leaf.caId)?.cert ?? existing.cas.get(leaf.caId)?.cert;
    if (!ca) throw new Error(`No CA ${leaf.caId} for ${leaf.id}`);
    files.public(leaf.certPath, issued.certPem);
    files.secret(leaf.keyPath, issued.privateKeyPem);
    entries[leaf.certPath] = { kind: 'certificate', inputs: leafInputsHash(leaf, keyType, ca) };
  }
  return entries;
}

/** Writes each kubeconfig whose server, CA or client certificate changed, or that is missing. */
async function writeKubeconfigs(
  layout: PkiLayout,
  existing: ExistingPki,
  production: Production,
  manifest: Manifest | undefined,
  mode: Mode,
  files: FileSet,
  entries: Record<string, ManifestEntry>,
): Promise<string[]> {
  const written: string[] = [];
  const clusterCa = production.cas.get('ca')?.cert ?? existing.cas.get('ca')?.cert;
  if (!clusterCa) throw new Error('No cluster CA for the kubeconfigs');
  for (const kubeconfig of layout.kubeconfigs) {
    if (mode.kind === 'renew' && kubeconfig.identityId !== mode.id) continue;
    const identity: Pick<IssuedPair, 'privateKeyPem' | 'cert'> | undefined =
      production.leaves.get(kubeconfig.identityId) ?? existing.leaves.get(kubeconfig.identityId);
    if (!identity) throw new Error(`No client certificate ${kubeconfig.identityId} for ${kubeconfig.id}`);
    const inputs = inputsHash({
      server: kubeconfig.server,
      clusterName: kubeconfig.clusterName,
      userName: kubeconfig.userName,
      ca: certificateDigest(clusterCa),
      cert: certificateDigest(identity.cert),
    });
    const upToDate = existing.kubeconfigs.has(kubeconfig.id) && manifest?.entries[kubeconfig.path]?.inputs === inputs;
    if (upToDate && mode.kind === 'generate') continue;
    files.secret(
      kubeconfig.path,
      renderKubeconfig({
        clusterName: kubeconfig.clusterName,
        server: kubeconfig.server,
        caCertPem: clusterCa.pem,
        userName: kubeconfig.userName,
        clientCertPem: identity.cert.pem,
        clientKeyPem: identity.privateKeyPem,
      }),
    );
    entries[kubeconfig.path] = { kind: 'kubeconfig', inputs };
    written.push(kubeconfig.id);
    await yieldToEventLoop();
  }
  return written;
}

/** Files and manifest entries of hosts no longer in the cluster. */
function staleFiles(layout: PkiLayout, folder: PkiFolder): { paths: string[]; entryKeys: string[] } {
  const current = new Set(layoutFiles(layout).flatMap((f) => (f.secret ? Object.values(secretDiskVariants(f.path)) : [f.path])));
  const currentKeys = new Set(layoutFiles(layout).map((f) => f.entryKey));
  const manifest = folder.manifest;
  return {
    paths: [...folder.files.keys()].filter((p) => !current.has(p) && (manifest?.files[p] ?? manifest?.pending?.[p]) !== undefined).sort(),
    entryKeys: Object.keys(manifest?.entries ?? {}).filter((k) => !currentKeys.has(k)),
  };
}
