import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planSteps, type CommandAction } from '../../../src-shared/model/plan';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { POLICY_MARK, POLICY_RC_D } from './no-service-starts';
import { moduleInKernel } from './prepare';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { traceShell } from '../../../test/support/trace-shell';

const bundle = { name: 'nginx', localPath: '/b/debs/nginx.deb', sha256: 'a'.repeat(64), size: 1000 };
/** The packages step of a worker (h4: nginx for kube-lb) or of an etcd-only host (h3), offline bundle or apt. */
const packagesStep = (hostId: 'h3' | 'h4', offline: boolean) => {
  const binaries = { ...fakeBinaries(), packages: offline ? [bundle] : [] };
  const cluster = labCluster(4);
  cluster.hosts[2]!.roles = ['etcd'];
  const plan = buildPlan({ cluster, pki: fakePki(), binaries, templates: fileTemplates(), now: new Date(0) });
  const step = planSteps(plan).find((s) => s.id === `prepare/${hostId}/packages`);
  if (!step || step.action.kind !== 'command') throw new Error(`no packages step on ${hostId}`);
  return { title: step.title, action: step.action as CommandAction };
};

/**
 * A host in a temp folder: dpkg, dpkg-query, apt-get and systemctl are stand-ins that keep the package database as
 * files and write every call they get, in order, to `calls`. The step's commands run in dash, as on the host.
 */
