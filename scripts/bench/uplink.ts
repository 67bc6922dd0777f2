// Issue #17's goal: with this computer's link to the lab shaped like a home uplink (tc tbf, 50 Mbit/s on the egress of
// the runner's veth into the lab bridge), a 6-host deploy up to `binaries` should cost about one host's bytes over that
// link and about one host's time. Measured: a 1-host deploy (the reference; a one-host cluster always uploads
// directly), a 6-host deploy with today's direct upload, and the same 6 hosts through the relay. Bytes are the
// kernel's count of what left the runner's veth (SSH framing included). Printed: 6/1 bytes (goal ≤ 1.2) and 6/1 time
// (goal ≤ 1.3) for both. Host-to-host traffic is bridged between the hosts' ports and never crosses the shaped veth:
// the bench prints the qdiscs and the bytes the relay host sent on its own port to show it. The shaping is always
// removed (finally, and on SIGINT/SIGTERM). KS_UPLINK_MBIT changes the rate. Needs the lab (root); says why not.
// Then the curve on the same shaped link: relayed deploys of 12 and 24 hosts (KS_UPLINK_CURVE, e.g. "12,24"; "" for
// none), each with its time, bytes over the link and this process's peak memory against the 1-host reference.
import { readFileSync, rmSync } from 'node:fs';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { formatRunTimings } from '../../src-main/deploy/timings/format-text';
import { hostLink, NETNS, ROOT_VETH } from '../../test/lab/config';
import { runOk } from '../../test/lab/exec';
import { labUp, type LabHost } from '../../test/lab/lab';
import { labUnsupportedReason } from '../../test/lab/preflight';
import { qdiscOf, shapeUplink, unshapeUplink } from '../../test/lab/shaping';
import { prepareLabDeploy } from '../../test/deploy/lab-cluster';
import { resetDeployedHosts } from '../../test/deploy/lab-reset';

const MBIT = Number(process.env['KS_UPLINK_MBIT'] ?? '50');
const CURVE = (process.env['KS_UPLINK_CURVE'] ?? '12,24')
  .split(',')
  .filter((n) => n.trim() !== '')
  .map(Number);

interface Measured {
  label: string;
  hosts: number;
  ms: number;
  /** What left this computer's veth into the lab during the deploy. */
  uplinkBytes: number;
  /** What the deploy counted as uploaded from this computer (file bytes, no SSH framing). */
  run: DeployRun;
  /** Bytes the relay host sent on its bridge port (its LAN traffic to the other hosts), when there is one. */
  relaySent?: number;
  /** Where the run's time went (src-main/deploy/timings), printed after the ratios. */
  breakdown?: string;
  /** This process's largest resident set seen during the deploy (sampled every 100 ms). */
  peakRss: number;
}

/** Samples this process's resident set until stopped; returns the largest seen. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const txBytes = (): number => Number(readFileSync(`/sys/class/net/${ROOT_VETH}/statistics/tx_bytes`, 'utf8').trim());

/** Bytes a lab host sent on its bridge port: the port's receive counter, read inside the lab's namespace. */
async function portRx(host: LabHost): Promise<number> {
  const out = (await runOk('ip', ['-n', NETNS, '-s', '-j', 'link', 'show', 'dev', hostLink(host.name)])).stdout;
  const [link] = JSON.parse(out) as Array<{ stats64?: { rx?: { bytes?: number } } }>;
  return link?.stats64?.rx?.bytes ?? 0;
}

