import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBackend, type Backend } from '../../src-main/backend';
import { apiMethods, METHOD_NAMES, type MethodName } from '../../src-shared/contract/api';
import { ApiErrorSchema } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { snapshotChanges, snapshotDir } from './disk-snapshot';
import { jsonSchemaOf, MUTATIONS, mutate, pick, sample, seededRandom, type Mutation, type SampleContext } from './schema-sample';

/**
 * Every contract method, called through the real dispatcher (the one Electron IPC and browser mode share) on a real
 * workspace, with inputs made from its schema and then broken. Bounded by rounds (KS_FUZZ_ROUNDS) and, so a busy
 * machine does less instead of failing, by a time budget (KS_FUZZ_BUDGET_MS). KS_FUZZ_SEED replays a run.
 */

const SEED = Number(process.env.KS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.KS_FUZZ_ROUNDS ?? 50);
const BUDGET_MS = Number(process.env.KS_FUZZ_BUDGET_MS ?? 60_000);
/** Generous: a call that takes this long is stuck, not slow. */
const CALL_TIMEOUT_MS = 60_000;

/**
 * Error names that say nothing to the user: JavaScript's own errors, zod's, and the dispatcher's catch-all for
 * anything that was not a KubesmithError. Every other name (InvalidRequest, NotFound, ClusterNotFound, SshError,
 * InvalidHost, …) is a typed error some code chose to throw.
 */
const UNTYPED_NAMES = new Set([
  'InternalError',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
  'ZodError',
  'SystemError',
]);

/**
 * Crashes found by this suite whose fix belongs to another part and is under way: reported, not failed. Remove an
 * entry when its fix lands, so the suite guards it from then on.
 */
/** Crashes the suite knows of and reports without failing; empty since the gate and setRoles' Map closed issue 13 case 7. */
const KNOWN_OPEN: { name: string; message: RegExp; why: string }[] = [];

const AnswerSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }).strict(),
]);

/**
 * Methods whose valid calls reach the network (SSH to the cluster's hosts, binary downloads) or start long work. A
 * valid call of these runs only when the target cluster's every host is on LOOPBACK at a closed port, without a jump
 * spec, and its binaries come from a local folder; otherwise it is skipped (invalid calls always run: they must be
 * refused before any of that).
 */
const CONNECTING = new Set<MethodName>([
  'hosts.probe',
  'terminal.open',
  'hostKeys.acceptChanged',
  'deploy.plan',
  'deploy.diff',
  'deploy.start',
  'deploy.retryStep',
  'ops.plan',
  'ops.start',
  'ops.health',
]);
/** The only addresses a host may have when a connecting call runs (a port bound on neither, see closedLoopbackPort). */
const LOOPBACK = ['127.0.0.1', '127.0.0.2'];
/** Runs in the background after answering; the next call waits until the cluster has no run going. */
const STARTS_RUN = new Set<MethodName>(['deploy.start', 'deploy.retryStep', 'ops.start']);

interface Failure {
  method: string;
  /** The mutation applied, or 'corpus' for a hand-picked input. */
  mutation: string;
  problem: string;
  input: string;
}

