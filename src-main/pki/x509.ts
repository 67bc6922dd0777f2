import { createPublicKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  certificateExtensionsToAsn1,
  derToPem,
  readCertificateDer,
  subjectKeyIdentifier,
  subjectKeyIdentifierOf,
  subjectPublicKeyInfoFromDer,
  type CertificateFields,
  type ForgeExtension,
} from './certificate-der';
import { describeKey } from './keys';
import { EXT_KEY_USAGES, keyUsagesFor, type CertProfile } from './profiles';
import { signatureAlgorithmFor, type SignatureAlgorithm } from './signature-algorithm';
import { normalizeIp, type SubjectAltNames } from './sans';

const { asn1, pki } = forge;
type Asn1 = forge.asn1.Asn1;

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
 * Assembles the certificate with node-forge's ASN.1 encoder, and takes the key, the signature
 * algorithm and the signature from Node's crypto. forge's own Certificate can hold only RSA keys,
 * and its sign() is pure-JS RSA: about 50 ms of blocked event loop per certificate for a 2048-bit
 * CA on a small VM (far more for 4096), against ~1 ms here.
 */
export function issueCertificate(request: CertificateRequest, signer: Signer): string {
  const subjectKey = createPublicKey(request.publicKeyPem);
  const subjectKeyInfo = subjectPublicKeyInfoFromDer(subjectKey.export({ type: 'spki', format: 'der' }));
  const ownKeyId = subjectKeyIdentifier(subjectKeyInfo);
  const algorithm = signatureAlgorithmFor(signer.privateKey);
  let issuerKeyId = ownKeyId;
  let issuerName = pki.distinguishedNameToAsn1({ attributes: nameAttributes(request.subject) });
  if (signer.caCertPem !== undefined) {
    const ca = readCertificateDer(pemBody(signer.caCertPem));
    issuerKeyId = subjectKeyIdentifierOf(ca);
    // The CA's subject bytes verbatim: Go chains by comparing raw names, and a re-encoded name
    // (other string type, other RDN grouping) of an imported CA would not match.
    issuerName = ca.subjectName;
  }

  const tbs = sequence([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(2)]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(randomSerialHex())),
    algorithmIdentifier(algorithm),
    issuerName,
    sequence([time(request.notBefore), time(request.notAfter)]),
    pki.distinguishedNameToAsn1({ attributes: nameAttributes(request.subject) }),
    subjectKeyInfo,
    certificateExtensionsToAsn1(extensionsFor(request, ownKeyId, issuerKeyId, subjectKey)),
  ]);
  const tbsDer = derOf(tbs);
  const signature = sign(algorithm.hash, tbsDer, signer.privateKey);
  const certificate = sequence([
    tbs,
    algorithmIdentifier(algorithm),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  return derToPem('CERTIFICATE', derOf(certificate));
}

function extensionsFor(request: CertificateRequest, ownKeyId: Buffer, issuerKeyId: Buffer, subjectKey: KeyObject): ForgeExtension[] {
  const holder = pki.createCertificate();
  const keyAlgorithm = subjectKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  const keyUsage: ForgeExtension = { name: 'keyUsage', critical: true };
  for (const usage of keyUsagesFor(request.profile, keyAlgorithm)) keyUsage[usage] = true;
  const extensions: ForgeExtension[] = [{ name: 'basicConstraints', critical: true, cA: request.profile === 'ca' }, keyUsage];
  const extKeyUsages = EXT_KEY_USAGES[request.profile];
  if (extKeyUsages.length > 0) {
    const ext: ForgeExtension = { name: 'extKeyUsage' };
    for (const usage of extKeyUsages) ext[usage] = true;
    extensions.push(ext);
  }
  const altNames = [...request.sans.dns.map((value) => ({ type: 2, value })), ...request.sans.ip.map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  // Given as values: forge would compute the key id from an RSA key of its own.
  extensions.push({
    name: 'subjectKeyIdentifier',
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, ownKeyId.toString('binary')),
  });
  extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId.toString('binary') });
  // setExtensions() fills in each extension's OID and DER value.
  holder.setExtensions(extensions);
  return holder.extensions as ForgeExtension[];
}

function algorithmIdentifier(algorithm: SignatureAlgorithm): Asn1 {
  const oid = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(algorithm.oid).getBytes());
  return sequence(algorithm.nullParameters ? [oid, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')] : [oid]);
}

function sequence(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function integer(value: number): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function derOf(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

function pemBody(pem: string): Buffer {
  const block = safePemDecode(pem).find((b) => b.type === 'CERTIFICATE');
  if (block === undefined) throw new Error('it is not a PEM certificate');
  return Buffer.from(block.body, 'binary');
}

/** 16 random bytes, first bit clear so the DER INTEGER stays positive, first byte non-zero so it stays 16 bytes. */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function nameAttributes(subject: CertSubject): forge.pki.CertificateField[] {
  const attribute = (name: 'organizationName' | 'commonName', value: string) => ({
    name,
    type: pki.oids[name],
    value,
    valueTagClass: stringType(value),
  });
  return [...subject.organizations.map((value) => attribute('organizationName', value)), attribute('commonName', subject.commonName)];
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** PrintableString where it fits (as Go writes names), UTF8String otherwise. */
function stringType(value: string): forge.asn1.Class {
  return (PRINTABLE.test(value) ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8) as unknown as forge.asn1.Class;
}

/** A certificate as Kubesmith reads it: forge's ASN.1 for the fields, Node's X509Certificate for the crypto checks. */
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
  let fields: CertificateFields;
  try {
    fields = readCertificateDer(x509.raw);
  } catch (err) {
    throw new Error('the certificate cannot be decoded', { cause: err });
  }
  const extension = (name: string) => fields.extensions.find((e) => e.name === name);
  const keyUsageExt = extension('keyUsage');
  const extKeyUsageExt = extension('extKeyUsage');
  const basic = extension('basicConstraints') as { cA?: boolean } | undefined;
  const sanExt = extension('subjectAltName') as { altNames?: { type: number; value: string; ip?: string }[] } | undefined;
  const sans: SubjectAltNames = { dns: [], ip: [] };
  for (const name of sanExt?.altNames ?? []) {
    if (name.type === 2) sans.dns.push(name.value);
    if (name.type === 7 && name.ip !== undefined) sans.ip.push(normalizeIp(name.ip) ?? name.ip);
  }
  return {
    pem,
    x509,
    subject: {
      commonName: attributeValues(fields.subjectAttributes, 'commonName')[0] ?? '',
      organizations: attributeValues(fields.subjectAttributes, 'organizationName'),
    },
    subjectText: distinguishedName(fields.subjectAttributes),
    issuerText: distinguishedName(fields.issuerAttributes),
    serialNumber: fields.serialNumberHex,
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
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
