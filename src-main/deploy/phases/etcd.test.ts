import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { execStartOf } from '../render/systemd-unit';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { localShell } from '../../../test/support/deploy/local-shell';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = () => buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries: fakeBinaries(), templates });
const unitAction = (): FileAction => {
  const step = planSteps(plan()).find((s) => s.id === 'etcd/h2/unit');
  if (!step || step.action.kind !== 'file') throw new Error('no etcd unit');
  return step.action;
};
/** The unit the engine writes on a host whose `etcd --version` prints `versionOutput`. */
const unitOn = async (versionOutput: string): Promise<string> => {
  const action = unitAction();
  const host = new FakeHost('node2', (command) => (command === action.chooseBy ? { stdout: versionOutput } : undefined));
  const chosen = await chooseVariant(host, action);
  return execStartOf(chosen.text ?? '');
};

describe('etcd unit, against kubeadm', () => {
  it('every variant serves metrics and /health on 127.0.0.1:2381 over plain HTTP', () => {
    for (const v of unitAction().variants!) expect(v.text, v.label).toContain('--listen-metrics-urls=http://127.0.0.1:2381');
  });

  it("etcd 3.6 and 3.7 get kubeadm's feature gate and the plain watch-progress flag", async () => {
    for (const out of ['etcd Version: 3.6.5\nGit SHA: 1234\nGo Version: go1.24.6', 'etcd Version: 3.7.1\nGit SHA: abcd']) {
      const line = await unitOn(out);
      expect(line).toContain('--feature-gates=InitialCorruptCheck=true');
      expect(line).toContain('--watch-progress-notify-interval=5s');
      expect(line).not.toContain('--experimental-');
    }
  });

  it("etcd 3.4 (Debian bookworm's 3.4.23) and 3.5 get the experimental spellings they know, never --feature-gates", async () => {
    for (const out of [
      'etcd Version: 3.4.23\nGit SHA: Not provided (use ./build instead of go build)',
      'etcd Version: 3.5.21\nGit SHA: x',
    ]) {
      const line = await unitOn(out);
      expect(line).toContain('--experimental-initial-corrupt-check=true');
      expect(line).toContain('--experimental-watch-progress-notify-interval=5s');
      expect(line).not.toContain('--feature-gates');
      expect(line).not.toMatch(/(^|\s)--watch-progress-notify-interval/);
    }
  });

  it('refuses an etcd older than 3.4 rather than writing flags it does not know', async () => {
    await expect(unitOn('etcd Version: 3.3.27')).rejects.toMatchObject({ name: 'NoMatchingVariant' });
  });

  it('checks the member on its metrics port without a client certificate', () => {
    const step = planSteps(plan()).find((s) => s.id === 'etcd/h2/metrics-health');
    if (!step || step.action.kind !== 'command') throw new Error('no metrics health step');
    expect(step.action.run).toBe('curl -sS --fail --max-time 5 http://127.0.0.1:2381/health');
    expect(step.action.run).not.toMatch(/--cert|--key/);
  });
});

describe('etcd bootstrap guard (run in sh, members on loopback addresses, etcdctl a recording stub)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-etcd-guard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** node2's bootstrap command, with etcdctl and the bootstrap file pointed into the temp folder. */
  const bootstrapOf = async (memberList: string) => {
    const cluster = labCluster(3);
    cluster.hosts.forEach((h, i) => (h.address = `127.0.0.${i + 52}`));
    const step = planSteps(buildPlan({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates })).find(
      (s) => s.id === 'etcd/h2/bootstrap',
    );
    if (!step || step.action.kind !== 'command') throw new Error('no bootstrap step');
    const stub = join(dir, 'etcdctl');
    await writeFile(stub, `#!/bin/sh\necho called >> ${join(dir, 'calls')}\nprintf '%s\\n' '${memberList}'\n`);
    await chmod(stub, 0o755);
    return step.action.run
      .replaceAll('/usr/local/bin/etcdctl', stub)
      .replaceAll('/etc/kubernetes/etcd-bootstrap.env', join(dir, 'bootstrap.env'));
  };
  const calls = async () => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

  it('on a new cluster (no other member listening) writes the settings at once, without asking etcdctl', async () => {
    const r = await localShell.exec((await bootstrapOf('')) as ShellCommand);
    expect(r.code).toBe(0);
    expect(await calls()).toBe(0);
    expect(await readFile(join(dir, 'bootstrap.env'), 'utf8')).toContain('ETCD_INITIAL_CLUSTER_STATE=new');
  });

  it('when a member listens, asks it, and refuses a host the running cluster does not list', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(2379, '127.0.0.54', resolve);
    });
    try {
      const run = await bootstrapOf('1234, started, node1, https://127.0.0.52:2380, https://127.0.0.52:2379, false');
      const r = await localShell.exec(run as ShellCommand);
      expect(await calls()).toBe(1);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('node2 is not a member of the etcd cluster already running on node1, node3');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
