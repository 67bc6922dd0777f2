import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairPem, readPrivateKey, type KeyPairPem } from './keys';
import { EC_CA_CERT_PEM } from '../../test/support/pki-fixtures';
import { issueCertificate, isSignedBy, parseCertificate, randomSerialHex, type CertificateRequest } from './x509';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2027-01-01T00:00:00Z');

function request(publicKeyPem: string, extra: Partial<CertificateRequest>): CertificateRequest {
  return {
    subject: { commonName: 'x', organizations: [] },
    sans: { dns: [], ip: [] },
    profile: 'client',
    publicKeyPem,
    notBefore,
    notAfter,
    ...extra,
  };
}

/** The raw DER of a certificate's issuer or subject name. */
function rawName(pem: string, which: 'issuer' | 'subject'): string {
  const tbs = (forge.asn1.fromDer(forge.pem.decode(pem)[0]?.body ?? '').value as forge.asn1.Asn1[])[0];
  const field = (tbs?.value as forge.asn1.Asn1[])[which === 'issuer' ? 3 : 5];
  return field ? forge.asn1.toDer(field).toHex() : '';
}

describe('issueCertificate', { timeout: 60_000 }, () => {
  let caKeys: KeyPairPem;
  let caKey: KeyObject;
  let leafKeys: KeyPairPem;
  let caPem: string;
  beforeAll(async () => {
    [caKeys, leafKeys] = await Promise.all([generateKeyPairPem('rsa-2048'), generateKeyPairPem('rsa-2048')]);
    caKey = readPrivateKey(caKeys.privateKeyPem) as KeyObject;
    caPem = issueCertificate(request(caKeys.publicKeyPem, { profile: 'ca', subject: { commonName: 'kubernetes-ca', organizations: [] } }), {
      privateKey: caKey,
    });
  }, 60_000);

  it('makes a self-signed CA with CA usages, SKI and AKI', () => {
    const ca = parseCertificate(caPem);
    expect(ca.isCa).toBe(true);
    expect(ca.keyUsages).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(ca.extKeyUsages).toEqual([]);
    expect(ca.subjectText).toBe('CN=kubernetes-ca');
    expect(ca.issuerText).toBe('CN=kubernetes-ca');
    expect(isSignedBy(ca, ca)).toBe(true);
    expect(ca.notBefore).toEqual(notBefore);
    expect(ca.notAfter).toEqual(notAfter);
    expect(ca.keyDescription).toBe('RSA 2048');
    const forgeCa = forge.pki.certificateFromPem(caPem);
    const ski = (forgeCa.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier: string }).subjectKeyIdentifier;
    const aki = forgeCa.getExtension('authorityKeyIdentifier') as { value: string };
    expect(ski).toMatch(/^[0-9a-f]{40}$/);
    expect(forge.util.bytesToHex(aki.value)).toContain(ski);
  });

  it('makes a leaf with its SANs, usages, and the CA key id as AKI', () => {
    const leafPem = issueCertificate(
      request(leafKeys.publicKeyPem, {
        profile: 'server-client',
        subject: { commonName: 'etcd-1', organizations: ['one', 'two'] },
        sans: { dns: ['etcd-1', 'localhost'], ip: ['127.0.0.1', '::1', '192.168.50.20'] },
      }),
      { privateKey: caKey, caCertPem: caPem },
    );
    const leaf = parseCertificate(leafPem);
    const ca = parseCertificate(caPem);
    expect(leaf.isCa).toBe(false);
    expect(leaf.subject).toEqual({ commonName: 'etcd-1', organizations: ['one', 'two'] });
    expect(leaf.subjectText).toBe('O=one, O=two, CN=etcd-1');
    expect(leaf.sans).toEqual({ dns: ['etcd-1', 'localhost'], ip: ['127.0.0.1', '::1', '192.168.50.20'] });
    expect(leaf.keyUsages).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(leaf.extKeyUsages).toEqual(['serverAuth', 'clientAuth']);
    expect(isSignedBy(leaf, ca)).toBe(true);
    expect(rawName(leafPem, 'issuer')).toBe(rawName(caPem, 'subject'));
    const ski = (forge.pki.certificateFromPem(caPem).getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier: string })
      .subjectKeyIdentifier;
    const aki = forge.pki.certificateFromPem(leafPem).getExtension('authorityKeyIdentifier') as { value: string };
    expect(forge.util.bytesToHex(aki.value)).toContain(ski);
  });

  it('is not taken for a certificate of another CA', async () => {
    const otherKeys = await generateKeyPairPem('rsa-2048');
    const otherKey = readPrivateKey(otherKeys.privateKeyPem) as KeyObject;
    const otherCa = issueCertificate(
      request(otherKeys.publicKeyPem, { profile: 'ca', subject: { commonName: 'kubernetes-ca', organizations: [] } }),
      {
        privateKey: otherKey,
      },
    );
    const leaf = parseCertificate(issueCertificate(request(leafKeys.publicKeyPem, {}), { privateKey: otherKey, caCertPem: otherCa }));
    expect(isSignedBy(leaf, parseCertificate(caPem))).toBe(false);
    expect(isSignedBy(leaf, parseCertificate(otherCa))).toBe(true);
  });

  it('encodes names outside PrintableString as UTF8String', () => {
    const pem = issueCertificate(request(leafKeys.publicKeyPem, { subject: { commonName: 'Bü_ro', organizations: [] } }), {
      privateKey: caKey,
      caCertPem: caPem,
    });
    expect(parseCertificate(pem).subject.commonName).toBe('Bü_ro');
  });
});

