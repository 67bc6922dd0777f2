import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';
import { readPrivateKey, samePublicKey } from './keys';
import { certificatePurpose, isSafeId } from './layout';
import { pickSecretFile, readPkiFolder, type PkiFolder } from './pki-folder';
import { yieldToEventLoop } from './scheduling';
import { openSecret, secretDiskVariants } from './secret-files';
import { EXPIRY_WARNING_DAYS, type CertificateInfo, type KeyStatus, type PkiListing, type PkiProblem } from './types';
import { isSignedBy, parseCertificate, type ParsedCertificate } from './x509';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every certificate in pki/, parsed. With a cipher, each private key is also opened and checked
 * against its certificate; without one, only its presence is reported.
 */
export async function listCertificates(pkiDir: string, cipher?: SecretCipher, now: Date = new Date()): Promise<PkiListing> {
  const folder = await readPkiFolder(pkiDir, false);
  const parsed: { id: string; path: string; cert: ParsedCertificate }[] = [];
  const problems: PkiProblem[] = [];
  for (const [path, bytes] of folder.files) {
    if (!path.endsWith('.crt')) continue;
    try {
      parsed.push({ id: path.slice(0, -'.crt'.length), path, cert: parseCertificate(bytes.toString('utf8')) });
    } catch (err) {
      problems.push({ path: join(pkiDir, path), reason: err instanceof Error ? err.message : String(err) });
    }
    await yieldToEventLoop();
  }
  const cas = parsed.filter((p) => p.cert.isCa);
  const certificates: CertificateInfo[] = [];
  for (const { id, path, cert } of parsed) {
    const signer = cert.isCa && isSignedBy(cert, cert) ? id : cas.find((ca) => ca.id !== id && isSignedBy(cert, ca.cert))?.id;
    const key = keyOf(folder, `${id}.key`, cert, cipher);
    certificates.push(certificateInfo(id, join(pkiDir, path), cert, signer ?? null, key, now));
    await yieldToEventLoop();
  }
  certificates.sort((a, b) => Number(b.isCa) - Number(a.isCa) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { certificates, problems };
}

function keyOf(
  folder: PkiFolder,
  keyPath: string,
  cert: ParsedCertificate,
  cipher: SecretCipher | undefined,
): { path?: string; status: KeyStatus } {
  const file = cipher
    ? pickSecretFile(folder, keyPath, cipher)
    : [secretDiskVariants(keyPath).plain, secretDiskVariants(keyPath).sealed]
        .map((diskPath) => ({ diskPath, bytes: folder.files.get(diskPath), sealed: diskPath.endsWith('.enc') }))
        .find((f) => f.bytes !== undefined);
  if (file?.bytes === undefined) return { status: 'missing' };
  const path = join(folder.dir, file.diskPath);
  if (!cipher) return { path, status: 'present' };
  try {
    const key = readPrivateKey(openSecret(file.bytes, file.sealed, cipher, path));
    if (key === undefined) return { path, status: 'unreadable' };
    return { path, status: samePublicKey(key, cert.x509.publicKey) ? 'matches' : 'mismatch' };
  } catch {
    return { path, status: 'unreadable' };
  }
}

export function certificateInfo(
  id: string,
  path: string,
  cert: ParsedCertificate,
  signedBy: string | null,
  key: { path?: string; status: KeyStatus },
  now: Date,
): CertificateInfo {
  const msLeft = cert.notAfter.getTime() - now.getTime();
  const daysLeft = Math.floor(msLeft / DAY_MS);
  const expired = msLeft <= 0;
  const purpose = certificatePurpose(id);
  return {
    id,
    ...(purpose !== undefined ? { purpose } : {}),
    path,
    ...(key.path !== undefined ? { keyPath: key.path } : {}),
    keyStatus: key.status,
    subject: cert.subjectText,
    commonName: cert.subject.commonName,
    organizations: cert.subject.organizations,
    issuer: cert.issuerText,
    signedBy,
    isCa: cert.isCa,
    serialNumber: cert.serialNumber,
    sans: cert.sans,
    keyUsages: cert.keyUsages,
    extKeyUsages: cert.extKeyUsages,
    keyAlgorithm: cert.keyDescription,
    sha256Fingerprint: cert.sha256Fingerprint,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    daysLeft,
    expired,
    warn: expired || daysLeft < EXPIRY_WARNING_DAYS,
  };
}

/** One certificate as PEM, for export; `id` as in CertificateInfo. */
export async function readCertificatePem(pkiDir: string, id: string): Promise<string> {
  const path = join(pkiDir, `${checkedId(id)}.crt`);
  const text = await readOrNotFound(path, 'PkiCertificateNotFound', `There is no certificate "${id}".`);
  try {
    return parseCertificate(text.toString('utf8')).pem;
  } catch (err) {
    throw new KubesmithError('PkiFileCorrupt', `${path} cannot be used: ${err instanceof Error ? err.message : String(err)}.`, undefined, {
      path,
    });
  }
}

/** A kubeconfig in the clear, for export (it embeds a private key); `id` as in KubeconfigInfo. */
export async function readKubeconfigFile(pkiDir: string, id: string, cipher: SecretCipher): Promise<string> {
  const { plain, sealed } = secretDiskVariants(`${checkedId(id)}.conf`);
  const order = cipher.encryptsAtRest ? [sealed, plain] : [plain, sealed];
  for (const diskPath of order) {
    const path = join(pkiDir, diskPath);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes !== undefined) return openSecret(bytes, diskPath === sealed, cipher, path);
  }
  throw new KubesmithError('PkiKubeconfigNotFound', `There is no kubeconfig "${id}".`, 'Generate the PKI first.', { id });
}

function checkedId(id: string): string {
  if (!isSafeId(id)) {
    throw new KubesmithError(
      'PkiInvalidId',
      `"${id}" is not a certificate or kubeconfig id.`,
      'Use an id from the certificate list, such as "apiserver".',
      { id },
    );
  }
  return id;
}

async function readOrNotFound(path: string, name: string, message: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new KubesmithError(name, message, 'Generate the PKI first.', { path });
    throw err;
  }
}
