import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeHostKey,
  cutLink,
  fillDisk,
  freeDisk,
  hostPublicKey,
  killSshd,
  restoreLink,
  restoreSshd,
  startHost,
  stopHost,
} from './faults';
import { labDown, labStatus, labUp, type LabHost } from './lab';
import { labSkipReason, sshAs, suiteName, tcpOpen } from './support';

describe.skipIf(labSkipReason !== undefined)(suiteName('lab faults'), () => {
  let hosts: LabHost[] = [];
  let host: LabHost;

  beforeAll(async () => {
    hosts = await labUp(3);
    host = hosts[1] as LabHost;
  });
  afterAll(() => labDown());

  it('cuts and restores a host link', async () => {
    await cutLink(host);
    expect(await tcpOpen(host.address, 22)).toBe(false);
    expect(await tcpOpen((hosts[0] as LabHost).address, 22)).toBe(true);
    await restoreLink(host);
    expect(await tcpOpen(host.address, 22, 10_000)).toBe(true);
  });

  it('kills and restores sshd', async () => {
    await killSshd(host);
    expect(await tcpOpen(host.address, 22)).toBe(false);
    await restoreSshd(host);
    expect((await sshAs(host, host.users.root, 'true')).code).toBe(0);
  });

  it('fills a disk path and frees it', async () => {
    await fillDisk(host, '/var/lib/full');
    const full = await sshAs(host, host.users.root, 'echo x > /var/lib/full/more');
    expect(full.code).not.toBe(0);
    expect(full.stderr).toMatch(/No space left on device/);
    await freeDisk(host, '/var/lib/full');
    expect((await sshAs(host, host.users.root, 'echo x > /var/lib/full/more')).code).toBe(0);
  });

  it('changes the host key', async () => {
    const before = await hostPublicKey(host);
    await changeHostKey(host);
    const after = await hostPublicKey(host);
    expect(after).not.toBe(before);
    const seen = await sshAs(host, host.users.root, 'cat /etc/ssh/ssh_host_ed25519_key.pub');
    expect(seen.stdout).toContain(after.split(' ')[1]);
  });

  it('stops a host and starts the same machine again', async () => {
    const key = await hostPublicKey(host);
    await stopHost(host);
    expect((await labStatus()).find((s) => s.name === host.name)).toMatchObject({ running: false, sshReachable: false });
    expect(await tcpOpen(host.address, 22)).toBe(false);
    await startHost(host);
    expect((await labStatus()).find((s) => s.name === host.name)).toMatchObject({ running: true, sshReachable: true });
    expect(await hostPublicKey(host)).toBe(key);
  });
});