let dir: string;
const installedDir = () => join(dir, 'installed');
/** The host's /usr/sbin/policy-rc.d, in the temp folder. */
const policyPath = () => join(dir, 'policy-rc.d');
function standIn(name: string, body: string): void {
  // A call made with SYSTEMD_OFFLINE=1 (systemctl leaves PID 1 alone) is written as "offline <call>".
  writeFileSync(
    join(dir, 'bin', name),
    `#!/bin/sh\nprintf '%s%s\\n' "\${SYSTEMD_OFFLINE:+offline }" "${name} $*" >> "${dir}/calls"\n${body}\n`,
  );
  chmodSync(join(dir, 'bin', name), 0o755);
}
/** Installed packages as `name` (the bundle's version, 1) or `name@version`; dpkg and apt install version 1. */
function host(installed: string[], opts: { systemctlFails?: boolean } = {}): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(installedDir(), { recursive: true });
  for (const p of installed) writeFileSync(join(installedDir(), p.split('@')[0]!), `${p.split('@')[1] ?? '1'}\n`);
  writeFileSync(join(dir, 'calls'), '');
  const everything = 'curl ca-certificates nginx nginx-common libnginx-mod-stream nftables';
  const db = installedDir();
  // With package names: their status; without: every installed package as the -f format asks (name=version=status).
  standIn(
    'dpkg-query',
    `rc=0; n=0; for a; do case "$a" in -*) ;; *) n=1; if [ -e "${db}/$a" ]; then echo 'install ok installed'; else echo "dpkg-query: no packages found matching $a" >&2; rc=1; fi;; esac; done
[ $n = 1 ] || for f in "${db}"/*; do [ -e "$f" ] && echo "\${f##*/}=$(cat "$f")=install ok installed"; done; exit $rc`,
  );
  // Like a maintainer script's deb-systemd-invoke: asks the start policy, when there is one, before starting nginx.
  const askPolicy = `if [ -x "${policyPath()}" ]; then "${policyPath()}" nginx.service start; echo "policy said $?" >> "${dir}/calls"; fi`;
  // Like --skip-same-version: a package already at version 1 is left as it is.
  const put = (p: string) => `[ "$(cat "${db}/${p}" 2>/dev/null)" = 1 ] || echo 1 > "${db}/${p}"`;
  standIn('dpkg', `${askPolicy}; for p in ${everything}; do ${put('$p')}; done`);
  standIn('apt-get', `[ "$1" = update ] && exit 0; ${askPolicy}; for a; do case "$a" in -*|install) ;; *) ${put('$a')};; esac; done`);
  // nginx.service is not running (its start was refused): is-active says so.
  standIn('systemctl', opts.systemctlFails ? 'exit 1' : '[ "$1" = is-active ] && exit 3; exit 0');
}
const run = (command: string) =>
  spawnSync('dash', ['-c', command.replaceAll('/var/lib/kubesmith', join(dir, 'state')).replaceAll(POLICY_RC_D, policyPath())], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` },
  });
const calls = () =>
  readFileSync(join(dir, 'calls'), 'utf8')
    .split('\n')
    .filter((c) => c && !c.startsWith('dpkg-query') && !c.startsWith('policy said'));
const policyAnswers = () =>
  readFileSync(join(dir, 'calls'), 'utf8')
    .split('\n')
    .filter((c) => c.startsWith('policy said'));
/** Like the engine: run only when skipIf does not pass. */
const deploy = (action: CommandAction) => (run(action.skipIf!).status === 0 ? 'skipped' : run(action.run).status);

describe('prepare: packages, and the distribution nginx.service a first nginx install brings', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-packages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a node gets nginx with its stream module and the tool of its proxy mode; no conntrack, which kube-proxy needs no more', () => {
    expect(packagesStep('h4', false).title).toMatch(/^Packages: curl, ca-certificates, nginx, libnginx-mod-stream, nftables;/);
    expect(packagesStep('h3', false).title).toBe('Packages: curl, ca-certificates');
  });

  it('the guard asks dpkg-query once and starts nothing else, passing only when every package is installed', () => {
    const guard = packagesStep('h3', false).action.skipIf;
    if (!guard) throw new Error('no guard');
    const env = { ...process.env, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` };
    host(['curl', 'ca-certificates', 'nginx', 'libnginx-mod-stream', 'nftables']);
    const all = traceShell('dash', guard, { env });
    expect(all.status).toBe(0);
    expect(all.started).toEqual(['dpkg-query']);
    rmSync(dir, { recursive: true, force: true });
    host(['curl']);
    expect(traceShell('dash', guard, { env }).status).not.toBe(0);
  });

  for (const offline of [true, false]) {
    const install = offline ? 'dpkg -i --skip-same-version' : 'apt-get install';
    const source = offline ? 'offline bundle' : 'apt';

    it(`${source}: a host without nginx has nginx.service disabled and stopped right after the install`, () => {
      host(['curl', 'ca-certificates']);
      const { action, title } = packagesStep('h4', offline);
      expect(title).toContain('nginx.service (port 80) off if this installs nginx');
      expect(deploy(action)).toBe(0);
      const made = calls();
      const installedAt = made.findIndex((c) => c.includes(install));
      expect(installedAt).toBeGreaterThanOrEqual(0);
      expect(made[installedAt]).toMatch(/^offline /);
      expect(made.slice(installedAt + 1)).toEqual([
        'offline systemctl disable --quiet nginx.service',
        'systemctl is-active --quiet nginx.service',
      ]);
      // Done: the next deploy skips the step and calls nothing.
      writeFileSync(join(dir, 'calls'), '');
      expect(deploy(action)).toBe('skipped');
      expect(calls()).toEqual([]);
    });

    it(`${source}: a host whose nginx was there before keeps its nginx.service`, () => {
      host(['curl', 'ca-certificates', 'nginx', 'nginx-common']);
      expect(deploy(packagesStep('h4', offline).action)).toBe(0);
      expect(calls().some((c) => c.includes(install))).toBe(true);
      expect(calls().filter((c) => c.includes('nginx.service'))).toEqual([]);
    });
  }

  it("Ubuntu's nginx-core flavour (nginx-common, no nginx package) counts as nginx there before", () => {
    host(['curl', 'ca-certificates', 'nginx-common']);
    expect(deploy(packagesStep('h4', false).action)).toBe(0);
    expect(calls().filter((c) => c.includes('nginx.service'))).toEqual([]);
  });

  it('a run that installed nginx but could not turn nginx.service off is not skipped next time, and finishes it', () => {
    host([], { systemctlFails: true });
    const { action } = packagesStep('h4', true);
    expect(deploy(action)).not.toBe(0);
    expect(existsSync(join(dir, 'installed', 'nginx'))).toBe(true);
    host([], { systemctlFails: false });
    writeFileSync(join(dir, 'calls'), '');
    expect(deploy(action)).toBe(0);
    expect(calls().at(-1)).toBe('systemctl is-active --quiet nginx.service');
    expect(deploy(action)).toBe('skipped');
  });

  it('a host that gets no nginx (etcd only, no kubelet) touches no service', () => {
    host([]);
    const { action, title } = packagesStep('h3', true);
    expect(title).not.toContain('nginx');
    expect(deploy(action)).toBe(0);
    expect(calls().filter((c) => c.startsWith('systemctl'))).toEqual([]);
  });
  for (const offline of [true, false]) {
    const source = offline ? 'offline bundle' : 'apt';
    it(`${source}: the packages' services are not started during the install, and the policy is gone after it`, () => {
      host(['curl', 'ca-certificates']);
      expect(deploy(packagesStep('h4', offline).action)).toBe(0);
      // 101: "action forbidden by policy" (init-system-helpers, README.policy-rc.d).
      expect(policyAnswers()).toEqual(['policy said 101']);
      expect(existsSync(policyPath())).toBe(false);
    });
  }

  it('a step that fails still removes its policy', () => {
    host(['curl', 'ca-certificates']);
    standIn('dpkg', 'exit 1');
    expect(deploy(packagesStep('h4', true).action)).not.toBe(0);
    expect(existsSync(policyPath())).toBe(false);
  });

  it('a host with a policy of its own keeps it, as it was, and the install goes by it', () => {
    host(['curl', 'ca-certificates']);
    const own = '#!/bin/sh\nexit 0\n';
    writeFileSync(policyPath(), own, { mode: 0o755 });
    expect(deploy(packagesStep('h4', true).action)).toBe(0);
    expect(policyAnswers()).toEqual(['policy said 0']);
    expect(readFileSync(policyPath(), 'utf8')).toBe(own);
  });

  it('a policy left by a step that was killed allows every start, and the next packages step removes it', async () => {
    host([]);
    // The step's shell killed during the install: the policy it wrote stays behind.
    const command = packagesStep('h4', true)
      .action.run.replaceAll('/var/lib/kubesmith', join(dir, 'state'))
      .replaceAll(POLICY_RC_D, policyPath())
      .replace('DEBIAN_FRONTEND=noninteractive dpkg', 'kill -9 0; dpkg');
    const killed = await new Promise<string | number | null>((resolve) => {
      // Its own process group, which `kill -9 0` ends: the step's shell and its subshell, mid-install.
      const child = spawn('dash', ['-c', command], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` },
      });
      child.on('exit', (code, signal) => resolve(signal ?? code));
    });
    expect(killed).toBe('SIGKILL');
    expect(readFileSync(policyPath(), 'utf8')).toContain(POLICY_MARK);
    expect(spawnSync(policyPath(), ['nginx.service', 'start']).status).toBe(0);
    expect(deploy(packagesStep('h4', true).action)).toBe(0);
    expect(policyAnswers()).toEqual(['policy said 101']);
    expect(existsSync(policyPath())).toBe(false);
  });

  it('the install leaves the manager alone, and reloads it once after only where it changed a package already there', () => {
    // New packages, and one there before at the same version: no reload.
    host(['curl', 'ca-certificates', 'nginx']);
    expect(deploy(packagesStep('h4', true).action)).toBe(0);
    expect(calls().filter((c) => c.includes('daemon-reload'))).toEqual([]);
    // nginx there before at another version, which the install replaces: its unit files may have changed.
    rmSync(installedDir(), { recursive: true });
    host(['curl', 'ca-certificates', 'nginx@0']);
    expect(deploy(packagesStep('h4', true).action)).toBe(0);
    const made = calls();
    expect(made.filter((c) => c.includes('daemon-reload'))).toEqual(['systemctl daemon-reload']);
    expect(made.findIndex((c) => c.includes('daemon-reload'))).toBeGreaterThan(made.findIndex((c) => c.includes('dpkg -i')));
  });

  it('where the host let nginx start (a policy of its own), the step stops it', () => {
    host(['curl', 'ca-certificates']);
    writeFileSync(policyPath(), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    standIn('systemctl', 'exit 0');
    expect(deploy(packagesStep('h4', true).action)).toBe(0);
    expect(
      calls()
        .filter((c) => c.includes('nginx.service'))
        .at(-1),
    ).toBe('systemctl stop nginx.service');
  });
});

// The guards of the swap, kernel settings and host name steps run on every run of every host: they read the kernel's
// files with the shell's own `read`, and grep only /etc/fstab and /etc/hostname. Each runs here in dash against this
// machine's real /proc, with grep and recording stand-ins for the programs it used to start (which pass the call on
// to the real one), and must say what those programs say without starting one.
describe('prepare guards start no process to read the kernel', () => {
  const guardOf = (name: string, hostName = 'h1') => {
    const cluster = labCluster(3);
    cluster.hosts[0]!.name = hostName;
    const plan = buildPlan({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates: fileTemplates(), now: new Date(0) });
    const step = planSteps(plan).find((s) => s.id === `prepare/h1/${name}`);
    if (!step || step.action.kind !== 'command' || !step.action.skipIf) throw new Error(`no guard for ${name}`);
    return step.action.skipIf;
  };
  let only: string;
  beforeEach(() => {
    only = mkdtempSync(join(tmpdir(), 'ks-prepare-guards-'));
    spawnSync('ln', ['-s', '/bin/grep', join(only, 'grep')]);
    for (const tool of ['sysctl', 'hostname', 'tail', 'cat']) {
      const realTool = spawnSync('/bin/sh', ['-c', `PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v ${tool}`], {
        encoding: 'utf8',
      }).stdout.trim();
      writeFileSync(join(only, tool), `#!/bin/sh\necho ${tool} >> "${only}/calls"\n${realTool ? `exec ${realTool} "$@"` : 'exit 127'}\n`);
      chmodSync(join(only, tool), 0o755);
    }
  });
  afterEach(() => rmSync(only, { recursive: true, force: true }));
  const passes = (command: string) => {
    const r = spawnSync('/bin/dash', ['-c', command], { encoding: 'utf8', env: { PATH: only } });
    expect(r.stderr).toBe('');
    expect(existsSync(join(only, 'calls')) ? readFileSync(join(only, 'calls'), 'utf8') : '').toBe('');
    return r.status === 0;
  };
  const real = (command: string) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' }).status === 0;

  it('modules: one listed in /sys/module starts no process; one that is not falls back to the module lists', () => {
    const listed = readdirSync('/sys/module')[0];
    if (!listed) throw new Error('no /sys/module on this machine');
    const here = traceShell('dash', moduleInKernel(listed).command);
    expect(here.status).toBe(0);
    expect(here.started).toEqual([]);
    const absent = traceShell('dash', moduleInKernel('ks_no_such_module').command);
    expect(absent.status).not.toBe(0);
    expect(absent.started).toContain('grep');
  });

  it('kernel settings: as `sysctl -n` would say', () => {
    const hasSysctl = real('command -v sysctl >/dev/null');
    const expected = ['net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'].every((k) =>
      hasSysctl
        ? real(`[ "$(sysctl -n ${k} 2>/dev/null)" = 1 ]`)
        : readFileSync(`/proc/sys/${k.replace(/\./g, '/')}`, 'utf8').trim() === '1',
    );
    expect(passes(guardOf('sysctl'))).toBe(expected);
  });

  it("host name: the kernel's UTS name, as `hostname` says, and /etc/hostname", () => {
    const kernelName = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
    const fileSays = existsSync('/etc/hostname') && readFileSync('/etc/hostname', 'utf8').split('\n').includes(kernelName);
    expect(passes(guardOf('hostname', kernelName))).toBe(fileSays);
    expect(passes(guardOf('hostname', `${kernelName}x`))).toBe(false);
  });

  it('swap: no area listed after the header line of /proc/swaps', () => {
    const areas = readFileSync('/proc/swaps', 'utf8').trim().split('\n').length - 1;
    const fstabSwap = real("grep -Eq '^[^#]\\S*\\s+\\S+\\s+swap\\s' /etc/fstab");
    expect(passes(guardOf('swap'))).toBe(areas === 0 && !fstabSwap);
  });
});
