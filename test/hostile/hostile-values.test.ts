import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ClusterSchema } from '../../src-shared/model/cluster';
import { planContext } from '../../src-main/deploy/context';
import { newClusterBootstrap } from '../../src-main/deploy/phases/etcd';
import { buildPlan } from '../../src-main/deploy/plan-builder';
import { renderUnit } from '../../src-main/deploy/render/systemd-unit';
import { fileTemplates } from '../../src-main/deploy/templates';
import { fakeBinaries, fakePki, labCluster } from '../support/deploy/fixtures';
import { hostExec, hostRecord, hostShell } from '../lab/host-exec';
import { labUp, type LabHost } from '../lab/lab';
import { labSkipReason, suiteName } from '../lab/support';
import { hostileCluster, hostileCommands, hostileFiles, MARKER_PREFIX } from './hostile-plans';

const commands = hostileCommands();
const files = hostileFiles();
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const inputs = (cluster = hostileCluster()) => ({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates: fileTemplates() });

describe('every command of every plan, rendered with hostile values', () => {
  it('covers the deploy and every day-2 operation', () => {
    const operations = new Set(commands.map((c) => c.where.split(':')[0]));
    for (const op of [
      'deploy',
      'backup',
      'restore',
      'etcd-membership add',
      'etcd-membership remove',
      'remove-host master',
      'reset',
      'upgrade',
    ])
      expect(operations).toContain(op);
    expect(commands.length).toBeGreaterThan(300);
  });

  it.each(['dash', 'bash'])('parses with %s -n', (shell) => {
    const scripts = files.filter((f) => f.text.startsWith('#!/bin/sh'));
    expect(scripts.length).toBeGreaterThan(0);
    const all = [...commands, ...scripts.map((f) => ({ where: f.where, command: f.text }))];
    const parses = (text: string) => spawnSync(shell, ['-n', '-c', text]).status === 0;
    // All at once from a file (each command in a function of its own), and one by one only to name the culprits.
    const dir = mkdtempSync(join(tmpdir(), 'ks-hostile-sh-'));
    try {
      writeFileSync(join(dir, 'all.sh'), all.map((c, i) => `f${i}() {\n${c.command}\n}`).join('\n'));
      if (spawnSync(shell, ['-n', join(dir, 'all.sh')]).status === 0) return;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(all.filter((c) => !parses(c.command)).map((c) => c.where)).toEqual([]);
  });

  it.skipIf(!has('systemd-analyze'))('writes unit files systemd-analyze verify accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-hostile-units-'));
    try {
      const units = files.filter((f) => f.path.startsWith('/etc/systemd/system/') && f.path.endsWith('.service'));
      expect(units.length).toBeGreaterThan(5);
      const paths = units.map((u, i) => {
        const path = join(dir, `ks-hostile-${i}.service`);
        // The programs are not on this machine; the arguments' syntax is what is checked.
        writeFileSync(path, u.text.replace(/^(ExecStart(?:Pre)?=-?)\/\S+/gm, '$1/bin/true').replace(/^(Requires|After|Wants)=.*$/gm, ''));
        return path;
      });
      const r = spawnSync('systemd-analyze', ['verify', ...paths], { encoding: 'utf8' });
      expect(r.stderr.trim()).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes kubeconfigs through YAML: each names its user exactly as the host is called', () => {
    const cluster = hostileCluster();
    const kubelet = files.filter((f) => f.where.startsWith('deploy:') && f.path === '/etc/kubernetes/kubelet.conf');
    expect(kubelet.length).toBeGreaterThan(0);
    const users = kubelet.map((f) => (parse(f.text) as { users: Array<{ name: string }> }).users[0]!.name);
    for (const h of cluster.hosts.filter((x) => x.roles.includes('master') || x.roles.includes('node')))
      expect(users).toContain(`system:node:${h.name}`);
  });

  it('writes nginx upstreams as bare addresses, IPv6 in brackets', () => {
    const conf = files.find((f) => f.where.startsWith('deploy:') && f.path === '/etc/kube-lb/nginx.conf')!;
    expect(conf.text).toContain('server [fd00:231::12]:6443 max_fails');
    expect(conf.text).not.toMatch(/ks-injected/);
  });

  it('refuses, when the plan is built, an address or a setting that is not what the model allows', () => {
    const base = labCluster(3);
    const bad = [
      { ...base, hosts: base.hosts.map((h, i) => (i === 1 ? { ...h, address: '192.0.2.12;touch /tmp/x' } : h)) },
      { ...base, settings: { ...base.settings, clusterDomain: 'cluster.local;$(id)' } },
      { ...base, settings: { ...base.settings, registryMirrors: { 'quay.io': 'https://m.example/"x' } } },
      { ...base, settings: { ...base.settings, binarySource: { kind: 'mirror' as const, prefix: 'not a url' } } },
    ];
    for (const cluster of bad) expect(() => buildPlan(inputs(ClusterSchema.parse(cluster)))).toThrow(/not an IP address|not valid|quote/);
  });
});