async function deploy(label: string, hosts: LabHost[], transfer: 'direct' | 'relay'): Promise<Measured> {
  await resetDeployedHosts(hosts);
  const lab = await prepareLabDeploy(hosts, { transfer });
  try {
    // Built before the clock starts for every run alike (hashing the binary set is this computer's work, not the link's).
    const { plan } = await lab.service.plan('lab', ['cgroup2']);
    const relayHost = hosts.find((h) => `id-${h.name}` === plan.transfer?.relay?.hostId);
    const relayRx0 = relayHost ? await portRx(relayHost) : 0;
    const tx0 = txBytes();
    const stopSampling = rssSampler();
    const t0 = performance.now();
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: ['cgroup2'] })).done;
    const ms = performance.now() - t0;
    const peakRss = stopSampling();
    const uplinkBytes = txBytes() - tx0;
    if (run.state !== 'succeeded')
      throw new Error(`${label} ${run.state}: ${JSON.stringify(run.hosts.map((h) => h.cause?.message ?? h.blockedBy))}`);
    const relayed = lab.logs.some((l) => l.includes('relay: serving'));
    const m: Measured = { label, hosts: hosts.length, ms, uplinkBytes, run, peakRss };
    if (relayHost) m.relaySent = (await portRx(relayHost)) - relayRx0;
    const timings = await lab.service.timings('lab');
    if (timings) m.breakdown = formatRunTimings(timings);
    console.log(
      `[uplink] ${label}: ${(ms / 1000).toFixed(1)} s, ${mib(uplinkBytes)} over the uplink, ${mib(run.bytesUploaded)} counted by the run` +
        (relayHost ? `, relay on ${relayHost.name} ${relayed ? 'served' : 'never started'}` : ''),
    );
    return m;
  } finally {
    rmSync(lab.dataDir, { recursive: true, force: true });
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const reason = labUnsupportedReason();
  if (reason) {
    console.log(`uplink bench skipped: ${reason}`);
    return;
  }
  if (!(MBIT > 0)) throw new Error(`KS_UPLINK_MBIT must be a positive number of Mbit/s, got ${process.env['KS_UPLINK_MBIT']}`);
  const six = await labUp(6);
  // The shaping goes on after labUp, which rebuilds the network (and the veth) when the lab changes size.
  const stop = (signal: NodeJS.Signals): void => {
    void unshapeUplink().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const results: Measured[] = [];
  const curve: Measured[] = [];
  try {
    await shapeUplink(MBIT);
    console.log(`[uplink] ${ROOT_VETH}: ${(await qdiscOf(ROOT_VETH, false)).trim()}`);
    console.log(
      `[uplink] ${hostLink(six[0]!.name)} (a host's bridge port): ${(await qdiscOf(hostLink(six[0]!.name), true)).trim() || 'no qdisc'}`,
    );
    results.push(await deploy('6 hosts, direct upload', six, 'direct'));
    results.push(await deploy('6 hosts, relay', six, 'relay'));
    for (const n of CURVE) {
      await unshapeUplink();
      const hosts = await labUp(n);
      await shapeUplink(MBIT);
      curve.push(await deploy(`${n} hosts, relay`, hosts, 'relay'));
    }
    await unshapeUplink();
    const one = await labUp(1);
    await shapeUplink(MBIT);
    results.unshift(await deploy('1 host (reference)', one, 'direct'));
  } finally {
    await unshapeUplink();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const left = await qdiscOf(ROOT_VETH, false);
  console.log(`[uplink] shaping removed: ${/tbf/.test(left) ? 'NO, still there' : 'yes'}`);
  const [ref, direct, relay] = results as [Measured, Measured, Measured];
  console.log(`\nuplink bench (${MBIT} Mbit/s on this computer's link to the lab, deploy up to binaries):`);
  for (const m of results)
    console.log(
      `  ${m.label.padEnd(24)} ${`${(m.ms / 1000).toFixed(1)} s`.padStart(8)}  ${mib(m.uplinkBytes).padStart(11)} over the uplink` +
        (m.relaySent !== undefined ? `  (relay host sent ${mib(m.relaySent)} on the LAN)` : ''),
    );
  for (const m of [direct, relay]) {
    const bytes = m.uplinkBytes / ref.uplinkBytes;
    const time = m.ms / ref.ms;
    console.log(
      `uplink: ${m.label}: 6/1 bytes ${bytes.toFixed(2)} (goal ≤ 1.2${bytes <= 1.2 ? ', met' : ', not met'}), ` +
        `6/1 time ${time.toFixed(2)} (goal ≤ 1.3${time <= 1.3 ? ', met' : ', not met'})`,
    );
  }
  if (curve.length > 0) {
    console.log(`\nuplink curve (relayed, ${MBIT} Mbit/s, against the 1-host reference):`);
    for (const m of [ref, relay, ...curve])
      console.log(
        `  ${String(m.hosts).padStart(3)} hosts ${`${(m.ms / 1000).toFixed(1)} s`.padStart(8)} (${(m.ms / ref.ms).toFixed(2)}×)` +
          `  ${mib(m.uplinkBytes).padStart(11)} over the uplink (${(m.uplinkBytes / ref.uplinkBytes).toFixed(2)}×)` +
          `  peak RSS ${mib(m.peakRss).padStart(10)} (${(m.peakRss / ref.peakRss).toFixed(2)}×)`,
      );
  }
  for (const m of [...results, ...curve]) if (m.breakdown) console.log(`\n${m.label}\n${m.breakdown}`);
}

main().catch(async (err: unknown) => {
  await unshapeUplink().catch(() => undefined);
  console.error(err);
  process.exit(1);
});
