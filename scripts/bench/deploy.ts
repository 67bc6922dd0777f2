// The deploy's curve: wall time (preflight → nodes, kube-* stand-ins) and this process's peak memory for 3, 6, 12
// and 24 lab hosts, each as a ratio to the 3-host run of this same process (near 1 is good: hosts run in parallel
// and the app does not grow with them). Then an unchanged re-run of the 6-host cluster, as a share of its first run,
// with the bytes it uploaded and the steps it changed (both should be 0): once on the connections the first run
// opened, as in the app (its cluster pool outlives a run), and once connecting anew. KS_BENCH_SIZES=3,6 limits the sizes.
// Beside each time: the CPU this process used and the CPU the lab hosts used. The hosts share this machine's cores,
// so past a dozen hosts their CPU time, not the app, bounds the wall time: each ratio is followed by its CPU floor, the
// time that CPU fills on this machine's cores even if they never idled, against the same 3-host run.
// Needs the lab (root, systemd-nspawn); says why not.
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { formatRunTimings } from '../../src-main/deploy/timings/format-text';
import { labUp } from '../../test/lab/lab';
import { labUnsupportedReason } from '../../test/lab/preflight';
import { labHostsCpuUsec } from '../../test/lab/cgroups';
import { prepareLabDeploy } from '../../test/deploy/lab-cluster';
import { resetDeployedHosts } from '../../test/deploy/lab-reset';

const RERUN_SIZE = 6;

/** Where each run's time went (src-main/deploy/timings), printed after the totals. */
const breakdowns: string[] = [];

interface Measured {
  ms: number;
  run: DeployRun;
  /** Peak resident set and heap of this process while the deploy ran, sampled. */
  rssBytes: number;
  heapBytes: number;
  /** CPU time of this process (user + system) while the deploy ran: SSH, hashing, rendering, the engine. */
  cpuMs: number;
  /** CPU time the lab hosts used while it ran, in all and on the busiest host (they share this machine's cores). */
  hostsCpuMs: number;
  busiestHostCpuMs: number;
}

interface SizeResult {
  hosts: number;
  first: Measured;
  /** The unchanged re-run on the first run's connections (the app's case), then on new ones. */
  again?: Measured;
  againCold?: Measured;
}

