import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClusterPki } from '../../src-main/pki';
import { generateKeyPairPem, readPrivateKey } from '../../src-main/pki/keys';
import { loopbackCluster } from '../support/pki-fixtures';
import { issueCertificate } from '../../src-main/pki/x509';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { onFreePorts } from '../support/free-port';
import { findTool, run, titleFor } from './tools';

const etcd = findTool('etcd', 'ETCD');
const etcdctl = findTool('etcdctl', 'ETCDCTL');
const missing = [...(etcd ? [] : ['etcd']), ...(etcdctl ? [] : ['etcdctl'])];
const MEMBERS = ['etcd-a', 'etcd-b', 'etcd-c'];

const KEY_TYPES = ['rsa-2048', 'ecdsa-p256'] as const;

describe.skipIf(missing.length > 0).each(KEY_TYPES)(
  titleFor('etcd cluster on loopback with the generated %s certificates', missing, 'CI: apt-get install etcd-server etcd-client'),
  (keyType) => {
    let root: string;
    let pki: string;
    const children: ChildProcess[] = [];
    let clientUrls: string[] = [];
    const killAll = (): void => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };

    const etcdctlWith = (cert: string, key: string, args: string[], cacert = join(pki, 'etcd/ca.crt')) =>
      run(
        etcdctl!,
        [
          '--endpoints',
          clientUrls.join(','),
          '--cacert',
          cacert,
          '--cert',
          cert,
          '--key',
          key,
          '--dial-timeout=3s',
          '--command-timeout=8s',
          ...args,
        ],
        {
          env: { ...process.env, ETCDCTL_API: '3' },
          timeoutMs: 30_000,
        },
      );
    /** For connections meant to fail: one member and a short timeout, so a refusal does not take the full retry budget. */
    const refusedWith = (cert: string, key: string, cacert = join(pki, 'etcd/ca.crt')) =>
      run(
        etcdctl!,
        [
          '--endpoints',
          clientUrls[0]!,
          '--cacert',
          cacert,
          '--cert',
          cert,
          '--key',
          key,
          '--dial-timeout=2s',
          '--command-timeout=3s',
          'get',
          '/kubesmith/pki-test',
        ],
        {
          env: { ...process.env, ETCDCTL_API: '3' },
          timeoutMs: 20_000,
        },
      );
    const asHealthcheck = (args: string[]) =>
      etcdctlWith(join(pki, 'etcd/healthcheck-client.crt'), join(pki, 'etcd/healthcheck-client.key'), args);

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'ks-pki-etcd-'));
      pki = join(root, 'pki');
      await generateClusterPki(loopbackCluster(), { pkiDir: pki, cipher: plainCipher, keyType });

      // Killed even when the worker dies before afterAll runs.
      process.once('exit', killAll);
      await onFreePorts(MEMBERS.length * 2, startMembers);
    });

    /** The three members on these ports, healthy; on failure they are stopped and their logs are the error's words. */
    async function startMembers(ports: number[]): Promise<void> {
      clientUrls = MEMBERS.map((_, i) => `https://127.0.0.1:${ports[i]}`);
      const peerUrls = MEMBERS.map((_, i) => `https://127.0.0.1:${ports[MEMBERS.length + i]}`);
      const initialCluster = MEMBERS.map((name, i) => `${name}=${peerUrls[i]}`).join(',');
      MEMBERS.forEach((name, i) => {
        const dir = join(pki, 'hosts', name, 'etcd');
        const child = spawn(
          etcd!,
          [
            `--name=${name}`,
            `--data-dir=${join(root, `${name}.data`)}`,
            `--listen-client-urls=${clientUrls[i]}`,
            `--advertise-client-urls=${clientUrls[i]}`,
            `--listen-peer-urls=${peerUrls[i]}`,
            `--initial-advertise-peer-urls=${peerUrls[i]}`,
            `--initial-cluster=${initialCluster}`,
            '--initial-cluster-state=new',
            '--initial-cluster-token=kubesmith-pki-test',
            `--cert-file=${join(dir, 'server.crt')}`,
            `--key-file=${join(dir, 'server.key')}`,
            `--trusted-ca-file=${join(pki, 'etcd/ca.crt')}`,
            '--client-cert-auth',
            `--peer-cert-file=${join(dir, 'peer.crt')}`,
            `--peer-key-file=${join(dir, 'peer.key')}`,
            `--peer-trusted-ca-file=${join(pki, 'etcd/ca.crt')}`,
            '--peer-client-cert-auth',
          ],
          { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const log = createWriteStream(join(root, `${name}.log`));
        child.stdout?.pipe(log);
        child.stderr?.pipe(log);
        children.push(child);
      });

      const deadline = Date.now() + 60_000;
      for (;;) {
        const health = await asHealthcheck(['endpoint', 'health', '--cluster']);
        if (health.code === 0) return;
        const died = children.find((c) => c.exitCode !== null);
        if (died || Date.now() > deadline) {
          await stopMembers();
          const logs = await Promise.all(
            MEMBERS.map(async (m) => `--- ${m}\n${(await readFile(join(root, `${m}.log`), 'utf8')).slice(-3000)}`),
          );
          // The next try starts from empty data folders.
          await Promise.all(MEMBERS.map((m) => rm(join(root, `${m}.data`), { recursive: true, force: true })));
          throw new Error(`etcd cluster did not become healthy:\n${health.stderr}\n${logs.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    async function stopMembers(): Promise<void> {
      killAll();
      await Promise.all(
        children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)),
      );
      children.length = 0;
    }

    afterAll(async () => {
      await stopMembers();
      process.removeListener('exit', killAll);
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('reports three healthy members to the health-check client', async () => {
      const health = await asHealthcheck(['endpoint', 'health', '--cluster', '-w', 'json']);
      expect(health.code, health.stderr).toBe(0);
      const endpoints = JSON.parse(health.stdout) as { endpoint: string; health: boolean }[];
      expect(endpoints.map((e) => e.health)).toEqual([true, true, true]);
      expect(endpoints.map((e) => e.endpoint).sort()).toEqual([...clientUrls].sort());
      const members = await asHealthcheck(['member', 'list', '-w', 'json']);
      const list = JSON.parse(members.stdout) as { members: { name: string; peerURLs: string[] }[] };
      expect(list.members.map((m) => m.name).sort()).toEqual(MEMBERS);
      expect(list.members.every((m) => m.peerURLs.every((u) => u.startsWith('https://')))).toBe(true);
    });

    it('stores and reads back a key, also through the API server etcd client certificate', async () => {
      const put = await asHealthcheck(['put', '/kubesmith/pki-test', 'hello']);
      expect(put.stdout.trim(), put.stderr).toBe('OK');
      const get = await asHealthcheck(['get', '/kubesmith/pki-test', '--print-value-only']);
      expect(get.stdout.trim(), get.stderr).toBe('hello');
      const asApiserver = await etcdctlWith(join(pki, 'apiserver-etcd-client.crt'), join(pki, 'apiserver-etcd-client.key'), [
        'get',
        '/kubesmith/pki-test',
        '--print-value-only',
      ]);
      expect(asApiserver.stdout.trim(), asApiserver.stderr).toBe('hello');
    });

    it('refuses client certificates from the cluster CA and from a foreign CA', async () => {
      const fromClusterCa = await refusedWith(join(pki, 'apiserver-kubelet-client.crt'), join(pki, 'apiserver-kubelet-client.key'));
      expect(fromClusterCa.code).not.toBe(0);
      expect(fromClusterCa.stdout).not.toContain('hello');

      const caKeys = await generateKeyPairPem(keyType);
      const clientKeys = await generateKeyPairPem(keyType);
      const caKey = readPrivateKey(caKeys.privateKeyPem)!;
      const validity = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
      const subject = { commonName: 'etcd-ca', organizations: [] };
      const foreignCa = issueCertificate(
        { subject, sans: { dns: [], ip: [] }, profile: 'ca', publicKeyPem: caKeys.publicKeyPem, ...validity },
        { privateKey: caKey },
      );
      const foreignClient = issueCertificate(
        {
          subject: { commonName: 'kube-etcd-healthcheck-client', organizations: [] },
          sans: { dns: [], ip: [] },
          profile: 'client',
          publicKeyPem: clientKeys.publicKeyPem,
          ...validity,
        },
        { privateKey: caKey, caCertPem: foreignCa },
      );
      await writeFile(join(root, 'foreign.crt'), foreignClient);
      await writeFile(join(root, 'foreign.key'), clientKeys.privateKeyPem, { mode: 0o600 });
      const foreign = await refusedWith(join(root, 'foreign.crt'), join(root, 'foreign.key'));
      expect(foreign.code).not.toBe(0);
      expect(foreign.stdout).not.toContain('hello');

      const logs = (await Promise.all(MEMBERS.map((m) => readFile(join(root, `${m}.log`), 'utf8')))).join('\n');
      expect(logs).toMatch(/rejected connection.*(bad certificate|unknown authority)/);
    });

    it('is not trusted by a client that expects the cluster CA', async () => {
      const wrongTrust = await refusedWith(
        join(pki, 'etcd/healthcheck-client.crt'),
        join(pki, 'etcd/healthcheck-client.key'),
        join(pki, 'ca.crt'),
      );
      expect(wrongTrust.code).not.toBe(0);
      expect(wrongTrust.stdout).not.toContain('hello');
    });
  },
);
