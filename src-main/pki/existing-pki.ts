import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';
import { readPrivateKey, readPublicKey, samePublicKey } from './keys';
import type { CaEntry, CaId, KeyPairEntry, LeafEntry, PkiLayout } from './layout';
import { pickSecretFile, type PkiFolder } from './pki-folder';
import { yieldToEventLoop } from './scheduling';
import { openSecret, secretDiskVariants } from './secret-files';
import { parseCertificate, type ParsedCertificate } from './x509';

export interface LoadedCa {
  entry: CaEntry;
  cert: ParsedCertificate;
  privateKey: KeyObject;
  /** Found in pki/ without a manifest record: the user's own CA. */
  imported: boolean;
}

export interface LoadedLeaf {
  cert: ParsedCertificate;
  privateKeyPem: string;
  /** The key belongs to the certificate. */
  intact: boolean;
}

export interface LoadedServiceAccountKey {
  privateKeyPem: string;
  publicKeyPem: string;
  imported: boolean;
}

/** What pki/ already holds, checked: every CA usable, every leaf readable. */
export interface ExistingPki {
  cas: Map<CaId, LoadedCa>;
  serviceAccount: LoadedServiceAccountKey | undefined;
  /** Leaves with both files present. */
  leaves: Map<string, LoadedLeaf>;
  /** Leaves with only their certificate or only their key: an interrupted run. */
  partialLeaves: Set<string>;
  /** Kubeconfig ids whose file exists. */
  kubeconfigs: Set<string>;
  /** Secrets present both sealed and in the clear; the form this cipher does not write is removed on the next write. */
  supersededFiles: string[];
}

export async function loadExistingPki(folder: PkiFolder, layout: PkiLayout, cipher: SecretCipher, now: Date): Promise<ExistingPki> {
  const reader = new FolderReader(folder, cipher);
  const cas = new Map<CaId, LoadedCa>();
  for (const entry of layout.cas) {
    const loaded = loadCa(reader, entry, now);
    if (loaded) cas.set(entry.id, loaded);
    await yieldToEventLoop();
  }
  const serviceAccount = loadServiceAccountKey(reader, layout.serviceAccount);
  const leaves = new Map<string, LoadedLeaf>();
  const partialLeaves = new Set<string>();
  for (const entry of layout.leaves) {
    const certPem = reader.text(entry.certPath);
    const keyPem = reader.secret(entry.keyPath);
    if (certPem === undefined && keyPem === undefined) continue;
    if (certPem === undefined || keyPem === undefined) {
      partialLeaves.add(entry.id);
      continue;
    }
    leaves.set(entry.id, loadLeaf(reader, entry, certPem, keyPem));
    await yieldToEventLoop();
  }
  const kubeconfigs = new Set(layout.kubeconfigs.filter((k) => reader.hasSecret(k.path)).map((k) => k.id));
  return { cas, serviceAccount, leaves, partialLeaves, kubeconfigs, supersededFiles: reader.superseded() };
}

class FolderReader {
  private readonly bothForms = new Set<string>();

  constructor(
    readonly folder: PkiFolder,
    readonly cipher: SecretCipher,
  ) {}

  display(path: string): string {
    return join(this.folder.dir, path);
  }

  text(path: string): string | undefined {
    return this.folder.files.get(path)?.toString('utf8');
  }

  hasSecret(path: string): boolean {
    this.noteBothForms(path);
    return pickSecretFile(this.folder, path, this.cipher) !== undefined;
  }

  secret(path: string): string | undefined {
    this.noteBothForms(path);
    const file = pickSecretFile(this.folder, path, this.cipher);
    return file && openSecret(file.bytes, file.sealed, this.cipher, this.display(file.diskPath));
  }

  superseded(): string[] {
    return [...this.bothForms].map((path) => {
      const { plain, sealed } = secretDiskVariants(path);
      return this.cipher.encryptsAtRest ? plain : sealed;
    });
  }

  private noteBothForms(path: string): void {
    const { plain, sealed } = secretDiskVariants(path);
    if (this.folder.files.has(plain) && this.folder.files.has(sealed)) this.bothForms.add(path);
  }
}

