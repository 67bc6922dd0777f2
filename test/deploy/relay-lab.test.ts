import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSteps, type Plan } from '../../src-shared/model/plan';
import {
  RELAY_DIR,
  RELAY_FILES,
  RELAY_UNIT,
  relayNginxConf,
  startRelayCommand,
  stopRelayCommand,
} from '../../src-main/deploy/relay/relay-commands';
import { fillDisk, freeDisk } from '../lab/faults';
import { labDown, labUp, type LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { countingTransports, newLinkCount, type LinkCount, type TransportHooks } from './counting-transports';
import { prepareLabDeploy, type LabDeploy } from './lab-cluster';
import { resetDeployedHosts } from './lab-reset';
import { expectDiskFullOnly } from './disk-full';

const WAIVE = ['cgroup2'] as const;

/** The artifacts of the plan (files from this computer): local path → size, and per host path → SHA-256. */
function artifacts(plan: Plan): { sizes: Map<string, number>; byHost: Map<string, Map<string, string>> } {
  const sizes = new Map<string, number>();
  const byHost = new Map<string, Map<string, string>>();
  for (const s of planSteps(plan)) {
    if (s.action.kind !== 'file' || !s.action.localPath) continue;
    sizes.set(s.action.localPath, s.action.size);
    const files = byHost.get(s.hostId) ?? new Map<string, string>();
    files.set(s.action.path, s.action.sha256);
    byHost.set(s.hostId, files);
  }
  return { sizes, byHost };
}

/** The SHA-256 of each path on the host ('-' where missing). */
async function remoteSums(host: LabHost, paths: string[]): Promise<Map<string, string>> {
  const script = paths.map((p) => `if [ -f '${p}' ]; then sha256sum '${p}' | cut -c1-64; else echo -; fi`).join('; ');
  const r = await labSsh(host.address, script);
  const sums = r.stdout.trim().split('\n');
  return new Map(paths.map((p, i) => [p, sums[i] ?? '?']));
}

/** Nothing of the relay is left on the host: no unit, no listener of nginx besides kube-lb's, no folder or records. */
async function expectNoRelay(host: LabHost): Promise<void> {
  const r = await labSsh(
    host.address,
    `systemctl is-active ${RELAY_UNIT}; ss -Hltnp | grep -c 'nginx' ; ls -A ${RELAY_DIR} 2>&1 | head -1; ls /var/lib/kubesmith/sums 2>/dev/null | grep -c relay`,
  );
  const [active, nginxListeners, dir, records] = r.stdout.trim().split('\n');
  expect(active).not.toBe('active');
  expect(nginxListeners).toBe('0');
  expect(dir).toMatch(/No such file/);
  expect(records).toBe('0');
}

describe.skipIf(labSkipReason)(suiteName('artifacts over the LAN: a relay host, SHA-256 checked, direct upload as fallback'), () => {
  let hosts: LabHost[];
  const dirs: string[] = [];
  const deploy = async (count: LinkCount, hooks: TransportHooks = {}): Promise<LabDeploy> => {
    await resetDeployedHosts(hosts);
    const lab = await prepareLabDeploy(hosts, { wrap: (p) => countingTransports(p, count, hooks) });
    dirs.push(lab.dataDir);
    return lab;
  };
  /** Every host has exactly the plan's artifacts. */
  const expectInstalled = async (plan: Plan, except: string[] = []): Promise<void> => {
    const { byHost } = artifacts(plan);
    for (const host of hosts) {
      if (except.includes(host.name)) continue;
      const want = byHost.get(`id-${host.name}`)!;
      const have = await remoteSums(host, [...want.keys()]);
      expect(Object.fromEntries(have), host.name).toEqual(Object.fromEntries(want));
    }
  };

  beforeAll(async () => {
    hosts = await labUp(3);
  });
  afterAll(async () => {
    await resetDeployedHosts(hosts).catch(() => undefined);
    await labDown();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a port another program listens on is refused before nginx starts (its listener must not pass for the relay); the next port serves', async () => {
    const [relay, fetcher] = [hosts[0]!, hosts[1]!];
    const taken = 23_456;
    const free = 23_457;
    const start = (port: number) =>
      labSsh(relay.address, startRelayCommand(port).command, {
        input: relayNginxConf({ address: relay.address, port, allow: [fetcher.address], secret: randomBytes(32).toString('hex') }),
      });
    // Listening on every address, as a service of the host would.
    await labSsh(relay.address, `systemd-run --quiet --collect --unit=ks-squatter systemd-socket-activate -l ${taken} cat`);
    try {
      const refused = await start(taken);
      expect(refused.code, refused.stderr).toBe(12);
      expect(refused.stderr).toContain(`port ${taken} is in use on this host`);
      expect((await labSsh(relay.address, `systemctl is-active ${RELAY_UNIT}`)).stdout.trim()).not.toBe('active');

      const served = await start(free);
      expect(served.code, served.stderr).toBe(0);
      const owner = await labSsh(relay.address, `ss -Hltnp 'sport = :${free}'; systemctl show -p MainPID --value ${RELAY_UNIT}`);
      const [listener, mainPid] = owner.stdout.trim().split('\n');
      expect(listener).toContain(`${relay.address}:${free}`);
      expect(listener).toContain(`pid=${mainPid},`);
    } finally {
      await labSsh(relay.address, `systemctl stop ks-squatter; ${stopRelayCommand().command}`);
    }
    await expectNoRelay(relay);
  });

  it('each artifact crosses this computer link once; the other hosts fetch it from the relay, verified; nothing stays listening', async () => {
    const count = newLinkCount();
    const lab = await deploy(count);
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    expect(plan.transfer?.relay?.hostName).toBe('node1');
    expect(plan.transfer?.routes.map((r) => `${r.hostName}:${r.via}`)).toEqual(['node1:direct', 'node2:relay', 'node3:relay']);
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
    expect(run.state, JSON.stringify(run.hosts.map((h) => h.cause))).toBe('succeeded');
    const { sizes } = artifacts(plan);
    console.log(
      lab.logs
        .filter((l) => /relay/.test(l))
        .slice(0, 30)
        .join('\n'),
    );
    // Each artifact's bytes went over the link exactly once (old code: once per host that needs it).
    for (const [localPath, size] of sizes) expect(count.byLocalPath.get(localPath) ?? 0, localPath).toBe(size);
    await expectInstalled(plan);
    expect(
      lab.logs.filter((l) => l.startsWith('id-node3:') && l.includes('over the LAN from node1, SHA-256 verified')).length,
    ).toBeGreaterThan(0);
    expect(lab.logs.some((l) => l.includes('relay: stopped, its files removed'))).toBe(true);
    for (const h of hosts) await expectNoRelay(h);
  });

  it('the relay stopping during the run: the hosts fall back to direct upload, and every installed file is whole', async () => {
    const count = newLinkCount();
    let stopped = false;
    const lab = await deploy(count, {
      beforeExec: async (host, command) => {
        // At the first fetch from the relay, the relay host's nginx is killed.
        if (!stopped && host.name !== 'node1' && command.includes('curl -fsS')) {
          stopped = true;
          await labSsh(hosts[0]!.address, `systemctl kill -s KILL ${RELAY_UNIT}`);
        }
      },
    });
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
    expect(stopped).toBe(true);
    expect(run.state, JSON.stringify(run.hosts.map((h) => h.cause))).toBe('succeeded');
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    await expectInstalled(plan);
    expect(lab.logs.some((l) => /the relay's copy was refused .*sending it directly/.test(l))).toBe(true);
    for (const h of hosts) await expectNoRelay(h);
  });

  it('other bytes from the relay are refused (SHA-256), the file is sent directly, and nothing damaged is installed', async () => {
    const count = newLinkCount();
    let damaged = '';
    const lab = await deploy(count, {
      afterUpload: async (host, remotePath) => {
        if (!damaged && remotePath.startsWith(`${RELAY_FILES}/`)) {
          damaged = remotePath;
          await labSsh(host.address, `printf x >> '${remotePath}'`);
        }
      },
    });
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
    expect(damaged).not.toBe('');
    expect(run.state, JSON.stringify(run.hosts.map((h) => h.cause))).toBe('succeeded');
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    await expectInstalled(plan);
    expect(lab.logs.some((l) => /refused \(.*SHA-256 differs.*\); sending it directly/.test(l))).toBe(true);
    for (const h of hosts) await expectNoRelay(h);
  });

  it('a full disk on a host fetching from the relay: DiskFull on that host, nothing half-written, the others finish', async () => {
    const count = newLinkCount();
    const victim = hosts[2]!;
    const lab = await deploy(count);
    await fillDisk(victim, '/usr/local/bin', 4);
    try {
      const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
      await expectDiskFullOnly(run, victim, '/usr/local/bin', /\/usr\/local\/bin\/.* is full/);
    } finally {
      await freeDisk(victim, '/usr/local/bin');
    }
    for (const h of hosts) await expectNoRelay(h);
  });
});