/** A shell on the lab host as nobody, where every program but the shells, env and touch is a stub that exits 0. */
const STUB_SETUP = [
  'set -e',
  'rm -rf /var/tmp/ks-stubs /tmp/ks-injected-* /tmp/ks-hostile-files; mkdir -p /var/tmp/ks-stubs',
  'for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do for p in "$d"/*; do n=${p##*/}; [ -e /var/tmp/ks-stubs/"$n" ] || ln -s /bin/true /var/tmp/ks-stubs/"$n"; done; done',
  'for real in sh dash bash env touch; do ln -sf "$(command -v $real)" /var/tmp/ks-stubs/$real; done',
].join('\n');

describe.skipIf(labSkipReason !== undefined)(suiteName('hostile values on a lab host'), () => {
  let host: LabHost;
  let dir: string;

  beforeAll(async () => {
    [host] = (await labUp(1)) as [LabHost];
    dir = join(hostRecord(host).merged, 'var/tmp/ks-hostile');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await hostShell(host, STUB_SETUP);
  });
  afterAll(async () => {
    if (host)
      await hostShell(
        host,
        'rm -rf /var/tmp/ks-stubs /var/tmp/ks-hostile /tmp/ks-injected-* /etc/systemd/system/ks-argv-probe.service /tmp/ks-argv*; systemctl daemon-reload',
      );
  });

  it('runs every command under dash and bash without any injected payload running', async () => {
    const all = [...commands.map((c) => c.command), ...files.filter((f) => f.text.startsWith('#!/bin/sh')).map((f) => f.text)];
    writeFileSync(join(dir, 'commands'), all.join('\0'));
    // One loop on the host as nobody (one login, not one per command): each command in its own shell, stubs only in
    // PATH, no input, 10 s at most.
    writeFileSync(
      join(dir, 'run-all.sh'),
      [
        'while IFS= read -r -d "" c; do',
        '  for s in dash bash; do /usr/bin/timeout 10 /usr/bin/env -i PATH=/var/tmp/ks-stubs HOME=/nonexistent "$s" -c "$c" </dev/null >/dev/null 2>&1; done',
        'done < /var/tmp/ks-hostile/commands',
        '',
      ].join('\n'),
    );
    const loop = [
      'chmod -R a+rX /var/tmp/ks-hostile',
      'runuser -u nobody -- /bin/bash /var/tmp/ks-hostile/run-all.sh',
      `ls -1 ${MARKER_PREFIX}* 2>/dev/null || true`,
    ].join('\n');
    const r = await hostExec(host, ['/bin/sh', '-c', loop]);
    expect(r.stdout.trim()).toBe('');
    // The payloads do run when a shell is handed them unquoted: the check can see an injection.
    const control = await hostExec(host, [
      '/bin/sh',
      '-c',
      `runuser -u nobody -- env -i PATH=/var/tmp/ks-stubs sh -c 'echo ${hostileCluster().hosts[0]!.name.replace(/'/g, '')}' >/dev/null 2>&1; ls -1 ${MARKER_PREFIX}* 2>/dev/null; rm -f ${MARKER_PREFIX}*`,
    ]);
    expect(control.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  }, 900_000);

  it('hands hostile arguments and environment values to the program exactly as given, through real systemd', async () => {
    const cluster = hostileCluster();
    const args = [...cluster.hosts.map((h) => `--name=${h.name}`), '%n', '$$', '${HOME}', ';', '', 'a\\b "c"'];
    const env = newClusterBootstrap(planContext(inputs()));
    writeFileSync(join(dir, 'bootstrap.env'), env);
    writeFileSync(
      join(dir, 'argv.sh'),
      '#!/bin/sh\nprintf "%s\\0" "$@" > /tmp/ks-argv.out\nprintf "%s" "$ETCD_INITIAL_CLUSTER" > /tmp/ks-argv.env\n',
      {
        mode: 0o755,
      },
    );
    const unit = renderUnit({
      description: `argv probe ${cluster.hosts[0]!.name}`,
      type: 'oneshot',
      restart: 'no',
      environmentFile: '/var/tmp/ks-hostile/bootstrap.env',
      execStart: ['/var/tmp/ks-hostile/argv.sh', ...args],
    });
    writeFileSync(join(hostRecord(host).merged, 'etc/systemd/system/ks-argv-probe.service'), unit);
    await hostShell(host, 'rm -f /tmp/ks-argv.*; systemctl daemon-reload && systemctl start ks-argv-probe.service');
    const argv = await hostShell(host, 'cat /tmp/ks-argv.out');
    expect(argv.split('\0').slice(0, -1)).toEqual(args);
    const expected = planContext(inputs()).etcdHosts.map(
      (h) => `${h.name}=https://${h.address.includes(':') ? `[${h.address}]` : h.address}:2380`,
    );
    expect(await hostShell(host, 'cat /tmp/ks-argv.env')).toBe(expected.join(','));
    expect((await hostShell(host, `ls -1 ${MARKER_PREFIX}* 2>/dev/null || true`)).trim()).toBe('');
  });
});
