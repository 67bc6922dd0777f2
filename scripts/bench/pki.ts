/**
 * Times generating the seed cluster's whole PKI, against the openssl command line doing the same
 * keys and certificates (genpkey + req + x509) at the same concurrency, in the same run:
 *   (a) RSA 2048, cold: every key generated during the run (async, in parallel);
 *   (b) RSA 2048 with a warm key pool: the keys made beforehand in the background, as the app
 *       does once a cluster's certificates are listed;
 *   (c) ECDSA P-256, cold.
 *
 *   npx tsx scripts/bench/pki.ts [--runs N]
 */
import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { generateClusterPki, KeyPool, keyPairsOf, type KeyType, type PkiDeps } from '../../src-main/pki';
import { readClusterInputs } from '../../src-main/pki/cluster-inputs';
import { generateKeyPairPem, keyAlgorithmOf, readPrivateKey } from '../../src-main/pki/keys';
import { planLayout, type CaId } from '../../src-main/pki/layout';
import { createLimiter } from '../../src-main/pki/scheduling';
import { DEFAULT_API_SERVER_URL } from '../../src-main/pki/options';
import { keygenConcurrency } from '../../src-main/pki/produce';
import { EXT_KEY_USAGES, keyUsagesFor } from '../../src-main/pki/profiles';
import { seedCluster } from '../../test/support/pki-fixtures';
import { randomSerialHex } from '../../src-main/pki/x509';
import { plainCipher } from '../../src-main/store/secret-cipher';

const exec = promisify(execFile);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

interface KubesmithRun {
  ms: number;
  maxLoopDelayMs: number;
  p99LoopDelayMs: number;
  keys: number;
  certs: number;
}

async function timeKubesmith(pkiDir: string, keyType: KeyType, deps?: PkiDeps): Promise<KubesmithRun> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  const summary = await generateClusterPki(seedCluster(), { pkiDir, cipher: plainCipher, keyType }, deps);
  const ms = performance.now() - started;
  histogram.disable();
  return {
    ms,
    maxLoopDelayMs: histogram.max / 1e6,
    p99LoopDelayMs: histogram.percentile(99) / 1e6,
    keys: summary.issued.length,
    certs: summary.certificates.length,
  };
}

/** The pool filled in the background beforehand (not timed), as after the Certificates screen was opened. */
async function timeKubesmithWithWarmPool(pkiDir: string, keyType: KeyType): Promise<KubesmithRun & { fillMs: number }> {
  const pool = new KeyPool();
  const filling = performance.now();
  pool.fill(keyType, keyPairsOf(seedCluster()));
  await pool.idle();
  const fillMs = performance.now() - filling;
  const run = await timeKubesmith(pkiDir, keyType, { generateKeyPair: pool.generator, now: () => new Date() });
  await pool.close();
  return { ...run, fillMs };
}

async function timeOpensslCli(openssl: string, dir: string, keyType: KeyType): Promise<{ ms: number; keys: number; certs: number }> {
  const inputs = readClusterInputs(seedCluster());
  const first = inputs.masters[0]?.address.value ?? '127.0.0.1';
  const layout = planLayout(inputs, { apiServerUrl: DEFAULT_API_SERVER_URL, adminApiServerUrl: `https://${first}:6443` });
  const ssl = (...args: string[]) => exec(openssl, args);
  const limited = createLimiter(keygenConcurrency());
  const subj = (o: string[], cn: string) => [...o.map((v) => `/O=${v}`), `/CN=${cn}`].join('');
  const file = (id: string, ext: string) => join(dir, `${id.replaceAll('/', '_')}.${ext}`);
  const algorithm = keyAlgorithmOf(keyType);
  const keyOptions =
    algorithm === 'rsa'
      ? ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${keyType.slice('rsa-'.length)}`]
      : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const genkey = (id: string) => ssl('genpkey', ...keyOptions, '-out', file(id, 'key'));
  await mkdir(dir, { recursive: true });
  let keys = 0;
  let certs = 0;

  const started = performance.now();
  const cas = new Map<CaId, Promise<void>>();
  for (const ca of layout.cas) {
    cas.set(
      ca.id,
      limited(async () => {
        await genkey(ca.id);
        await ssl(
          'req',
          '-x509',
          '-new',
          '-key',
          file(ca.id, 'key'),
          '-subj',
          subj([], ca.subject.commonName),
          '-days',
          '3650',
          '-sha256',
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          `keyUsage=critical,${keyUsagesFor('ca', algorithm).join(',')}`,
          '-out',
          file(ca.id, 'crt'),
        );
        keys++;
        certs++;
      }),
    );
  }
  const leaves = layout.leaves.map((leaf) =>
    limited(async () => {
      await genkey(leaf.id);
      await ssl(
        'req',
        '-new',
        '-key',
        file(leaf.id, 'key'),
        '-subj',
        subj(leaf.subject.organizations, leaf.subject.commonName),
        '-out',
        file(leaf.id, 'csr'),
      );
      const sans = [...leaf.sans.dns.map((d) => `DNS:${d}`), ...leaf.sans.ip.map((i) => `IP:${i}`)];
      const ext = [
        'basicConstraints=critical,CA:FALSE',
        `keyUsage=critical,${keyUsagesFor(leaf.profile, algorithm).join(',')}`,
        `extendedKeyUsage=${EXT_KEY_USAGES[leaf.profile].join(',')}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []),
      ];
      await writeFile(file(leaf.id, 'ext'), `${ext.join('\n')}\n`);
      await cas.get(leaf.caId);
      await ssl(
        'x509',
        '-req',
        '-in',
        file(leaf.id, 'csr'),
        '-CA',
        file(leaf.caId, 'crt'),
        '-CAkey',
        file(leaf.caId, 'key'),
        '-set_serial',
        `0x${randomSerialHex()}`,
        '-days',
        '365',
        '-sha256',
        '-extfile',
        file(leaf.id, 'ext'),
        '-out',
        file(leaf.id, 'crt'),
      );
      keys++;
      certs++;
    }),
  );
  const serviceAccount = limited(async () => {
    await genkey('sa');
    await ssl('pkey', '-in', file('sa', 'key'), '-pubout', '-out', file('sa', 'pub'));
    keys++;
  });
  await Promise.all([...cas.values(), ...leaves, serviceAccount]);
  return { ms: performance.now() - started, keys, certs };
}