/** Samples this process's memory while `work` runs; the peak includes the deploy's SSH buffers and run state. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; rssBytes: number; heapBytes: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  let rssBytes = process.memoryUsage.rss();
  let heapBytes = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rssBytes = Math.max(rssBytes, m.rss);
    heapBytes = Math.max(heapBytes, m.heapUsed);
  }, 100);
  try {
    const value = await work();
    const cpu = process.cpuUsage(cpu0);
    return { value, rssBytes, heapBytes, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

async function deployTo(count: number, rerun: boolean): Promise<SizeResult> {
  const hosts = await labUp(count);
  await resetDeployedHosts(hosts);
  const lab = await prepareLabDeploy(hosts, { keepConnections: true });
  try {
    const go = async (label: string): Promise<Measured> => {
      global.gc?.();
      const hostsBefore = labHostsCpuUsec();
      const t0 = performance.now();
      const {
        value: run,
        rssBytes,
        heapBytes,
        cpuMs,
      } = await sampled(async () => (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'nodes', waive: ['cgroup2'] })).done);
      const ms = performance.now() - t0;
      const used = [...labHostsCpuUsec()].map(([name, usec]) => (usec - (hostsBefore.get(name) ?? usec)) / 1000);
      const hostsCpuMs = used.reduce((a, b) => a + b, 0);
      const busiestHostCpuMs = Math.max(0, ...used);
      if (run.state !== 'succeeded')
        throw new Error(`deploy to ${count} hosts ${run.state}: ${JSON.stringify(run.hosts.map((h) => h.cause?.message ?? h.blockedBy))}`);
      const timings = await lab.service.timings('lab');
      if (timings) breakdowns.push(`${count} hosts, ${label}\n${formatRunTimings(timings)}`);
      return { ms, run, rssBytes, heapBytes, cpuMs, hostsCpuMs, busiestHostCpuMs };
    };
    const first = await go('first run');
    if (!rerun) return { hosts: count, first };
    const again = await go('unchanged re-run');
    await lab.closeConnections();
    return { hosts: count, first, again, againCold: await go('unchanged re-run, new connections') };
  } finally {
    await lab.closeConnections();
    rmSync(lab.dataDir, { recursive: true, force: true });
  }
}

function sizes(): number[] {
  const asked = process.env['KS_BENCH_SIZES'];
  const list = (asked ? asked.split(',') : ['3', '6', '12', '24']).map((s) => Number(s.trim()));
  const bad = list.filter((n) => !Number.isInteger(n) || n < 3 || n > 50);
  if (bad.length > 0) throw new Error(`KS_BENCH_SIZES: each size must be a whole number of hosts from 3 to 50, got ${asked}`);
  // The 3-host run is every ratio's reference.
  return [...new Set([3, ...list])].sort((a, b) => a - b);
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** The wall time a run's CPU (here and on the hosts) needs at least on this machine's cores. */
const cpuFloorMs = (m: Measured) => (m.cpuMs + m.hostsCpuMs) / availableParallelism();
const ratioLine = (n: number, m: Measured, ref: Measured) =>
  `deploy: 3 hosts ${s(ref.ms)}, ${n} hosts ${s(m.ms)}, ratio ${n}/3 ${(m.ms / ref.ms).toFixed(2)}; ` +
  `its CPU alone fills ${availableParallelism()} cores for ${s(cpuFloorMs(m))}, ${(cpuFloorMs(m) / ref.ms).toFixed(2)}× the 3-host run`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function report(results: SizeResult[]): void {
  const ref = results[0] as SizeResult;
  console.log('deploy curve (preflight → nodes; ratios against the 3-host run of this process):');
  for (const r of results) {
    const { first } = r;
    console.log(
      `  ${String(r.hosts).padStart(2)} hosts  ${s(first.ms).padStart(7)}  ${(first.ms / ref.first.ms).toFixed(2)}×   ` +
        `peak RSS ${mib(first.rssBytes).padStart(8)} ${(first.rssBytes / ref.first.rssBytes).toFixed(2)}×   ` +
        `peak heap ${mib(first.heapBytes).padStart(7)} ${(first.heapBytes / ref.first.heapBytes).toFixed(2)}×   ` +
        `CPU here ${s(first.cpuMs).padStart(7)}, on hosts ${s(first.hostsCpuMs).padStart(7)} (busiest ${s(first.busiestHostCpuMs)}), ` +
        `cores busy ${((cpuFloorMs(first) / first.ms) * 100).toFixed(0).padStart(3)}%   ` +
        `${first.run.bytesUploaded} bytes uploaded`,
    );
  }
  const six = results.find((r) => r.hosts === 6);
  if (six) console.log(ratioLine(6, six.first, ref.first));
  const big = results.find((r) => r.hosts === 24);
  if (big) console.log(ratioLine(24, big.first, ref.first));
  const again = results.find((r) => r.again);
  if (again?.again)
    console.log(
      `deploy: unchanged re-run of ${again.hosts} hosts ${s(again.again.ms)} = ${((again.again.ms / again.first.ms) * 100).toFixed(0)}% of the first run, ${again.again.run.bytesUploaded} bytes uploaded, ${again.again.run.counts.changed} changes`,
    );
  if (again?.againCold)
    console.log(
      `deploy: the same re-run connecting anew ${s(again.againCold.ms)} = ${((again.againCold.ms / again.first.ms) * 100).toFixed(0)}% of the first run, ${again.againCold.run.bytesUploaded} bytes uploaded, ${again.againCold.run.counts.changed} changes`,
    );
  console.log(`process maxRSS over the whole bench: ${mib(process.resourceUsage().maxRSS * 1024)}`);
  for (const b of breakdowns) console.log(`\n${b}`);
}

async function main(): Promise<void> {
  const reason = labUnsupportedReason();
  if (reason) {
    console.log(`deploy bench skipped: ${reason}`);
    return;
  }
  const list = sizes();
  const rerunSize = list.includes(RERUN_SIZE) ? RERUN_SIZE : list[list.length - 1];
  const results: SizeResult[] = [];
  const failed: string[] = [];
  for (const n of list) {
    try {
      const r = await deployTo(n, n === rerunSize);
      console.log(`[bench] ${n} hosts: ${s(r.first.ms)}${r.again ? `, re-run ${s(r.again.ms)}` : ''}`);
      results.push(r);
    } catch (e) {
      // The sizes that ran still make a curve; this one says why it is missing.
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      failed.push(`${n} hosts: ${why}`);
      console.log(`[bench] ${n} hosts could not run: ${why}`);
    }
  }
  if (results[0]?.hosts === 3) report(results);
  for (const f of failed) console.log(`deploy: not measured: ${f}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
