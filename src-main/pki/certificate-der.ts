import { createHash } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** A certificate extension as node-forge decodes or encodes it: id, name, critical, value and per-extension fields. */
export type ForgeExtension = Record<string, unknown>;

// Present in node-forge 1.4.3, missing from @types/node-forge.
const forgeInternals = forge as unknown as {
  asn1: { fromDer(bytes: string, options: { strict: boolean; decodeBitStrings: boolean }): Asn1 };
  pki: {
    RDNAttributesAsArray(rdn: Asn1): forge.pki.CertificateField[];
    certificateExtensionsFromAsn1(extensions: Asn1): ForgeExtension[];
    certificateExtensionsToAsn1(extensions: ForgeExtension[]): Asn1;
  };
};

export const certificateExtensionsToAsn1 = (extensions: ForgeExtension[]): Asn1 =>
  forgeInternals.pki.certificateExtensionsToAsn1(extensions);

/**
 * What Kubesmith reads from a certificate, for any key type: forge's certificate parser refuses
 * every key that is not RSA, so the TBSCertificate is walked here and forge decodes only the
 * names and extensions, which do not depend on the key.
 */
export interface CertificateFields {
  serialNumberHex: string;
  /** The names as encoded, to copy into a certificate's issuer verbatim. */
  issuerName: Asn1;
  subjectName: Asn1;
  issuerAttributes: forge.pki.CertificateField[];
  subjectAttributes: forge.pki.CertificateField[];
  notBefore: Date;
  notAfter: Date;
  subjectPublicKeyInfo: Asn1;
  extensions: ForgeExtension[];
}

/** Throws when the DER is not an X.509 certificate. */
export function readCertificateDer(der: Buffer): CertificateFields {
  const certificate = fromDer(der);
  const tbs = children(certificate)[0];
  const fields = tbs ? children(tbs) : [];
  const hasVersion = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0].type === 0;
  const [serial, , issuer, validity, subject, spki, ...optional] = fields.slice(hasVersion ? 1 : 0);
  const [notBefore, notAfter] = validity ? children(validity) : [];
  if (!serial || !issuer || !notBefore || !notAfter || !subject || !spki) throw new Error('not an X.509 certificate');
  const extensions = optional.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  return {
    serialNumberHex: forge.util.bytesToHex(bytesOf(serial)),
    issuerName: issuer,
    subjectName: subject,
    issuerAttributes: forgeInternals.pki.RDNAttributesAsArray(issuer),
    subjectAttributes: forgeInternals.pki.RDNAttributesAsArray(subject),
    notBefore: readTime(notBefore),
    notAfter: readTime(notAfter),
    subjectPublicKeyInfo: spki,
    extensions: extensions ? forgeInternals.pki.certificateExtensionsFromAsn1(extensions) : [],
  };
}

/** SubjectPublicKeyInfo DER (as Node exports it) as forge ASN.1, its key bits left as they are. */
export function subjectPublicKeyInfoFromDer(der: Buffer): Asn1 {
  return fromDer(der);
}

/** RFC 5280's first method, as Go, openssl and forge use: SHA-1 of the subjectPublicKey bits. */
export function subjectKeyIdentifier(subjectPublicKeyInfo: Asn1): Buffer {
  const bitString = children(subjectPublicKeyInfo)[1];
  // The BIT STRING's first byte counts its unused bits (always 0 for a key).
  return createHash('sha1')
    .update(Buffer.from(bytesOf(bitString).slice(1), 'binary'))
    .digest();
}

/** The value of the certificate's own subjectKeyIdentifier extension, or one computed from its key. */
export function subjectKeyIdentifierOf(fields: CertificateFields): Buffer {
  const ext = fields.extensions.find((e) => e.name === 'subjectKeyIdentifier');
  return typeof ext?.subjectKeyIdentifier === 'string'
    ? Buffer.from(ext.subjectKeyIdentifier, 'hex')
    : subjectKeyIdentifier(fields.subjectPublicKeyInfo);
}

export function derToPem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

// Bit strings stay undecoded: a key's bits can look like nested DER by chance.
function fromDer(der: Buffer): Asn1 {
  return forgeInternals.asn1.fromDer(der.toString('binary'), { strict: true, decodeBitStrings: false });
}

function children(node: Asn1): Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}

function bytesOf(node: Asn1 | undefined): string {
  return typeof node?.value === 'string' ? node.value : '';
}

function readTime(node: Asn1): Date {
  const value = bytesOf(node);
  if (node.type === asn1.Type.UTCTIME) return asn1.utcTimeToDate(value);
  if (node.type === asn1.Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(value);
  throw new Error('a validity time is neither UTCTime nor GeneralizedTime');
}
