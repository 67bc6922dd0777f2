import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClusterPki, type PkiSummary } from '../../src-main/pki';
import { generateKeyPairPem, readPrivateKey } from '../../src-main/pki/keys';
import { renderKubeconfig } from '../../src-main/pki/kubeconfig';
import { loopbackCluster } from '../support/pki-fixtures';
import { issueCertificate } from '../../src-main/pki/x509';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { findTool, run, titleFor } from './tools';

// KUBECTL=/path/to/kubectl picks another build (e.g. Debian's kubernetes-client, extracted).
const kubectl = findTool('kubectl', 'KUBECTL');

const VARIANTS = [
  { keyType: 'rsa-2048', privateKeyPem: /^-----BEGIN RSA PRIVATE KEY-----/, clientKey: 'RSA 2048' },
  { keyType: 'ecdsa-p256', privateKeyPem: /^-----BEGIN EC PRIVATE KEY-----/, clientKey: 'EC P-256' },
] as const;

describe.skipIf(!kubectl).each(VARIANTS)(
  titleFor('kubectl with the generated $keyType kubeconfigs', kubectl ? [] : ['kubectl'], 'CI: apt-get install kubernetes-client'),
  (variant) => {
    let root: string;
    let pki: string;
    let summary: PkiSummary;
    let server: Server;
    let serverUrl: string;
    const seenClients: string[] = [];
    const seenClientKeys = new Set<string>();
    // A HOME of its own: some kubectl builds keep a discovery cache under ~/.kube.
    const kube = (args: string[]) => run(kubectl!, args, { env: { ...process.env, HOME: root }, timeoutMs: 30_000 });

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'ks-pki-kubectl-'));
      pki = join(root, 'pki');
      // Listen first with no certificate, so the PKI can carry the real port; the certificate comes next.
      server = createServer({ requestCert: true, rejectUnauthorized: true }, (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        // kubectl adds ?timeout=… for --request-timeout.
        const path = new URL(req.url ?? '/', 'https://x').pathname;
        seenClients.push(`${peer.subject?.CN} ${[peer.subject?.O].flat().join(',')} ${path}`);
        seenClientKeys.add(peer.nistCurve !== undefined ? `EC ${peer.nistCurve}` : `RSA ${peer.bits}`);
        if (path === '/version') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.1' }));
        } else if (path === '/healthz') res.end('ok');
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      serverUrl = `https://127.0.0.1:${address.port}`;
      summary = await generateClusterPki(loopbackCluster(), {
        pkiDir: pki,
        cipher: plainCipher,
        keyType: variant.keyType,
        apiServerUrl: serverUrl,
        adminApiServerUrl: serverUrl,
      });
      server.setSecureContext({
        cert: await readFile(join(pki, 'apiserver.crt')),
        key: await readFile(join(pki, 'apiserver.key')),
        ca: await readFile(join(pki, 'ca.crt')),
      });
    });

    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('reads every generated kubeconfig as written', async () => {
      expect(summary.kubeconfigs).toHaveLength(7);
      const caData = (await readFile(join(pki, 'ca.crt'))).toString('base64');
      for (const kubeconfig of summary.kubeconfigs) {
        const view = await kube(['config', 'view', '--raw', '--kubeconfig', kubeconfig.path, '-o', 'json']);
        expect(view.code, `${kubeconfig.id}: ${view.stderr}`).toBe(0);
        const config = JSON.parse(view.stdout) as {
          'current-context': string;
          clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
          users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
        };
        expect(config['current-context']).toBe(`${kubeconfig.user}@loop`);
        expect(config.clusters[0]?.cluster).toEqual({ server: serverUrl, 'certificate-authority-data': caData });
        expect(config.users[0]?.name).toBe(kubeconfig.user);
        const certId = kubeconfig.id.replace(/\/kubelet$/, '/kubelet-client');
        const certPem = await readFile(join(pki, `${certId}.crt`), 'utf8');
        expect(Buffer.from(config.users[0]!.user['client-certificate-data'], 'base64').toString()).toBe(certPem);
        expect(Buffer.from(config.users[0]!.user['client-key-data'], 'base64').toString()).toMatch(variant.privateKeyPem);
      }
    });

    it('gets /healthz over mutual TLS with admin.conf, super-admin.conf and a kubelet kubeconfig', async () => {
      for (const [id, who] of [
        ['kubeconfig/admin', 'kubernetes-admin kubeadm:cluster-admins'],
        ['kubeconfig/super-admin', 'kubernetes-super-admin system:masters'],
        ['hosts/worker-1/kubelet', 'system:node:worker-1 system:nodes'],
      ]) {
        seenClients.length = 0;
        const result = await kube(['--kubeconfig', join(pki, `${id}.conf`), '--request-timeout=10s', 'get', '--raw', '/healthz']);
        expect(`${result.code} ${result.stdout.trim()}`, result.stderr).toBe('0 ok');
        expect(seenClients).toContain(`${who} /healthz`);
      }
      expect([...seenClientKeys]).toEqual([variant.clientKey]);
    });

    it('is refused with a client certificate from another CA, and refuses a server from another CA', async () => {
      const foreignCaKeys = await generateKeyPairPem(variant.keyType);
      const clientKeys = await generateKeyPairPem(variant.keyType);
      const caKey = readPrivateKey(foreignCaKeys.privateKeyPem)!;
      const validity = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
      const foreignCa = issueCertificate(
        {
          subject: { commonName: 'kubernetes-ca', organizations: [] },
          sans: { dns: [], ip: [] },
          profile: 'ca',
          publicKeyPem: foreignCaKeys.publicKeyPem,
          ...validity,
        },
        { privateKey: caKey },
      );
      const foreignAdmin = issueCertificate(
        {
          subject: { commonName: 'kubernetes-admin', organizations: ['system:masters'] },
          sans: { dns: [], ip: [] },
          profile: 'client',
          publicKeyPem: clientKeys.publicKeyPem,
          ...validity,
        },
        { privateKey: caKey, caCertPem: foreignCa },
      );
      const clusterCa = await readFile(join(pki, 'ca.crt'), 'utf8');
      const admin = { clusterName: 'loop', server: serverUrl, userName: 'kubernetes-admin' };

      seenClients.length = 0;
      const foreignClientPath = join(root, 'foreign-client.conf');
      await writeFile(
        foreignClientPath,
        renderKubeconfig({ ...admin, caCertPem: clusterCa, clientCertPem: foreignAdmin, clientKeyPem: clientKeys.privateKeyPem }),
        { mode: 0o600 },
      );
      const refused = await kube(['--kubeconfig', foreignClientPath, '--request-timeout=10s', 'get', '--raw', '/healthz']);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).not.toContain('ok');

      const etcdClientPath = join(root, 'etcd-client.conf');
      await writeFile(
        etcdClientPath,
        renderKubeconfig({
          ...admin,
          caCertPem: clusterCa,
          clientCertPem: await readFile(join(pki, 'etcd/healthcheck-client.crt'), 'utf8'),
          clientKeyPem: await readFile(join(pki, 'etcd/healthcheck-client.key'), 'utf8'),
        }),
        { mode: 0o600 },
      );
      const etcdClient = await kube(['--kubeconfig', etcdClientPath, '--request-timeout=10s', 'get', '--raw', '/healthz']);
      expect(etcdClient.code).not.toBe(0);
      expect(seenClients).toEqual([]);

      const foreignServerPath = join(root, 'foreign-server.conf');
      const realAdmin = await readFile(join(pki, 'kubeconfig/admin.crt'), 'utf8');
      const realKey = await readFile(join(pki, 'kubeconfig/admin.key'), 'utf8');
      await writeFile(
        foreignServerPath,
        renderKubeconfig({ ...admin, caCertPem: foreignCa, clientCertPem: realAdmin, clientKeyPem: realKey }),
        { mode: 0o600 },
      );
      const untrusted = await kube(['--kubeconfig', foreignServerPath, '--request-timeout=10s', 'get', '--raw', '/healthz']);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toMatch(/certificate signed by unknown authority|x509/);
    });
  },
);
