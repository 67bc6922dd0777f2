// Deploy wall time to 3 and to 6 lab hosts (preflight → nodes, kube-* stand-ins): the 6/3 ratio shows how
// well hosts run in parallel (near 1 is good). Then an unchanged re-run of the 6-host cluster, as a share of
// the first run, with the bytes it uploaded (should be 0). Needs the lab (root, systemd-nspawn); says why not.
import { rmSync } from 'node:fs';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { formatRunTimings } from '../../src-main/deploy/timings/format-text';
import { labUp } from '../../test/lab/lab';
import { labUnsupportedReason } from '../../test/lab/preflight';
import { prepareLabDeploy } from '../../test/deploy/lab-cluster';
import { resetDeployedHosts } from '../../test/deploy/lab-reset';

/** Where each run's time went (src-main/deploy/timings), printed after the totals. */
const breakdowns: string[] = [];

async function timedDeploy(count: number): Promise<{ firstMs: number; first: DeployRun; againMs: number; again: DeployRun }> {
  const hosts = await labUp(count);
  await resetDeployedHosts(hosts);
  const lab = await prepareLabDeploy(hosts);
  try {
    const go = async () => {
      const t0 = performance.now();
      const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'nodes', waive: ['cgroup2'] })).done;
      if (run.state !== 'succeeded')
        throw new Error(`deploy to ${count} hosts ${run.state}: ${JSON.stringify(run.hosts.map((h) => h.cause?.message ?? h.blockedBy))}`);
      const ms = performance.now() - t0;
      const timings = await lab.service.timings('lab');
      if (timings)
        breakdowns.push(`${count} hosts, ${breakdowns.length % 2 ? 'unchanged re-run' : 'first run'}\n${formatRunTimings(timings)}`);
      return { ms, run };
    };
    const first = await go();
    const again = await go();
    return { firstMs: first.ms, first: first.run, againMs: again.ms, again: again.run };
  } finally {
    rmSync(lab.dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const reason = labUnsupportedReason();
  if (reason) {
    console.log(`deploy bench skipped: ${reason}`);
    return;
  }
  const three = await timedDeploy(3);
  const six = await timedDeploy(6);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`deploy: 3 hosts ${s(three.firstMs)}, 6 hosts ${s(six.firstMs)}, ratio 6/3 ${(six.firstMs / three.firstMs).toFixed(2)}`);
  console.log(
    `deploy: unchanged re-run of 6 hosts ${s(six.againMs)} = ${((six.againMs / six.firstMs) * 100).toFixed(0)}% of the first run, ${six.again.bytesUploaded} bytes uploaded, ${six.again.counts.changed} changes`,
  );
  for (const b of breakdowns) console.log(`\n${b}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
