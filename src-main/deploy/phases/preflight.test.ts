import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { labPlanSteps } from '../../../test/support/deploy/fixtures';
import { localShell } from '../../../test/support/deploy/local-shell';
import { traceShell } from '../../../test/support/trace-shell';
import { sh } from '../../ssh/shell';
import { osCheckCommand, portsCheckCommand } from './preflight';

/** /etc/os-release as each distribution ships it (the fields the check reads). */
const osRelease = (id: string, version: string, pretty: string) => `ID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${pretty}"\n`;

describe('preflight OS check (run in sh against an os-release file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-os-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (text: string) => {
    const file = join(dir, `os-${Math.random().toString(36).slice(2)}`);
    await writeFile(file, text);
    return localShell.exec(osCheckCommand(file).command);
  };

  it('accepts Ubuntu 26.04 LTS, as well as 22.04, 24.04 and Debian 12/13', async () => {
    for (const [id, v, pretty] of [
      ['ubuntu', '26.04', 'Ubuntu 26.04 LTS'],
      ['ubuntu', '24.04', 'Ubuntu 24.04.3 LTS'],
      ['ubuntu', '22.04', 'Ubuntu 22.04.5 LTS'],
      ['debian', '13', 'Debian GNU/Linux 13 (trixie)'],
      ['debian', '12', 'Debian GNU/Linux 12 (bookworm)'],
    ] as const) {
      const r = await run(osRelease(id, v, pretty));
      expect(`${pretty}: ${r.code} ${r.stdout.trim()}`).toBe(`${pretty}: 0 ${pretty}`);
    }
  });

  it('refuses releases it does not know, naming them and what it needs', async () => {
    for (const [id, v, pretty] of [
      ['ubuntu', '25.10', 'Ubuntu 25.10'],
      ['ubuntu', '20.04', 'Ubuntu 20.04.6 LTS'],
      ['fedora', '43', 'Fedora Linux 43'],
    ] as const) {
      const r = await run(osRelease(id, v, pretty));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${pretty} is not supported (need Ubuntu 22.04/24.04/26.04 or Debian 12/13)`);
    }
  });
});

describe('preflight ports check (run in sh against a listing)', () => {
  const listing = [
    'LISTEN 0 4096 127.0.0.1:6443 0.0.0.0:* users:(("nginx",pid=10,fd=6))',
    'LISTEN 0 4096 [::]:10250 [::]:* users:(("someoneelse",pid=11,fd=3))',
    'LISTEN 0 4096 *:22 *:* users:(("sshd",pid=1,fd=3))',
  ].join('\n');
  const check = (ports: Array<{ port: number; owners: string[] }>) =>
    localShell.exec(portsCheckCommand(ports, sh`printf '%s\\n' ${listing}`).command);

  it('lists the sockets once for every port, not once per port', () => {
    const ports = [6443, 10250, 10256, 2379].map((port) => ({ port, owners: ['kubelet'] }));
    const command = portsCheckCommand(ports).command;
    expect(command.match(/\bss -Hltnp\b/g)).toHaveLength(1);
  });

  it('passes ports that are free or held by their owners, and names a port held by anything else', async () => {
    const ok = await check([
      { port: 6443, owners: ['kube-apiserver', 'nginx'] },
      { port: 2379, owners: ['etcd'] },
      { port: 22, owners: ['sshd'] },
    ]);
    expect(ok.code).toBe(0);
    const bad = await check([
      { port: 6443, owners: ['kube-apiserver', 'nginx'] },
      { port: 10250, owners: ['kubelet'] },
      // 443 is not 6443: a port is matched whole.
      { port: 443, owners: ['nobody'] },
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('port 10250 is in use: LISTEN 0 4096 [::]:10250 [::]:* users:(("someoneelse",pid=11,fd=3))');
  });

  it('names a stranger on a port even where an owner listens on it too (another address)', async () => {
    const shared = [
      'LISTEN 0 4096 127.0.0.1:6443 0.0.0.0:* users:(("nginx",pid=10,fd=6))',
      'LISTEN 0 4096 0.0.0.0:6443 0.0.0.0:* users:(("stranger",pid=12,fd=3))',
    ].join('\n');
    const r = await localShell.exec(portsCheckCommand([{ port: 6443, owners: ['nginx'] }], sh`printf '%s\\n' ${shared}`).command);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('port 6443 is in use: LISTEN 0 4096 0.0.0.0:6443 0.0.0.0:* users:(("stranger",pid=12,fd=3))');
  });
});

// The preflight checks run on every run of every host: each starts only the programs that read what the shell
// cannot (nproc, df, id, ss), and says what the programs it used to start (awk, grep, cat, sort) said.
describe('preflight checks: what each starts on the host', () => {
  const steps = labPlanSteps();
  const run = (name: string) => {
    const step = steps.find((s) => s.id === `preflight/h1/${name}`);
    if (!step || step.action.kind !== 'command') throw new Error(`no check ${name}`);
    return traceShell('dash', step.action.run);
  };
  const said = (command: string) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' }).stdout;

  it('resources: nproc and df alone, with what awk read from /proc/meminfo and df -P', () => {
    const r = run('resources');
    expect(r.started).toEqual(['nproc', 'df']);
    const mem = said("awk '/MemTotal/{print int($2/1024)}' /proc/meminfo").trim();
    const free = said("df -P -B1G /var/lib | awk 'NR==2{print $4}'").trim();
    expect(r.stdout.trim()).toBe(`${said('nproc').trim()} CPU, ${mem} MiB, ${free} GiB free`);
  });

  it('identity: no program, and the same machine id and addresses as cat, grep and sort found', () => {
    const r = run('identity');
    expect(r.started).toEqual([]);
    expect(r.status).toBe(0);
    const before = said("cat /etc/machine-id; cat /sys/class/net/*/address | grep -v '^00:00:00:00:00:00$' | sort -u");
    const lines = (t: string) => [...new Set(t.split('\n').filter(Boolean))].sort();
    expect(lines(r.stdout)).toEqual(lines(before));
    expect(r.stdout.split('\n')[0]).toBe(readFileSync('/etc/machine-id', 'utf8').trim());
  });

  it('root: id alone', () => {
    const r = run('reach');
    expect(r.started).toEqual(['id']);
    expect(r.status).toBe(said('id -u').trim() === '0' ? 0 : 1);
  });

  it('ports: ss alone, however many ports it looks up', () => {
    const r = run('ports');
    expect(r.started).toEqual(['ss']);
  });
});