function loadCa(reader: FolderReader, entry: CaEntry, now: Date): LoadedCa | undefined {
  const certPem = reader.text(entry.certPath);
  const keyPem = reader.secret(entry.keyPath);
  if (certPem === undefined && keyPem === undefined) return undefined;
  const certFile = reader.display(entry.certPath);
  if (certPem === undefined || keyPem === undefined) {
    const missing = reader.display(certPem === undefined ? entry.certPath : entry.keyPath);
    throw new KubesmithError(
      'PkiCaIncomplete',
      `The CA ${certPem === undefined ? 'key' : 'certificate'} is there but ${missing} is missing.`,
      'Restore the missing file, or move both out of the pki folder to create a new CA (which means re-issuing every certificate it signed).',
      { path: missing },
    );
  }
  const cert = parseOrRefuse(certPem, certFile);
  if (!cert.isCa || !cert.keyUsages.includes('keyCertSign')) {
    throw new KubesmithError(
      'PkiNotACa',
      `${certFile} is not a CA certificate (it lacks CA:true or the keyCertSign usage).`,
      'Put a CA certificate there, or move it out of the pki folder so Kubesmith creates a CA.',
      { path: certFile },
    );
  }
  if (cert.notAfter.getTime() <= now.getTime()) {
    throw new KubesmithError(
      'PkiCaExpired',
      `The CA ${certFile} expired on ${cert.notAfter.toISOString().slice(0, 10)}; nothing it signs would be trusted.`,
      'A new CA means new certificates on every machine. Move the pki folder away to generate a new PKI, then redeploy the cluster.',
      { path: certFile, notAfter: cert.notAfter.toISOString() },
    );
  }
  const keyFile = reader.display(entry.keyPath);
  const privateKey = readPrivateKey(keyPem);
  if (privateKey === undefined) throw corrupt(keyFile, 'it is not a PEM private key');
  if (!samePublicKey(privateKey, cert.x509.publicKey)) {
    throw new KubesmithError(
      'PkiCaKeyMismatch',
      `The CA key ${keyFile} does not belong to the CA certificate ${certFile}.`,
      'Restore the matching key, or move both out of the pki folder to create a new CA.',
      { certPath: certFile, keyPath: keyFile },
    );
  }
  return { entry, cert, privateKey, imported: reader.folder.manifest?.entries[entry.certPath] === undefined };
}

function loadServiceAccountKey(reader: FolderReader, entry: KeyPairEntry): LoadedServiceAccountKey | undefined {
  const privateKeyPem = reader.secret(entry.privateKeyPath);
  const publicKeyPem = reader.text(entry.publicKeyPath);
  if (privateKeyPem === undefined && publicKeyPem === undefined) return undefined;
  if (privateKeyPem === undefined || publicKeyPem === undefined) {
    const missing = reader.display(privateKeyPem === undefined ? entry.privateKeyPath : entry.publicKeyPath);
    throw new KubesmithError(
      'PkiServiceAccountKeyIncomplete',
      `Half of the service-account key pair is missing: ${missing}.`,
      'Restore it; a new pair would invalidate every service-account token in the cluster.',
      { path: missing },
    );
  }
  const privateKey = readPrivateKey(privateKeyPem);
  if (privateKey === undefined) throw corrupt(reader.display(entry.privateKeyPath), 'it is not a PEM private key');
  const publicKey = readPublicKey(publicKeyPem);
  if (publicKey === undefined || publicKey.type !== 'public')
    throw corrupt(reader.display(entry.publicKeyPath), 'it is not a PEM public key');
  if (!samePublicKey(privateKey, publicKey)) {
    throw new KubesmithError(
      'PkiServiceAccountKeyMismatch',
      `${reader.display(entry.publicKeyPath)} is not the public half of ${reader.display(entry.privateKeyPath)}.`,
      'Restore the matching pair.',
      { path: reader.display(entry.publicKeyPath) },
    );
  }
  return { privateKeyPem, publicKeyPem, imported: reader.folder.manifest?.entries[entry.privateKeyPath] === undefined };
}

function loadLeaf(reader: FolderReader, entry: LeafEntry, certPem: string, privateKeyPem: string): LoadedLeaf {
  const cert = parseOrRefuse(certPem, reader.display(entry.certPath));
  const privateKey = readPrivateKey(privateKeyPem);
  if (privateKey === undefined) throw corrupt(reader.display(entry.keyPath), 'it is not a PEM private key');
  return { cert, privateKeyPem, intact: samePublicKey(privateKey, cert.x509.publicKey) };
}

function parseOrRefuse(pem: string, displayPath: string): ParsedCertificate {
  try {
    return parseCertificate(pem);
  } catch (err) {
    throw corrupt(displayPath, err instanceof Error ? err.message : String(err));
  }
}

function corrupt(displayPath: string, reason: string): KubesmithError {
  return new KubesmithError(
    'PkiFileCorrupt',
    `${displayPath} cannot be used: ${reason}.`,
    'Restore it from a backup, or move it out of the pki folder.',
    { path: displayPath, reason },
  );
}
