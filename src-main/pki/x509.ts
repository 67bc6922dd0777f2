import { randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describeKey } from './keys';
import { EXT_KEY_USAGES, KEY_USAGES, type CertProfile } from './profiles';
import { normalizeIp, type SubjectAltNames } from './sans';

const { asn1, pki } = forge;
// Present in node-forge, missing from @types/node-forge.
const getTbsCertificate = (pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;

/** Clocks on home-lab VMs drift; a certificate must be valid the moment it lands on a slightly slow host. */
export const CLOCK_SKEW_BACKDATE_MS = 5 * 60 * 1000;

export interface CertSubject {
  commonName: string;
  organizations: string[];
}

export interface CertificateRequest {
  subject: CertSubject;
  sans: SubjectAltNames;
  profile: CertProfile;
  publicKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

/** Who signs: a CA certificate with its key, or, for a self-signed CA, just the key. */
export interface Signer {
  privateKey: KeyObject;
  caCertPem?: string;
}

/**
 * Builds the certificate with node-forge, then signs its TBS bytes with Node's crypto.
 * forge's own Certificate.sign() is pure-JS RSA: about 50 ms of blocked event loop per
 * certificate for a 2048-bit CA on a small VM (far more for 4096), against ~1 ms here.
 */
export function issueCertificate(request: CertificateRequest, signer: Signer): string {
  const cert = pki.createCertificate();
  cert.version = 2;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  cert.publicKey = pki.publicKeyFromPem(request.publicKeyPem);
  cert.setSubject(subjectAttributes(request.subject));

  const ownKeyId = cert.generateSubjectKeyIdentifier().getBytes();
  let issuerKeyId = ownKeyId;
  let issuerName: forge.asn1.Asn1 | undefined;
  if (signer.caCertPem !== undefined) {
    const ca = pki.certificateFromPem(signer.caCertPem);
    cert.setIssuer(ca.subject.attributes);
    issuerKeyId = subjectKeyIdOf(ca);
    issuerName = rawSubjectName(signer.caCertPem);
  } else {
    cert.setIssuer(subjectAttributes(request.subject));
  }

  const keyUsage: Record<string, unknown> = { name: 'keyUsage', critical: true };
  for (const usage of KEY_USAGES[request.profile]) keyUsage[usage] = true;
  const extensions: Record<string, unknown>[] = [{ name: 'basicConstraints', critical: true, cA: request.profile === 'ca' }, keyUsage];
  const extKeyUsages = EXT_KEY_USAGES[request.profile];
  if (extKeyUsages.length > 0) {
    const ext: Record<string, unknown> = { name: 'extKeyUsage' };
    for (const usage of extKeyUsages) ext[usage] = true;
    extensions.push(ext);
  }
  const altNames = [...request.sans.dns.map((value) => ({ type: 2, value })), ...request.sans.ip.map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  extensions.push({ name: 'subjectKeyIdentifier' });
  extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId });
  cert.setExtensions(extensions);

  cert.signatureOid = pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.siginfo.algorithmOid = cert.signatureOid;
  const tbs = getTbsCertificate(cert);
  // Copy the CA's subject bytes verbatim: Go chains by comparing raw names, and a re-encoded
  // name (other string type, other RDN grouping) of an imported CA would not match.
  if (issuerName !== undefined) (tbs.value as forge.asn1.Asn1[])[3] = issuerName;
  cert.tbsCertificate = tbs;
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = sign('sha256', tbsDer, signer.privateKey).toString('binary');
  return pki.certificateToPem(cert);
}

/** 16 random bytes, first bit clear so the DER INTEGER stays positive, first byte non-zero so it stays 16 bytes. */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectAttributes(subject: CertSubject): forge.pki.CertificateField[] {
  return [
    ...subject.organizations.map((value) => ({ name: 'organizationName', value, valueTagClass: stringType(value) })),
    { name: 'commonName', value: subject.commonName, valueTagClass: stringType(subject.commonName) },
  ];
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** PrintableString where it fits (as Go writes names), UTF8String otherwise. */
function stringType(value: string): forge.asn1.Class {
  return (PRINTABLE.test(value) ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8) as unknown as forge.asn1.Class;
}

function subjectKeyIdOf(cert: forge.pki.Certificate): string {
  const ext = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier !== undefined
    ? forge.util.hexToBytes(ext.subjectKeyIdentifier)
    : cert.generateSubjectKeyIdentifier().getBytes();
}

function rawSubjectName(certPem: string): forge.asn1.Asn1 {
  const der = forge.pem.decode(certPem)[0]?.body ?? '';
  const tbs = (asn1.fromDer(der).value as forge.asn1.Asn1[])[0];
  const fields = (tbs?.value ?? []) as forge.asn1.Asn1[];
  const hasVersion = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC;
  const subject = fields[hasVersion ? 5 : 4];
  if (subject === undefined) throw new Error('The CA certificate has no subject name.');
  return subject;
}

/** A certificate as Kubesmith reads it: forge for the fields, Node's X509Certificate for the crypto checks. */
export interface ParsedCertificate {
  pem: string;
  x509: X509Certificate;
  subject: CertSubject;
  subjectText: string;
  issuerText: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  keyUsages: string[];
  extKeyUsages: string[];
  sans: SubjectAltNames;
  keyDescription: string;
  sha256Fingerprint: string;
}

const ALL_KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
const ALL_EXT_KEY_USAGES = ['serverAuth', 'clientAuth', 'codeSigning', 'emailProtection', 'timeStamping', 'OCSPSigning'];

/** Throws a plain Error whose message says what is wrong; callers add which file it was. */
export function parseCertificate(pem: string): ParsedCertificate {
  const blocks = safePemDecode(pem);
  if (blocks.length !== 1 || blocks[0]?.type !== 'CERTIFICATE') {
    throw new Error('it is not a single PEM certificate');
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch {
    throw new Error('the certificate cannot be decoded');
  }
  let cert: forge.pki.Certificate;
  try {
    cert = pki.certificateFromPem(pem);
  } catch (err) {
    const reason =
      err instanceof Error && /not RSA|Unknown OID/.test(err.message)
        ? `its key is ${describeKey(x509.publicKey)}, not RSA`
        : 'the certificate cannot be decoded';
    throw new Error(reason, { cause: err });
  }
  const keyUsageExt = cert.getExtension('keyUsage') as Record<string, unknown> | undefined;
  const extKeyUsageExt = cert.getExtension('extKeyUsage') as Record<string, unknown> | undefined;
  const basic = cert.getExtension('basicConstraints') as { cA?: boolean } | undefined;
  const sanExt = cert.getExtension('subjectAltName') as { altNames?: { type: number; value: string; ip?: string }[] } | undefined;
  const sans: SubjectAltNames = { dns: [], ip: [] };
  for (const name of sanExt?.altNames ?? []) {
    if (name.type === 2) sans.dns.push(name.value);
    if (name.type === 7 && name.ip !== undefined) sans.ip.push(normalizeIp(name.ip) ?? name.ip);
  }
  return {
    pem,
    x509,
    subject: {
      commonName: attributeValues(cert.subject.attributes, 'commonName')[0] ?? '',
      organizations: attributeValues(cert.subject.attributes, 'organizationName'),
    },
    subjectText: distinguishedName(cert.subject.attributes),
    issuerText: distinguishedName(cert.issuer.attributes),
    serialNumber: cert.serialNumber,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    isCa: basic?.cA === true,
    keyUsages: ALL_KEY_USAGES.filter((usage) => keyUsageExt?.[usage] === true),
    extKeyUsages: ALL_EXT_KEY_USAGES.filter((usage) => extKeyUsageExt?.[usage] === true),
    sans,
    keyDescription: describeKey(x509.publicKey),
    sha256Fingerprint: x509.fingerprint256,
  };
}

function safePemDecode(pem: string): forge.pem.ObjectPEM[] {
  try {
    return forge.pem.decode(pem);
  } catch {
    return [];
  }
}

/** forge hands UTF8String values back as undecoded bytes. */
function attributeText(attribute: forge.pki.CertificateField): string {
  const value = String(attribute.value);
  if ((attribute.valueTagClass as unknown) !== asn1.Type.UTF8) return value;
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

function attributeValues(attributes: forge.pki.CertificateField[], name: string): string[] {
  return attributes.filter((a) => a.name === name).map(attributeText);
}

function distinguishedName(attributes: forge.pki.CertificateField[]): string {
  return attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${attributeText(a)}`).join(', ');
}

/** True when `ca` issued `child` and its signature checks out. */
export function isSignedBy(child: ParsedCertificate, ca: ParsedCertificate): boolean {
  return child.x509.checkIssued(ca.x509) && child.x509.verify(ca.x509.publicKey);
}

/** SHA-256 of the DER, lower-case hex without colons: the form kept in manifests and hashes. */
export function certificateDigest(cert: ParsedCertificate): string {
  return cert.sha256Fingerprint.replaceAll(':', '').toLowerCase();
}