function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(input, (_k, v: unknown) =>
      typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v,
    );
    return text === undefined ? String(input) : text.slice(0, 400);
  } catch {
    return '<deeply nested>';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
  ]);
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('contract fuzz through the dispatcher', () => {
  let root: string;
  let dataDir: string;
  let backend: Backend;
  let closedPort: number;
  let baseline: Cluster;
  let ctx: SampleContext;
  const logs: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-fuzz-'));
    dataDir = join(root, 'data');
    const offlineDir = join(root, 'offline');
    await mkdir(offlineDir);
    await mkdir(join(root, 'export'));
    closedPort = await closedLoopbackPort();
    backend = createBackend({ dataDir, mode: 'browser', version: '0.0.0-fuzz', log: (msg) => logs.push(msg) });
    const call = async (method: MethodName, input: unknown) => {
      const answer = await backend.dispatch(method, input);
      if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
      return answer.value;
    };
    await call('clusters.create', { name: 'fuzz' });
    await call('clusters.create', { name: 'other' });
    const hostIds: string[] = [];
    for (const [name, address, roles] of [
      ['h1', LOOPBACK[0], ['etcd', 'master', 'node']],
      ['h2', LOOPBACK[1], ['node']],
    ] as const) {
      const added = await call('hosts.upsert', { cluster: 'fuzz', host: { name, address, port: closedPort, roles } });
      hostIds.push((added as { hostId: string }).hostId);
    }
    baseline = (await call('clusterSettings.save', {
      cluster: 'fuzz',
      settings: { binarySource: { kind: 'offline', folder: offlineDir } },
    })) as Cluster;
    ctx = {
      byKey: {
        cluster: ['fuzz', 'fuzz', 'fuzz', 'other', 'absent'],
        name: ['fuzz', 'other', 'absent', 'h1'],
        // Names special on Object.prototype, as host ids and record keys: a lookup by id must not find them there.
        hostId: [...hostIds, 'absent', 'constructor', '__proto__', 'toString'],
        id: [...hostIds, 'apiserver', 'etcd/ca', 'admin', 'kubelet/h1', 'constructor', '__proto__'],
        hostIds,
        address: LOOPBACK,
        port: [closedPort],
        folder: [offlineDir],
        keyPath: [join(root, 'no-such-key')],
        path: [join(root, 'export', 'kubeconfig')],
        spec: [`root@127.0.0.1:${closedPort}`],
        prefix: [`http://127.0.0.1:${closedPort}/`],
        fingerprint: [`SHA256:${'A'.repeat(43)}`],
        backupId: ['fuzz-20261127-031500'],
        text: [`127.0.0.1:${closedPort}`, `root@127.0.0.1:${closedPort} master etcd`],
        hostsIni: [`[kube_master]\n127.0.0.1\n[etcd]\n127.0.0.1\n`],
      },
      patterned: ['fuzz', 'apiserver', 'etcd/ca', `SHA256:${'A'.repeat(43)}`, 'fuzz-20261127-031500', 't1'],
    };
  }, 120_000);

  afterAll(async () => {
    await backend?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Whether a valid call of this method may run: it touches nothing but 127.0.0.1's closed port and the temp folder. */
  async function safeToRun(method: MethodName, input: Record<string, unknown>): Promise<boolean> {
    if (method === 'deploy.exportKubeconfig') {
      const target = input.target as { kind: string; path?: string };
      return target.kind === 'file' && typeof target.path === 'string' && target.path.startsWith(join(root, 'export'));
    }
    // Any key type but ECDSA takes seconds of CPU per key on a busy machine; the code paths are the same.
    if (method === 'pki.generate') return input.keyType === 'ecdsa-p256';
    if (!CONNECTING.has(method)) return true;
    const name = input.cluster;
    if (typeof name !== 'string') return false;
    let cluster: Cluster;
    try {
      cluster = await backend.context.workspace.get(name);
    } catch {
      return true; // No such cluster (or a broken one): nothing to connect to.
    }
    return (
      cluster.settings.binarySource.kind === 'offline' &&
      cluster.hosts.every((h) => LOOPBACK.includes(h.address) && h.port === closedPort && h.jump?.kind !== 'spec')
    );
  }

  /** Invalid inputs always run (they must be refused before any work); valid ones when safeToRun says so. */
  async function isRunnable(method: MethodName, input: unknown): Promise<boolean> {
    const parsed = apiMethods[method].input.safeParse(input ?? {});
    return !parsed.success || safeToRun(method, parsed.data as Record<string, unknown>);
  }

  /** Calls a host whose id is special on Object.prototype must survive; run in the rounds that have such a host. */
  const corpus = (id: string): [MethodName, unknown][] => [
    ['hosts.setRoles', { cluster: 'fuzz', roles: {} }],
    ['hosts.setRoles', { cluster: 'fuzz', roles: { [id]: ['node'] } }],
    ['hosts.secrets', { cluster: 'fuzz' }],
    ['deploy.logs', { cluster: 'fuzz', hostId: id }],
    ['pki.list', { cluster: 'fuzz' }],
    ['hosts.upsert', { cluster: 'fuzz', host: { id, name: 'renamed', address: LOOPBACK[1], port: closedPort } }],
    ['hosts.remove', { cluster: 'fuzz', hostId: id }],
  ];

  async function waitForRunsToEnd(): Promise<boolean> {
    for (;;) {
      const names = await backend.context.workspace.list().catch(() => []);
      let running = false;
      for (const { name } of names) {
        const status = await backend.dispatch('deploy.status', { cluster: name });
        if (status.ok && (status.value as { running: boolean }).running) running = true;
      }
      if (!running) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it(`answers every call of every method with a typed result and changes nothing when it refuses (seed ${SEED})`, async () => {
    const rnd = seededRandom(SEED);
    const schemas = new Map(METHOD_NAMES.map((m) => [m, jsonSchemaOf(apiMethods[m].input)]));
    const failures: Failure[] = [];
    const seen = new Set<string>();
    const fail = (f: Failure) => {
      const key = `${f.method}|${f.problem.slice(0, 80)}`;
      if (!seen.has(key)) failures.push(f);
      seen.add(key);
    };
    const stats = { calls: 0, ok: 0, refused: 0, skipped: 0, rounds: 0 };
    const calledMethods = new Set<string>();
    const refusals = new Map<string, number>();
    const knownSeen = new Set<string>();
    const started = Date.now();

    /** One call, checked: an answer in time, of the right shape, typed when refused, and no change on disk then. */
    const exercise = async (method: MethodName, input: unknown, mutation: string): Promise<void> => {
      const before = await snapshotDir(dataDir);
      const answer = await withTimeout(
        backend.dispatch(method, input).catch((err: unknown) => ({ thrown: err })),
        CALL_TIMEOUT_MS,
      );
      stats.calls++;
      calledMethods.add(method);
      const report = (problem: string) => fail({ method, mutation, problem, input: describeInput(input) });
      if (answer === 'timeout') {
        report(`no answer within ${CALL_TIMEOUT_MS} ms`);
        return;
      }
      if ('thrown' in answer) {
        report(`the dispatcher threw: ${String(answer.thrown)}`);
        return;
      }
      const shape = AnswerSchema.safeParse(answer);
      if (!shape.success) {
        report(`answer has the wrong shape: ${shape.error.message.slice(0, 200)}`);
        return;
      }
      try {
        JSON.stringify(answer);
      } catch (err) {
        report(`answer cannot cross the wire: ${String(err)}`);
      }
      if (answer.ok) {
        stats.ok++;
        if (STARTS_RUN.has(method)) await waitForRunsToEnd();
        return;
      }
      stats.refused++;
      const { name, message } = answer.error;
      refusals.set(name, (refusals.get(name) ?? 0) + 1);
      const known = KNOWN_OPEN.find((k) => k.name === name && k.message.test(message));
      if (known) {
        knownSeen.add(`${method}: ${name}: ${message} (${known.why})`);
        return;
      }
      if (UNTYPED_NAMES.has(name) || !/^[A-Z][A-Za-z0-9]*$/.test(name)) report(`untyped error ${name}: ${message.slice(0, 200)}`);
      if (/\n\s+at .+:\d+/.test(message)) report(`a stack trace in the message of ${name}`);
      const changes = snapshotChanges(before, await snapshotDir(dataDir));
      if (changes.length) report(`refused with ${name} but changed the disk: ${changes.slice(0, 5).join(', ')}`);
    };

    for (let round = 0; round < ROUNDS && (round === 0 || Date.now() - started < BUDGET_MS); round++) {
      stats.rounds++;
      // Each round starts from the same cluster, so one round's saves cannot make the next one's calls unsafe. Every
      // third round its second host has an id special on Object.prototype (issue 13, case 7), when the save takes it.
      const special = ['constructor', '__proto__', 'toString'][Math.floor(round / 3) % 3]!;
      const hosts = baseline.hosts.map((h, i) => (i === 1 && round % 3 === 1 ? { ...h, id: special } : h));
      const saved = await backend.dispatch('clusters.save', { cluster: { ...baseline, hosts } });
      // The model may refuse such ids (a validation gate); the round then starts from the plain baseline.
      if (!saved.ok) await backend.dispatch('clusters.save', { cluster: baseline });
      if (round % 3 === 1) {
        for (const [method, input] of corpus(special)) {
          if (await isRunnable(method, input)) await exercise(method, input, 'corpus');
        }
      }
      for (const method of METHOD_NAMES) {
        // A valid input that is unsafe to run is drawn again (a few times), so every method gets called.
        let mutation: Mutation = 'none';
        let input: unknown;
        let runnable = false;
        for (let attempt = 0; attempt < 5 && !runnable; attempt++) {
          mutation = rnd() < 0.25 ? 'none' : pick(rnd, MUTATIONS);
          input = mutate(sample(schemas.get(method)!, rnd, ctx), mutation, rnd);
          runnable = await isRunnable(method, input);
          if (!runnable) stats.skipped++;
        }
        if (!runnable) continue;
        await exercise(method, input, mutation);
      }
    }

    const summary =
      `seed ${SEED} (replay: KS_FUZZ_SEED=${SEED}): ${stats.rounds} rounds, ${stats.calls} calls, ${stats.ok} ok, ` +
      `${stats.refused} refused, ${stats.skipped} valid calls skipped as unsafe, ${Date.now() - started} ms; ` +
      `refusals: ${[...refusals].map(([n, c]) => `${n} ${c}`).join(', ')}`;
    console.log(`contract fuzz: ${summary}`);
    if (knownSeen.size) console.warn(`contract fuzz: known open failures seen:\n${[...knownSeen].join('\n')}`);
    expect(failures, `${summary}\n${JSON.stringify(failures, null, 2)}`).toEqual([]);
    // Every method was called at least once (the first round always runs to its end).
    expect(
      METHOD_NAMES.filter((m) => !calledMethods.has(m)),
      summary,
    ).toEqual([]);
  }, 900_000);
});