/** Why certificates are signed with Node's crypto rather than forge's Certificate.sign(). */
async function timeSigning(): Promise<{ forgeMs: number; nodeMs: number }> {
  const keys = await generateKeyPairPem('rsa-2048');
  const forgeKey = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  const nodeKey = readPrivateKey(keys.privateKeyPem)!;
  const tbs = Buffer.alloc(1200, 7);
  const rounds = 20;
  let started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const md = forge.md.sha256.create();
    md.update(tbs.toString('binary'));
    forgeKey.sign(md);
  }
  const forgeMs = (performance.now() - started) / rounds;
  started = performance.now();
  for (let i = 0; i < rounds; i++) sign('sha256', tbs, nodeKey);
  const nodeMs = (performance.now() - started) / rounds;
  return { forgeMs, nodeMs };
}

interface Scenario {
  label: string;
  keyType: KeyType;
  run: (pkiDir: string) => Promise<KubesmithRun & { fillMs?: number }>;
}

const SCENARIOS: Scenario[] = [
  { label: '(a) RSA 2048, cold (keys generated async, in parallel)', keyType: 'rsa-2048', run: (dir) => timeKubesmith(dir, 'rsa-2048') },
  { label: '(b) RSA 2048, warm key pool', keyType: 'rsa-2048', run: (dir) => timeKubesmithWithWarmPool(dir, 'rsa-2048') },
  { label: '(c) ECDSA P-256, cold', keyType: 'ecdsa-p256', run: (dir) => timeKubesmith(dir, 'ecdsa-p256') },
];

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;
  const openssl = await exec('sh', ['-c', 'command -v openssl']).then(
    (r) => r.stdout.trim(),
    () => '',
  );
  const root = await mkdtemp(join(tmpdir(), 'ks-bench-pki-'));
  try {
    const kubesmith = new Map<Scenario, Awaited<ReturnType<Scenario['run']>>[]>(SCENARIOS.map((s) => [s, []]));
    const cli = new Map<KeyType, Awaited<ReturnType<typeof timeOpensslCli>>[]>();
    let n = 0;
    // Interleaved, so that load from elsewhere on the machine spreads over every column.
    for (let run = 0; run < runs; run++) {
      for (const scenario of SCENARIOS) kubesmith.get(scenario)!.push(await scenario.run(join(root, `kubesmith-${n++}`)));
      if (!openssl) continue;
      for (const keyType of new Set(SCENARIOS.map((s) => s.keyType))) {
        cli.set(keyType, [...(cli.get(keyType) ?? []), await timeOpensslCli(openssl, join(root, `openssl-${n++}`), keyType)]);
      }
    }
    const signing = await timeSigning();

    const first = kubesmith.get(SCENARIOS[0]!)![0]!;
    console.log(
      `seed topology: ${first.keys} keys, ${first.certs} certificates, 10 kubeconfigs; ${keygenConcurrency()} key generations at a time; median of ${runs} runs`,
    );
    // Other work on the machine shows up in every number below, the event-loop delay included.
    console.log(
      `machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end`,
    );
    console.log(
      `one RSA-2048 signature: forge ${signing.forgeMs.toFixed(1)} ms (blocks the event loop), node crypto ${signing.nodeMs.toFixed(2)} ms`,
    );
    for (const [keyType, results] of cli) {
      console.log(
        `openssl-cli ${keyType} runs: ${results.map((r) => seconds(r.ms)).join(' ')} (${results[0]!.keys} keys, ${results[0]!.certs} certificates)`,
      );
    }
    for (const scenario of SCENARIOS) {
      const results = kubesmith.get(scenario)!;
      const ks = median(results.map((r) => r.ms));
      const delays = (pick: (r: KubesmithRun) => number) => results.map((r) => pick(r).toFixed(0)).join(' ');
      const fill =
        results[0]?.fillMs !== undefined ? `; pool filled beforehand in ${results.map((r) => seconds(r.fillMs ?? 0)).join(' ')}` : '';
      console.log(`${scenario.label}: runs ${results.map((r) => seconds(r.ms)).join(' ')}${fill}`);
      console.log(`    event loop delay per run: p99 ${delays((r) => r.p99LoopDelayMs)} ms; max ${delays((r) => r.maxLoopDelayMs)} ms`);
      const reference = cli.get(scenario.keyType);
      if (reference) {
        const os = median(reference.map((r) => r.ms));
        console.log(`pki ${scenario.label}: kubesmith ${seconds(ks)}, openssl-cli ${seconds(os)}, ratio ${(ks / os).toFixed(2)}`);
      } else {
        console.log(`pki ${scenario.label}: kubesmith ${seconds(ks)}, openssl-cli n/a (openssl not found), ratio n/a`);
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
