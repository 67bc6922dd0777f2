import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src-shared/model/cluster';
import { plainCipher } from '../store/secret-cipher';
import { generateClusterPki, renewCertificate, type PkiDeps } from './generate';
import { generateKeyPairPem, readPrivateKey, type KeyPairGenerator } from './keys';
import { parseKubeconfig } from './kubeconfig';
import { listCertificates, readCertificatePem, readKubeconfigFile } from './list';
import { parseManifest } from './manifest';
import { clusterOf, reusedKeys, reversingCipher, seedCluster } from '../../test/support/pki-fixtures';
import type { PkiSummary } from './types';
import { issueCertificate, parseCertificate } from './x509';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every file under dir with its bytes, mode and mtime: to prove a refused run wrote nothing. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else {
        const info = await stat(join(dir, path));
        result.set(path, `${(await readFile(join(dir, path))).toString('base64')} ${info.mode.toString(8)} ${info.mtimeMs}`);
      }
    }
  };
  if (existsSync(dir)) await walk('');
  return result;
}

const ids = (summary: PkiSummary): string[] => summary.issued.map((i) => i.id).sort();

// Real RSA keys and real fsyncs: generous limits, since unit test files share two cores.
describe('generateClusterPki', { timeout: 60_000 }, () => {
  let pool: KeyPairGenerator;
  let root: string;
  let pkiDir: string;
  let deps: PkiDeps;
  beforeAll(async () => {
    pool = await reusedKeys(4);
  }, 60_000);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-pki-'));
    pkiDir = join(root, 'pki');
    deps = { generateKeyPair: pool, now: () => new Date() };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const generate = (cluster: Cluster = seedCluster(), extra: Partial<Parameters<typeof generateClusterPki>[1]> = {}, d = deps) =>
    generateClusterPki(cluster, { pkiDir, cipher: plainCipher, ...extra }, d);

  it('writes the whole PKI: keys 0600, certificates 0644, kubeconfigs 0600, all verified', async () => {
    const progress: [number, number, string][] = [];
    const summary = await generate(seedCluster(), { onProgress: (done, total, label) => progress.push([done, total, label]) });

    expect(summary.issued).toHaveLength(30);
    expect(summary.issued.every((i) => i.reason === 'new')).toBe(true);
    expect(summary.kubeconfigsWritten).toHaveLength(10);
    expect(summary.certificates).toHaveLength(29);
    expect(summary.certificates.every((c) => c.keyStatus === 'matches')).toBe(true);
    const signer = Object.fromEntries(summary.certificates.map((c) => [c.id, c.signedBy]));
    expect(signer).toMatchObject({
      ca: 'ca',
      apiserver: 'ca',
      'etcd/healthcheck-client': 'etcd/ca',
      'front-proxy-client': 'front-proxy-ca',
    });
    expect(signer['hosts/etcd-3/etcd/peer']).toBe('etcd/ca');
    expect(summary.encryptedAtRest).toBe(false);

    const mode = async (p: string) => ((await stat(join(pkiDir, p))).mode & 0o777).toString(8);
    expect(await mode('ca.key')).toBe('600');
    expect(await mode('sa.key')).toBe('600');
    expect(await mode('hosts/worker-2/kubelet.conf')).toBe('600');
    expect(await mode('kubeconfig/admin.conf')).toBe('600');
    expect(await mode('ca.crt')).toBe('644');
    expect(await mode('sa.pub')).toBe('644');
    expect(await readFile(join(pkiDir, 'ca.crt'), 'utf8')).not.toContain('\r');

    const manifest = parseManifest(await readFile(join(pkiDir, 'manifest.json'), 'utf8'), 'manifest.json');
    expect(manifest.pending).toBeUndefined();
    expect(Object.keys(manifest.files)).toHaveLength(70);

    const totals = new Set(progress.map(([, total]) => total));
    expect(totals.size).toBe(1);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([31, 31, 'PKI written']);
  });

  it('changes nothing when run again with the same inputs', async () => {
    await generate();
    const before = await snapshot(pkiDir);
    const again = await generate();
    expect(again.issued).toEqual([]);
    expect(again.kept).toHaveLength(30);
    expect(again.kubeconfigsWritten).toEqual([]);
    expect(await snapshot(pkiDir)).toEqual(before);
  });

  it('re-issues only the API server certificate when an extra SAN is added', async () => {
    await generate();
    const adminBefore = await readFile(join(pkiDir, 'kubeconfig/admin.conf'));
    const cluster = seedCluster();
    cluster.settings.extraSans = ['api.lab.example'];
    const summary = await generate(cluster);
    expect(summary.issued).toEqual([{ id: 'apiserver', reason: 'inputs-changed' }]);
    expect(summary.kubeconfigsWritten).toEqual([]);
    expect(summary.certificates.find((c) => c.id === 'apiserver')?.sans.dns).toContain('api.lab.example');
    expect(await readFile(join(pkiDir, 'kubeconfig/admin.conf'))).toEqual(adminBefore);
  });

  it('rewrites only the node kubeconfigs (and the API server SANs) when the load-balancer URL changes', async () => {
    await generate();
    const summary = await generate(seedCluster(), { apiServerUrl: 'https://k8s.lab.example:8443' });
    expect(ids(summary)).toEqual(['apiserver']);
    expect(summary.kubeconfigsWritten.sort()).toEqual(
      [
        'hosts/master-1/kubelet',
        'hosts/master-2/kubelet',
        'hosts/worker-1/kubelet',
        'hosts/worker-2/kubelet',
        'hosts/worker-3/kubelet',
        'kubeconfig/controller-manager',
        'kubeconfig/kube-proxy',
        'kubeconfig/scheduler',
      ].sort(),
    );
    const kubelet = parseKubeconfig(await readFile(join(pkiDir, 'hosts/worker-1/kubelet.conf'), 'utf8'));
    expect(kubelet?.server).toBe('https://k8s.lab.example:8443');
    const admin = parseKubeconfig(await readFile(join(pkiDir, 'kubeconfig/admin.conf'), 'utf8'));
    expect(admin?.server).toBe('https://192.168.50.10:6443');
  });

  it('re-issues every leaf, but keeps the CAs and the service-account key, when the key type changes', async () => {
    await generate();
    const summary = await generate(seedCluster(), { keyType: 'rsa-3072' });
    expect(summary.issued).toHaveLength(26);
    expect(summary.issued.every((i) => i.reason === 'inputs-changed')).toBe(true);
    expect(summary.kept.sort()).toEqual(['ca', 'etcd/ca', 'front-proxy-ca', 'sa']);
    expect(summary.kubeconfigsWritten).toHaveLength(10);
  });

  it('makes a whole ECDSA P-256 PKI, keeps it as is on the next run, and re-issues the leaves as RSA when asked', async () => {
    const realKeys: PkiDeps = { generateKeyPair: generateKeyPairPem, now: () => new Date() };
    const ecdsa = await generate(seedCluster(), { keyType: 'ecdsa-p256' }, realKeys);
    expect(ecdsa.issued).toHaveLength(30);
    expect(ecdsa.certificates.every((c) => c.keyAlgorithm === 'EC prime256v1' && c.keyStatus === 'matches')).toBe(true);
    expect(ecdsa.certificates.find((c) => c.id === 'hosts/etcd-1/etcd/server')?.signedBy).toBe('etcd/ca');
    expect(ecdsa.certificates.find((c) => c.id === 'apiserver')?.keyUsages).toEqual(['digitalSignature']);
    expect(await readFile(join(pkiDir, 'sa.key'), 'utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(await readFile(join(pkiDir, 'kubeconfig/admin.key'), 'utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);

    expect((await generate(seedCluster(), { keyType: 'ecdsa-p256' }, realKeys)).issued).toEqual([]);

    const rsa = await generate(seedCluster(), { keyType: 'rsa-2048' });
    expect(rsa.issued).toHaveLength(26);
    expect(rsa.kept.sort()).toEqual(['ca', 'etcd/ca', 'front-proxy-ca', 'sa']);
    const apiserver = rsa.certificates.find((c) => c.id === 'apiserver');
    expect(apiserver).toMatchObject({ keyAlgorithm: 'RSA 2048', keyStatus: 'matches', signedBy: 'ca' });
    expect(apiserver?.keyUsages).toEqual(['digitalSignature', 'keyEncipherment']);
  });

  it('issues certificates for a new host and removes those of a host that left', async () => {
    await generate();
    const cluster = seedCluster();
    cluster.hosts = cluster.hosts.filter((h) => h.name !== 'worker-3');
    cluster.hosts.push({ ...cluster.hosts[0]!, id: 'new', name: 'master-3', address: '192.168.50.12', roles: ['master'] });
    const summary = await generate(cluster);
    expect(ids(summary)).toEqual(['apiserver', 'hosts/master-3/kubelet', 'hosts/master-3/kubelet-client']);
    expect(summary.removed.map((p) => p.slice(pkiDir.length + 1)).sort()).toEqual([
      'hosts/worker-3/kubelet-client.crt',
      'hosts/worker-3/kubelet-client.key',
      'hosts/worker-3/kubelet.conf',
      'hosts/worker-3/kubelet.crt',
      'hosts/worker-3/kubelet.key',
    ]);
    expect(existsSync(join(pkiDir, 'hosts/worker-3'))).toBe(false);
    const manifest = parseManifest(await readFile(join(pkiDir, 'manifest.json'), 'utf8'), 'm');
    expect(Object.keys(manifest.files).some((p) => p.includes('worker-3'))).toBe(false);
    expect(Object.keys(manifest.entries).some((p) => p.includes('worker-3'))).toBe(false);
    expect((await generate(cluster)).issued).toEqual([]);
  });

  it('puts a host named by its address only in the IP SANs (apiserver, etcd server and peer, kubelet serving), as openssl reads them', async () => {
    const byAddress = clusterOf('pasted', [
      ['192.168.50.10', '192.168.50.10', ['master', 'etcd']],
      ['192.168.50.40', '192.168.50.40', ['node']],
    ]);
    await generate(byAddress);
    const sansOf = (id: string): string => {
      const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(pkiDir, `${id}.crt`)], {
        encoding: 'utf8',
      });
      return text.split('\n').slice(1).join(' ').trim();
    };
    for (const [id, address] of [
      ['apiserver', '192.168.50.10'],
      ['hosts/192.168.50.10/etcd/server', '192.168.50.10'],
      ['hosts/192.168.50.10/etcd/peer', '192.168.50.10'],
      ['hosts/192.168.50.10/kubelet', '192.168.50.10'],
      ['hosts/192.168.50.40/kubelet', '192.168.50.40'],
    ] as const) {
      const sans = sansOf(id);
      expect(sans, id).toContain(`IP Address:${address}`);
      expect(sans, id).not.toMatch(/DNS:\d+\.\d+\.\d+\.\d+/);
    }
    expect(sansOf('hosts/192.168.50.40/kubelet')).toBe('IP Address:192.168.50.40');
  });

  it('runs one generation at a time per folder', async () => {
    const [first, second] = await Promise.all([generate(), generate()]);
    expect(first.issued).toHaveLength(30);
    expect(second.issued).toEqual([]);
  });

  describe('renewCertificate', () => {
    it('gives one leaf a new key and serial from the same CA, and rewrites its kubeconfig only', async () => {
      await generate();
      const before = await snapshot(pkiDir);
      const old = parseCertificate(await readFile(join(pkiDir, 'kubeconfig/admin.crt'), 'utf8'));
      const summary = await renewCertificate(
        seedCluster(),
        pkiDir,
        'kubeconfig/admin',
        { cipher: plainCipher },
        { ...deps, generateKeyPair: generateKeyPairPem },
      );
      expect(summary.issued).toEqual([{ id: 'kubeconfig/admin', reason: 'renewed' }]);
      expect(summary.kubeconfigsWritten).toEqual(['kubeconfig/admin']);
      const renewed = parseCertificate(await readFile(join(pkiDir, 'kubeconfig/admin.crt'), 'utf8'));
      expect(renewed.serialNumber).not.toBe(old.serialNumber);
      expect(renewed.x509.publicKey.equals(old.x509.publicKey)).toBe(false);
      expect(renewed.issuerText).toBe(old.issuerText);
      expect(summary.certificates.find((c) => c.id === 'kubeconfig/admin')).toMatchObject({ signedBy: 'ca', keyStatus: 'matches' });
      const conf = parseKubeconfig(await readFile(join(pkiDir, 'kubeconfig/admin.conf'), 'utf8'));
      expect(conf?.clientCertPem).toBe(renewed.pem);

      const after = await snapshot(pkiDir);
      const changed = [...after.keys()].filter((p) => after.get(p) !== before.get(p)).sort();
      expect(changed).toEqual(['kubeconfig/admin.conf', 'kubeconfig/admin.crt', 'kubeconfig/admin.key', 'manifest.json']);
      expect((await generate()).issued).toEqual([]);
    });

    it('refuses CAs, the service-account key, unknown ids, and a PKI not yet generated', async () => {
      await expect(renewCertificate(seedCluster(), pkiDir, 'apiserver', { cipher: plainCipher }, deps)).rejects.toMatchObject({
        name: 'PkiNotGenerated',
      });
      await generate();
      for (const id of ['ca', 'etcd/ca', 'sa']) {
        await expect(renewCertificate(seedCluster(), pkiDir, id, { cipher: plainCipher }, deps)).rejects.toMatchObject({
          name: 'PkiCannotRenewCa',
        });
      }
      await expect(renewCertificate(seedCluster(), pkiDir, 'hosts/nope/kubelet', { cipher: plainCipher }, deps)).rejects.toMatchObject({
        name: 'PkiCertificateNotFound',
      });
    });
  });

  describe('refuses bad input and writes nothing', () => {
    async function expectRefused(run: () => Promise<unknown>, name: string, message?: RegExp): Promise<void> {
      const before = await snapshot(pkiDir);
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ name });
      if (message) expect((err as Error).message).toMatch(message);
      expect((err as { hint?: string }).hint).toBeTruthy();
      expect(await snapshot(pkiDir)).toEqual(before);
    }

    it('an invalid SAN or a host without an address', async () => {
      await generate();
      const bad = seedCluster();
      bad.settings.extraSans = ['ok.lab', 'bad san'];
      await expectRefused(() => generate(bad), 'PkiInvalidSan', /bad san/);
      const noAddress = seedCluster();
      noAddress.hosts[0]!.address = '  ';
      await expectRefused(() => generate(noAddress), 'PkiHostWithoutAddress', /master-1/);
    });

    it('bad options', async () => {
      await expectRefused(() => generate(seedCluster(), { keyType: 'ed25519' as never }), 'PkiUnsupportedKeyType', /ed25519/);
      await expectRefused(() => generate(seedCluster(), { leafValidityDays: 0 }), 'PkiInvalidValidity');
      await expectRefused(() => generate(seedCluster(), { apiServerUrl: 'http://127.0.0.1:6443' }), 'PkiInvalidApiServerUrl');
    });

    it('an expired CA', async () => {
      await generate(seedCluster(), { caValidityDays: 10 }, { ...deps, now: () => new Date(Date.now() - 20 * DAY_MS) });
      await expectRefused(() => generate(), 'PkiCaExpired', /expired on/);
    });

    it('a CA key that does not belong to the CA certificate', async () => {
      await generate();
      const other = await generateKeyPairPem('rsa-2048');
      await writeFile(join(pkiDir, 'etcd/ca.key'), other.privateKeyPem);
      await expectRefused(() => generate(), 'PkiCaKeyMismatch', /etcd\/ca\.key/);
    });

    it('a foreign file, a corrupt certificate, a changed certificate, a corrupt manifest', async () => {
      await generate();
      await writeFile(join(pkiDir, 'notes.txt'), 'hello');
      await expectRefused(() => generate(), 'PkiForeignFiles', /notes\.txt/);
      await rm(join(pkiDir, 'notes.txt'));

      const apiserver = await readFile(join(pkiDir, 'apiserver.crt'));
      await writeFile(join(pkiDir, 'apiserver.crt'), 'garbage');
      await expectRefused(() => generate(), 'PkiFileCorrupt', /apiserver\.crt.*not a single PEM certificate/);
      await writeFile(join(pkiDir, 'apiserver.crt'), apiserver);

      const admin = await readFile(join(pkiDir, 'kubeconfig/admin.crt'));
      await writeFile(join(pkiDir, 'kubeconfig/admin.crt'), await readFile(join(pkiDir, 'kubeconfig/scheduler.crt')));
      await expectRefused(() => generate(), 'PkiFilesModified', /kubeconfig\/admin\.crt/);
      await writeFile(join(pkiDir, 'kubeconfig/admin.crt'), admin);

      await writeFile(join(pkiDir, 'manifest.json'), '{"generator":"kubesmith"');
      await expectRefused(() => generate(), 'PkiManifestCorrupt');
    });

    it('leftovers of kubeadm in a folder without a manifest, and half a CA', async () => {
      await mkdir(pkiDir, { recursive: true });
      await writeFile(join(pkiDir, 'apiserver.crt'), 'x');
      await expectRefused(() => generate(), 'PkiForeignFiles', /apiserver\.crt/);
      await rm(join(pkiDir, 'apiserver.crt'));
      await writeFile(join(pkiDir, 'ca.crt'), 'x');
      await expectRefused(() => generate(), 'PkiCaIncomplete', /ca\.key/);
    });

    it('a key generation failure', async () => {
      let calls = 0;
      const failing: KeyPairGenerator = async (type) => {
        if (++calls === 12) throw new Error('entropy ran dry');
        return pool(type);
      };
      await expect(generate(seedCluster(), {}, { ...deps, generateKeyPair: failing })).rejects.toThrow('entropy ran dry');
      expect(existsSync(pkiDir)).toBe(false);
    });
  });

  it('adopts a CA of the user, found in pki/ before the first run', async () => {
    const keys = await generateKeyPairPem('rsa-2048');
    const privateKey = readPrivateKey(keys.privateKeyPem)!;
    const now = Date.now();
    const caPem = issueCertificate(
      {
        subject: { commonName: 'Home Lab Root', organizations: ['Büro'] },
        sans: { dns: [], ip: [] },
        profile: 'ca',
        publicKeyPem: keys.publicKeyPem,
        notBefore: new Date(now - DAY_MS),
        notAfter: new Date(now + 90 * DAY_MS),
      },
      { privateKey },
    );
    await mkdir(pkiDir, { recursive: true });
    await writeFile(join(pkiDir, 'ca.crt'), caPem);
    await writeFile(join(pkiDir, 'ca.key'), keys.privateKeyPem);

    const summary = await generate(seedCluster(), { leafValidityDays: 365 });
    expect(summary.kept).toContain('ca');
    expect(ids(summary)).not.toContain('ca');
    const apiserver = summary.certificates.find((c) => c.id === 'apiserver');
    expect(apiserver).toMatchObject({ signedBy: 'ca', issuer: 'O=Büro, CN=Home Lab Root' });
    // Capped at the CA's end: a leaf cannot outlive the CA vouching for it.
    expect(apiserver!.daysLeft).toBeLessThanOrEqual(90);
    const manifest = parseManifest(await readFile(join(pkiDir, 'manifest.json'), 'utf8'), 'm');
    expect(manifest.entries['ca.crt']).toMatchObject({ imported: true });
    expect((await generate()).issued).toEqual([]);
  });

  describe('with a cipher that encrypts at rest', () => {
    it('seals every private key and kubeconfig, and reads them back only with that cipher', async () => {
      const summary = await generateClusterPki(seedCluster(), { pkiDir, cipher: reversingCipher }, deps);
      expect(summary).toMatchObject({ encryptedAtRest: true, keyProtection: 'test cipher' });
      expect(existsSync(join(pkiDir, 'ca.key'))).toBe(false);
      const sealed = await readFile(join(pkiDir, 'ca.key.enc'), 'utf8');
      expect(sealed).not.toContain('PRIVATE KEY');
      expect(await readFile(join(pkiDir, 'kubeconfig/admin.conf.enc'), 'utf8')).not.toContain('client-key-data');
      expect(summary.kubeconfigs.find((k) => k.id === 'kubeconfig/admin')?.path).toBe(join(pkiDir, 'kubeconfig/admin.conf.enc'));
      expect(summary.certificates.every((c) => c.keyStatus === 'matches' && c.keyPath?.endsWith('.key.enc'))).toBe(true);

      expect((await generateClusterPki(seedCluster(), { pkiDir, cipher: reversingCipher }, deps)).issued).toEqual([]);
      expect(parseKubeconfig(await readKubeconfigFile(pkiDir, 'kubeconfig/admin', reversingCipher))?.userName).toBe('kubernetes-admin');

      await expect(generate()).rejects.toMatchObject({ name: 'PkiSecretsEncrypted' });
      await expect(readKubeconfigFile(pkiDir, 'kubeconfig/admin', plainCipher)).rejects.toMatchObject({ name: 'PkiSecretsEncrypted' });
      const withoutKeychain = await listCertificates(pkiDir, plainCipher);
      expect(withoutKeychain.certificates.every((c) => c.keyStatus === 'unreadable')).toBe(true);
      expect((await listCertificates(pkiDir)).certificates.every((c) => c.keyStatus === 'present')).toBe(true);
    });

    it('keeps plain keys of a folder made in browser mode, and seals what it rewrites', async () => {
      await generate();
      const summary = await generateClusterPki(seedCluster(), { pkiDir, cipher: reversingCipher }, deps);
      expect(summary.issued).toEqual([]);
      expect(summary.kubeconfigs.find((k) => k.id === 'kubeconfig/admin')?.path).toBe(join(pkiDir, 'kubeconfig/admin.conf'));
      await renewCertificate(seedCluster(), pkiDir, 'apiserver', { cipher: reversingCipher }, deps);
      expect(existsSync(join(pkiDir, 'apiserver.key.enc'))).toBe(true);
      expect(existsSync(join(pkiDir, 'apiserver.key'))).toBe(false);
      expect(existsSync(join(pkiDir, 'ca.key'))).toBe(true);
      expect((await generateClusterPki(seedCluster(), { pkiDir, cipher: reversingCipher }, deps)).issued).toEqual([]);
    });
  });

  describe('after an interrupted run', () => {
    it('recognises files written before the final manifest, and re-issues a half-written pair', async () => {
      await generate();
      const manifestBefore = await readFile(join(pkiDir, 'manifest.json'), 'utf8');
      const certBefore = await readFile(join(pkiDir, 'front-proxy-client.crt'));
      await renewCertificate(
        seedCluster(),
        pkiDir,
        'front-proxy-client',
        { cipher: plainCipher },
        { ...deps, generateKeyPair: generateKeyPairPem },
      );
      const renewed = parseManifest(await readFile(join(pkiDir, 'manifest.json'), 'utf8'), 'm');
      // As if the run stopped after writing the new key but before the certificate and the final manifest.
      const old = parseManifest(manifestBefore, 'm');
      old.pending = {
        'front-proxy-client.key': renewed.files['front-proxy-client.key']!,
        'front-proxy-client.crt': renewed.files['front-proxy-client.crt']!,
      };
      await writeFile(join(pkiDir, 'manifest.json'), JSON.stringify(old));
      await writeFile(join(pkiDir, 'front-proxy-client.crt'), certBefore);

      const summary = await generate();
      expect(summary.issued).toEqual([{ id: 'front-proxy-client', reason: 'incomplete' }]);
      expect(summary.certificates.find((c) => c.id === 'front-proxy-client')?.keyStatus).toBe('matches');
      const manifest = parseManifest(await readFile(join(pkiDir, 'manifest.json'), 'utf8'), 'm');
      expect(manifest.pending).toBeUndefined();
    });

    it('ignores temp files of an interrupted atomic write', async () => {
      await generate();
      await writeFile(join(pkiDir, '.apiserver.crt.0123456789ab.tmp'), 'half');
      expect((await generate()).issued).toEqual([]);
    });
  });

  describe('expiry', () => {
    it('flags certificates close to expiry, and re-issues expired leaves on the next run', async () => {
      await generate(seedCluster(), {}, { ...deps, now: () => new Date(Date.now() - 350 * DAY_MS) });
      const listing = await listCertificates(pkiDir, plainCipher);
      const apiserver = listing.certificates.find((c) => c.id === 'apiserver')!;
      expect(apiserver).toMatchObject({ expired: false, warn: true });
      expect(apiserver.daysLeft).toBeGreaterThanOrEqual(14);
      expect(apiserver.daysLeft).toBeLessThanOrEqual(15);
      expect(listing.certificates.find((c) => c.id === 'ca')).toMatchObject({ warn: false });

      await rm(pkiDir, { recursive: true });
      await generate(seedCluster(), {}, { ...deps, now: () => new Date(Date.now() - 400 * DAY_MS) });
      expect((await listCertificates(pkiDir)).certificates.find((c) => c.id === 'apiserver')).toMatchObject({ expired: true, warn: true });
      const summary = await generate();
      expect(summary.issued).toHaveLength(26);
      expect(summary.issued.every((i) => i.reason === 'expired')).toBe(true);
    });
  });

  describe('listing and export', () => {
    it('reports unreadable certificate files instead of failing the whole list', async () => {
      await generate(clusterOf('tiny', [['cp', '10.231.0.10', ['master', 'etcd']]]));
      await writeFile(join(pkiDir, 'stray.crt'), 'nope');
      const listing = await listCertificates(pkiDir, plainCipher);
      expect(listing.problems).toEqual([{ path: join(pkiDir, 'stray.crt'), reason: 'it is not a single PEM certificate' }]);
      expect(listing.certificates.map((c) => c.id)).toContain('apiserver');
      expect(listing.certificates.slice(0, 3).every((c) => c.isCa)).toBe(true);
    });

    it('exports one certificate as PEM, and refuses ids outside the pki folder', async () => {
      await generate(clusterOf('tiny', [['cp', '10.231.0.10', ['master', 'etcd']]]));
      const pem = await readCertificatePem(pkiDir, 'hosts/cp/etcd/server');
      expect(parseCertificate(pem).subject.commonName).toBe('cp');
      await expect(readCertificatePem(pkiDir, '../../etc/passwd')).rejects.toMatchObject({ name: 'PkiInvalidId' });
      await expect(readCertificatePem(pkiDir, 'nope')).rejects.toMatchObject({ name: 'PkiCertificateNotFound' });
      await expect(readKubeconfigFile(pkiDir, 'kubeconfig/nope', plainCipher)).rejects.toMatchObject({ name: 'PkiKubeconfigNotFound' });
    });
  });
});
