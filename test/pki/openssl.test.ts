import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClusterPki, type PkiSummary } from '../../src-main/pki';
import { seedCluster } from '../support/pki-fixtures';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { findTool, run, titleFor } from './tools';

const openssl = findTool('openssl');
const CAS = ['ca', 'etcd/ca', 'front-proxy-ca'];

/** Which CA must have signed a leaf, written out here rather than taken from the code under test. */
function expectedCa(id: string): string {
  if (id === 'apiserver-etcd-client' || id.startsWith('etcd/') || /^hosts\/[^/]+\/etcd\//.test(id)) return 'etcd/ca';
  if (id === 'front-proxy-client') return 'front-proxy-ca';
  return 'ca';
}

/** What openssl must show for each key type Kubesmith issues. */
const VARIANTS = [
  {
    keyType: 'rsa-2048',
    signatureAlgorithm: 'sha256WithRSAEncryption',
    publicKey: 'Public-Key: (2048 bit)',
    leafKeyUsage: 'Digital Signature, Key Encipherment',
    ownCaKey: ['-newkey', 'rsa:2048'],
  },
  {
    keyType: 'ecdsa-p256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    publicKey: 'Public-Key: (256 bit)',
    leafKeyUsage: 'Digital Signature',
    ownCaKey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  },
] as const;

describe.skipIf(!openssl).each(VARIANTS)(
  titleFor('PKI with $keyType keys checked by the openssl command line', openssl ? [] : ['openssl'], 'CI: apt-get install openssl'),
  (variant) => {
    const ssl = (...args: string[]) => run(openssl!, args);
    let root: string;
    let pki: string;
    let summary: PkiSummary;
    const leaves = () => summary.certificates.filter((c) => !c.isCa);
    const ext = async (id: string, names: string) => (await ssl('x509', '-in', join(pki, `${id}.crt`), '-noout', '-ext', names)).stdout;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'ks-pki-openssl-'));
      pki = join(root, 'pki');
      const cluster = seedCluster();
      cluster.settings.extraSans = ['api.lab.example', '10.231.0.100'];
      summary = await generateClusterPki(cluster, { pkiDir: pki, cipher: plainCipher, keyType: variant.keyType });
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('verifies every leaf against its own CA for each purpose it has, and against no other CA', async () => {
      expect(leaves()).toHaveLength(26);
      for (const cert of leaves()) {
        const ca = expectedCa(cert.id);
        const purposes = [
          ...(cert.extKeyUsages.includes('serverAuth') ? ['sslserver'] : []),
          ...(cert.extKeyUsages.includes('clientAuth') ? ['sslclient'] : []),
        ];
        expect(purposes.length, cert.id).toBeGreaterThan(0);
        for (const purpose of purposes) {
          const ok = await ssl('verify', '-CAfile', join(pki, `${ca}.crt`), '-purpose', purpose, cert.path);
          expect(`${cert.id} ${purpose}: ${ok.code} ${ok.stdout.trim()} ${ok.stderr.trim()}`).toBe(
            `${cert.id} ${purpose}: 0 ${cert.path}: OK `,
          );
        }
        for (const other of CAS.filter((c) => c !== ca)) {
          const wrong = await ssl('verify', '-CAfile', join(pki, `${other}.crt`), cert.path);
          expect(wrong.code, `${cert.id} must not verify against ${other}`).not.toBe(0);
        }
      }
    });

    it('gives server-only certificates no client purpose and client-only ones no server purpose', async () => {
      const serverOnly = await ssl('verify', '-CAfile', join(pki, 'ca.crt'), '-purpose', 'sslclient', join(pki, 'apiserver.crt'));
      expect(serverOnly.code).not.toBe(0);
      const clientOnly = await ssl('verify', '-CAfile', join(pki, 'ca.crt'), '-purpose', 'sslserver', join(pki, 'kubeconfig/admin.crt'));
      expect(clientOnly.code).not.toBe(0);
    });

    it('makes CAs critical CA:TRUE with digitalSignature, keyCertSign and cRLSign', async () => {
      for (const ca of CAS) {
        const text = await ext(ca, 'basicConstraints,keyUsage,subjectKeyIdentifier,authorityKeyIdentifier');
        expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
        expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
        expect(text).toMatch(/Subject Key Identifier/);
      }
    });

    it('gives leaves the usages of their role, critical CA:FALSE, and an AKI equal to their CA SKI', async () => {
      const usages = async (id: string) => (await ext(id, 'keyUsage,extendedKeyUsage')).replace(/\s+/g, ' ').trim();
      expect(await usages('apiserver')).toBe(
        `X509v3 Key Usage: critical ${variant.leafKeyUsage} X509v3 Extended Key Usage: TLS Web Server Authentication`,
      );
      expect(await usages('kubeconfig/admin')).toBe(
        `X509v3 Key Usage: critical ${variant.leafKeyUsage} X509v3 Extended Key Usage: TLS Web Client Authentication`,
      );
      for (const id of ['hosts/etcd-1/etcd/server', 'hosts/etcd-1/etcd/peer']) {
        expect(await usages(id)).toBe(
          `X509v3 Key Usage: critical ${variant.leafKeyUsage} X509v3 Extended Key Usage: TLS Web Server Authentication, TLS Web Client Authentication`,
        );
      }
      expect(await usages('hosts/worker-1/kubelet')).toContain('TLS Web Server Authentication');
      for (const cert of leaves()) {
        const text = await ext(cert.id, 'basicConstraints,authorityKeyIdentifier');
        expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
        const caSki = (await ext(expectedCa(cert.id), 'subjectKeyIdentifier')).split('\n')[1]?.trim();
        expect(caSki).toMatch(/^[0-9A-F:]{59}$/);
        expect(text).toContain(caSki);
      }
    });

    it('puts the expected SANs where openssl finds them', async () => {
      const sans = async (id: string) => (await ext(id, 'subjectAltName')).split('\n')[1]!.trim().split(', ').sort();
      expect(await sans('apiserver')).toEqual(
        [
          'DNS:api.lab.example',
          'DNS:kubernetes',
          'DNS:kubernetes.default',
          'DNS:kubernetes.default.svc',
          'DNS:kubernetes.default.svc.cluster.local',
          'DNS:localhost',
          'DNS:master-1',
          'DNS:master-2',
          'IP Address:10.231.0.100',
          'IP Address:10.96.0.1',
          'IP Address:127.0.0.1',
          'IP Address:192.168.50.10',
          'IP Address:192.168.50.11',
        ].sort(),
      );
      const etcdSans = [
        'DNS:etcd-2',
        'DNS:localhost',
        'IP Address:0:0:0:0:0:0:0:1',
        'IP Address:127.0.0.1',
        'IP Address:192.168.50.21',
      ].sort();
      expect(await sans('hosts/etcd-2/etcd/server')).toEqual(etcdSans);
      expect(await sans('hosts/etcd-2/etcd/peer')).toEqual(etcdSans);
      expect(await sans('hosts/worker-3/kubelet')).toEqual(['DNS:worker-3', 'IP Address:192.168.50.42']);
      expect(await ext('kubeconfig/admin', 'subjectAltName')).toBe('');
    });

    it('names subjects as Kubernetes authorises them', async () => {
      const subject = async (id: string) =>
        (await ssl('x509', '-in', join(pki, `${id}.crt`), '-noout', '-subject', '-nameopt', 'RFC2253')).stdout.trim();
      expect(await subject('ca')).toBe('subject=CN=kubernetes-ca');
      expect(await subject('etcd/ca')).toBe('subject=CN=etcd-ca');
      expect(await subject('front-proxy-ca')).toBe('subject=CN=front-proxy-ca');
      expect(await subject('kubeconfig/admin')).toBe('subject=CN=kubernetes-admin,O=kubeadm:cluster-admins');
      expect(await subject('kubeconfig/super-admin')).toBe('subject=CN=kubernetes-super-admin,O=system:masters');
      expect(await subject('apiserver-kubelet-client')).toBe('subject=CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins');
      expect(await subject('kubeconfig/controller-manager')).toBe('subject=CN=system:kube-controller-manager');
      expect(await subject('kubeconfig/scheduler')).toBe('subject=CN=system:kube-scheduler');
      expect(await subject('kubeconfig/kube-proxy')).toBe('subject=CN=system:kube-proxy');
      expect(await subject('hosts/worker-2/kubelet-client')).toBe('subject=CN=system:node:worker-2,O=system:nodes');
    });

    it('uses distinct positive 16-byte serials, SHA-256 signatures of the key type and a backdated notBefore', async () => {
      const serials = new Set<string>();
      for (const cert of summary.certificates) {
        const text = (await ssl('x509', '-in', cert.path, '-noout', '-serial', '-startdate', '-text')).stdout;
        const serial = /^serial=([0-9A-F]+)$/m.exec(text)?.[1] ?? '';
        expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
        serials.add(serial);
        expect(text).toContain(`Signature Algorithm: ${variant.signatureAlgorithm}`);
        expect(text).toContain(variant.publicKey);
        const notBefore = new Date(/^notBefore=(.+)$/m.exec(text)?.[1] ?? '').getTime();
        expect(Date.now() - notBefore).toBeGreaterThan(4 * 60 * 1000);
      }
      expect(serials.size).toBe(summary.certificates.length);
    });

    it('pairs every certificate with its private key, and sa.pub with sa.key', async () => {
      const publicKeyOfCert = async (path: string) => (await ssl('x509', '-in', path, '-noout', '-pubkey')).stdout;
      const publicKeyOfKey = async (path: string) => (await ssl('pkey', '-in', path, '-pubout')).stdout;
      for (const cert of summary.certificates) {
        expect(cert.keyPath, cert.id).toBeDefined();
        expect(await publicKeyOfKey(cert.keyPath!), cert.id).toBe(await publicKeyOfCert(cert.path));
      }
      expect(await publicKeyOfKey(join(pki, 'sa.key'))).toBe(await readFile(join(pki, 'sa.pub'), 'utf8'));
    });

    it('adopts a CA of the same key type made by openssl, multi-valued RDN and all, and chains the leaves to it', async () => {
      const own = join(root, 'own-ca');
      await mkdir(own, { recursive: true });
      const made = await ssl(
        'req',
        '-x509',
        ...variant.ownCaKey,
        '-nodes',
        '-keyout',
        join(own, 'ca.key'),
        '-out',
        join(own, 'ca.crt'),
        '-days',
        '30',
        '-multivalue-rdn',
        '-subj',
        '/O=Home Lab+OU=Infra/CN=Home Lab Root',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      );
      expect(made.code, made.stderr).toBe(0);
      const adopted = await generateClusterPki(seedCluster(), { pkiDir: own, cipher: plainCipher, keyType: variant.keyType });
      expect(adopted.kept).toContain('ca');
      for (const [id, purpose] of [
        ['apiserver', 'sslserver'],
        ['kubeconfig/admin', 'sslclient'],
        ['hosts/worker-1/kubelet', 'sslserver'],
      ]) {
        const ok = await ssl('verify', '-CAfile', join(own, 'ca.crt'), '-purpose', purpose!, join(own, `${id}.crt`));
        expect(`${ok.code} ${ok.stdout.trim()}`).toBe(`0 ${join(own, `${id}.crt`)}: OK`);
      }
    });
  },
);
