import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './exec';
import { labDown, labLeftovers, labStatus, labUp, type LabHost } from './lab';
import { labSkipReason, sshAs, sshPassword, suiteName } from './support';

describe.skipIf(labSkipReason !== undefined)(suiteName('lab hosts'), () => {
  let hosts: LabHost[] = [];

  beforeAll(async () => {
    hosts = await labUp(3);
  });
  afterAll(() => labDown());

  it('boots three hosts at their own addresses', async () => {
    expect(hosts.map((h) => [h.name, h.address])).toEqual([
      ['node1', '10.231.0.11'],
      ['node2', '10.231.0.12'],
      ['node3', '10.231.0.13'],
    ]);
    expect(await labStatus()).toEqual(hosts.map((h) => ({ name: h.name, address: h.address, running: true, sshReachable: true })));
  });

  it('answers ssh with the lab key, with systemd running or degraded', async () => {
    for (const host of hosts) {
      const res = await sshAs(host, host.users.root, 'hostname; systemctl is-system-running');
      const [name, state] = res.stdout.trim().split('\n');
      expect(name).toBe(host.name);
      expect(['running', 'degraded']).toContain(state);
    }
  });

  it('gives every host its own machine id and SSH host key', async () => {
    const ids = await Promise.all(
      hosts.map(async (h) => (await sshAs(h, h.users.root, 'cat /etc/machine-id /etc/ssh/ssh_host_ed25519_key.pub')).stdout),
    );
    expect(new Set(ids).size).toBe(hosts.length);
  });

  it('loads kernel modules and reaches the other hosts by name', async () => {
    const [host] = hosts as [LabHost];
    const res = await sshAs(
      host,
      host.users.root,
      'modprobe br_netfilter && modprobe overlay && modprobe nf_conntrack && getent hosts node3',
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('10.231.0.13');
  });

  it('has the users the app must support', async () => {
    const [host] = hosts as [LabHost];
    const { deployer, sudoer, pwuser } = host.users;
    expect((await sshAs(host, deployer, 'sudo -n id -u')).stdout.trim()).toBe('0');
    expect((await sshAs(host, sudoer, 'sudo -n true')).code).not.toBe(0);
    expect((await sshAs(host, sudoer, `echo '${sudoer.password}' | sudo -S -p '' id -u`)).stdout.trim()).toBe('0');
    expect(await sshPassword(host, pwuser, 'whoami')).toEqual({ code: 0, stdout: 'pwuser\n' });
    expect((await sshAs(host, pwuser, 'true')).code).toBe(255);
  });

  it('reuses running hosts when asked for the same count', async () => {
    // /run is each host's own tmpfs: a host booted again would not have the marker.
    const marker = `/run/ks-reuse-${process.pid}`;
    for (const h of hosts) expect((await sshAs(h, h.users.root, `touch ${marker}`)).code).toBe(0);
    const again = await labUp(3);
    expect(again).toEqual(hosts);
    for (const h of again) expect((await sshAs(h, h.users.root, `test -e ${marker}`)).code, h.name).toBe(0);
  });

  it('leaves no process, mount, cgroup, veth or namespace behind after down', async () => {
    await labDown();
    expect(await labLeftovers()).toEqual({ processes: [], mounts: [], cgroups: [], rootVeth: false, netns: false });
    // Independent of the lab's own bookkeeping:
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toMatch(/kubesmith-lab|lab-node/);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain('kslab');
    expect((await run('ip', ['-o', 'link'])).stdout).not.toContain('kslab');
    expect((await run('ps', ['-eo', 'args'])).stdout).not.toMatch(/systemd-nspawn.*kubesmith-lab/);
    expect(await labStatus()).toEqual([]);
    await labDown();
  });
});