/** The outer signatureAlgorithm of a certificate: its OID, and how many parameters follow it. */
function signatureAlgorithmOf(pem: string): { oid: string; parameters: number } {
  const certificate = forge.asn1.fromDer(forge.pem.decode(pem)[0]?.body ?? '').value as forge.asn1.Asn1[];
  const [oid, ...parameters] = certificate[1]?.value as forge.asn1.Asn1[];
  return { oid: forge.asn1.derToOid(oid?.value as string), parameters: parameters.length };
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

describe('issueCertificate with ECDSA P-256 keys', { timeout: 60_000 }, () => {
  let ecCa: { pem: string; key: KeyObject };
  let rsaCa: { pem: string; key: KeyObject };
  let ecLeafKeys: KeyPairPem;
  let rsaLeafKeys: KeyPairPem;
  const makeCa = (keys: KeyPairPem) => {
    const key = readPrivateKey(keys.privateKeyPem) as KeyObject;
    const pem = issueCertificate(request(keys.publicKeyPem, { profile: 'ca', subject: { commonName: 'etcd-ca', organizations: [] } }), {
      privateKey: key,
    });
    return { pem, key };
  };
  beforeAll(async () => {
    const [ecCaKeys, rsaCaKeys] = await Promise.all([generateKeyPairPem('ecdsa-p256'), generateKeyPairPem('rsa-2048')]);
    [ecLeafKeys, rsaLeafKeys] = await Promise.all([generateKeyPairPem('ecdsa-p256'), generateKeyPairPem('rsa-2048')]);
    ecCa = makeCa(ecCaKeys);
    rsaCa = makeCa(rsaCaKeys);
  }, 60_000);

  it('signs with ecdsa-with-SHA256 and no parameters, and keeps keyEncipherment off EC leaves', () => {
    const leafPem = issueCertificate(
      request(ecLeafKeys.publicKeyPem, { profile: 'server-client', sans: { dns: ['etcd-1'], ip: ['192.168.50.20'] } }),
      { privateKey: ecCa.key, caCertPem: ecCa.pem },
    );
    const leaf = parseCertificate(leafPem);
    const ca = parseCertificate(ecCa.pem);
    expect(signatureAlgorithmOf(ecCa.pem)).toEqual({ oid: ECDSA_WITH_SHA256, parameters: 0 });
    expect(signatureAlgorithmOf(leafPem)).toEqual({ oid: ECDSA_WITH_SHA256, parameters: 0 });
    expect(isSignedBy(ca, ca)).toBe(true);
    expect(isSignedBy(leaf, ca)).toBe(true);
    expect(ca.keyUsages).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(leaf.keyUsages).toEqual(['digitalSignature']);
    expect(leaf.extKeyUsages).toEqual(['serverAuth', 'clientAuth']);
    expect(leaf.keyDescription).toBe('EC prime256v1');
    expect(leaf.sans).toEqual({ dns: ['etcd-1'], ip: ['192.168.50.20'] });
    expect(rawName(leafPem, 'issuer')).toBe(rawName(ecCa.pem, 'subject'));
  });

  it('lets each CA key type sign leaves of the other', () => {
    const ecLeafOfRsaCa = issueCertificate(request(ecLeafKeys.publicKeyPem, {}), { privateKey: rsaCa.key, caCertPem: rsaCa.pem });
    const rsaLeafOfEcCa = issueCertificate(request(rsaLeafKeys.publicKeyPem, {}), { privateKey: ecCa.key, caCertPem: ecCa.pem });
    expect(signatureAlgorithmOf(ecLeafOfRsaCa)).toEqual({ oid: SHA256_WITH_RSA, parameters: 1 });
    expect(signatureAlgorithmOf(rsaLeafOfEcCa)).toEqual({ oid: ECDSA_WITH_SHA256, parameters: 0 });
    expect(isSignedBy(parseCertificate(ecLeafOfRsaCa), parseCertificate(rsaCa.pem))).toBe(true);
    expect(isSignedBy(parseCertificate(rsaLeafOfEcCa), parseCertificate(ecCa.pem))).toBe(true);
    expect(parseCertificate(rsaLeafOfEcCa).keyUsages).toEqual(['digitalSignature', 'keyEncipherment']);
  });

  it('writes dates from 2050 on as GeneralizedTime and reads them back', () => {
    const far = new Date('2099-06-30T12:00:00Z');
    const pem = issueCertificate(request(ecLeafKeys.publicKeyPem, { notAfter: far }), { privateKey: ecCa.key, caCertPem: ecCa.pem });
    expect(parseCertificate(pem).notAfter).toEqual(far);
    expect(parseCertificate(pem).notBefore).toEqual(notBefore);
  });

  it('refuses to sign with a key it has no signature algorithm for', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => issueCertificate(request(ecLeafKeys.publicKeyPem, { profile: 'ca' }), { privateKey })).toThrow(
      expect.objectContaining({ name: 'PkiUnsupportedSigningKey', message: expect.stringContaining('ED25519') }),
    );
  });
});

describe('randomSerialHex', () => {
  it('gives 16 bytes, positive, each time different', () => {
    const serials = Array.from({ length: 200 }, randomSerialHex);
    for (const serial of serials) {
      expect(serial).toMatch(/^[0-9a-f]{32}$/);
      const first = parseInt(serial.slice(0, 2), 16);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(0x80);
    }
    expect(new Set(serials).size).toBe(serials.length);
  });
});

describe('parseCertificate', () => {
  it('says why it cannot read a file', () => {
    expect(() => parseCertificate('garbage')).toThrow('it is not a single PEM certificate');
    expect(() => parseCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow('cannot be decoded');
    expect(() => parseCertificate(EC_CA_CERT_PEM + EC_CA_CERT_PEM)).toThrow('not a single PEM certificate');
  });

  it('reads certificates of any key type, such as an EC CA made by openssl', () => {
    const ca = parseCertificate(EC_CA_CERT_PEM);
    expect(ca.subjectText).toBe('CN=ec-ca');
    expect(ca.isCa).toBe(true);
    expect(ca.keyUsages).toEqual(['keyCertSign']);
    expect(ca.keyDescription).toBe('EC prime256v1');
    expect(ca.notAfter.getUTCFullYear()).toBe(2126);
    expect(isSignedBy(ca, ca)).toBe(true);
  });
});
