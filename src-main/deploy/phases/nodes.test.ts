import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { keepsRunningCommand } from './nodes';
import { traceShell } from '../../../test/support/trace-shell';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

const execFileAsync = promisify(execFile);
const templates = fileTemplates();
const kubeletConfig = (): FileAction => {
  const p = buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries: fakeBinaries(), templates });
  const step = planSteps(p).find((s) => s.id === 'nodes/h3/kubelet-config');
  if (!step || step.action.kind !== 'file') throw new Error('no kubelet config');
  return step.action;
};
/** resolvConf of the kubelet config the engine writes on a host whose systemctl answers `state` for systemd-resolved. */
const resolvConfOn = async (state: string): Promise<unknown> => {
  const action = kubeletConfig();
  const host = new FakeHost('node3', (command) =>
    command === action.chooseBy ? { stdout: state ? `${state}\n` : '', code: state === 'active' ? 0 : 3 } : undefined,
  );
  const chosen = await chooseVariant(host, action);
  return (parse(chosen.text ?? '') as { resolvConf?: unknown }).resolvConf;
};

describe('kubelet resolvConf, decided on each host as kubeadm decides it', () => {
  it('asks the host itself whether systemd-resolved runs', () => {
    expect(kubeletConfig().chooseBy).toBe('systemctl is-active systemd-resolved 2>/dev/null');
  });

  it("points at resolved's upstream list where resolved is active (Ubuntu's default), never at the 127.0.0.53 stub", async () => {
    expect(await resolvConfOn('active')).toBe('/run/systemd/resolve/resolv.conf');
    expect(await resolvConfOn('activating')).toBe('/run/systemd/resolve/resolv.conf');
  });

  it('keeps /etc/resolv.conf where resolved is stopped, failed or not installed', async () => {
    for (const state of ['inactive', 'failed', 'unknown', '']) expect(await resolvConfOn(state), state).toBe('/etc/resolv.conf');
  });
});

describe('"keeps running" check (run in dash with a stub systemctl)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-running-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /**
   * A unit whose main process is a real `sleep` started here, active since `activeFor` seconds ago. The stub
   * systemctl answers `show` from files the test can change while the check runs (state, restarts, main pid) and
   * counts the looks. `during` runs once the check has taken its first look.
   */
  const check = async (
    activeFor: number,
    opts: { windowSeconds?: number; state?: string; during?: (unit: { dir: string; mainPid: number }) => Promise<void> } = {},
  ) => {
    const bin = await mkdtemp(join(dir, 'bin-'));
    const main = spawn('sleep', ['60'], { stdio: 'ignore' });
    const mainPid = main.pid as number;
    await writeFile(join(bin, 'state'), opts.state ?? 'active');
    await writeFile(join(bin, 'restarts'), '0');
    await writeFile(join(bin, 'pid'), String(mainPid));
    await writeFile(join(bin, 'since'), new Date(Date.now() - activeFor * 1000).toUTCString());
    await writeFile(
      join(bin, 'systemctl'),
      [
        '#!/bin/sh',
        `d=${bin}`,
        'case "$1" in',
        // The look is counted once answered: the test changes the unit only after the first answer.
        '  show) printf "NRestarts=%s\\nMainPID=%s\\nActiveState=%s\\nActiveEnterTimestamp=%s\\n" "$(cat "$d/restarts")" "$(cat "$d/pid")" "$(cat "$d/state")" "$(cat "$d/since")"; echo x >> "$d/looks";;',
        '  status) echo "kubelet.service - $(cat "$d/state")";;',
        'esac',
      ].join('\n'),
    );
    await chmod(join(bin, 'systemctl'), 0o755);
    const looks = async () => (await readFile(join(bin, 'looks'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    try {
      const command = keepsRunningCommand('kubelet', opts.windowSeconds ?? 3).command;
      const running = execFileAsync('dash', ['-c', command], { env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      if (opts.during) {
        while ((await looks()) === 0) await new Promise((r) => setTimeout(r, 50));
        await opts.during({ dir: bin, mainPid });
      }
      const r = await running;
      return { ...r, looks: await looks() };
    } finally {
      main.kill();
    }
  };

  it('a look starts systemctl and the two date runs alone, no shell beside them', async () => {
    const bin = await mkdtemp(join(dir, 'bin-'));
    const since = new Date(Date.now() - 60_000).toUTCString();
    const show = `ActiveState=active\\nNRestarts=0\\nMainPID=1\\nActiveEnterTimestamp=${since}\\n`;
    await writeFile(join(bin, 'systemctl'), `#!/bin/sh\nprintf '${show}'\n`);
    await chmod(join(bin, 'systemctl'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}` };
    const r = traceShell('dash', keepsRunningCommand('kubelet', 3).command, { env });
    expect(r.status).toBe(0);
    expect(r.started).toEqual(['systemctl', 'date', 'date']);
  });

  it('a unit active for longer than the window passes on the first look', async () => {
    expect(await check(60)).toMatchObject({ code: 0, looks: 1 });
  });

  it('a unit not active, or restarted already, fails on the first look and says its status', async () => {
    const r = await check(60, { state: 'activating' });
    expect(r).toMatchObject({ code: 1, looks: 1 });
    expect(r.stdout).toContain('kubelet.service - activating');
  });

  it('a unit started a moment ago passes after the rest of the window, with one more look at its end', async () => {
    expect(await check(1)).toMatchObject({ code: 0, looks: 2 });
  });

  it('a unit whose main process exits fails as soon as that is seen, long before the window ends', async () => {
    // A 60 s window: the test's own timeout would end first if the check waited for it.
    const r = await check(0, {
      windowSeconds: 60,
      during: async ({ dir: d, mainPid }) => {
        await writeFile(join(d, 'state'), 'activating');
        process.kill(mainPid);
      },
    });
    expect(r).toMatchObject({ code: 1, looks: 2 });
    expect(r.stdout).toContain('activating');
  }, 30_000);

  it('a unit restarted within the window, by systemd or by hand, fails at the end of it', async () => {
    const restarted = await check(0, { during: async ({ dir: d }) => writeFile(join(d, 'restarts'), '1') });
    expect(restarted).toMatchObject({ code: 1, looks: 2 });
    const again = await check(0, { during: async ({ dir: d }) => writeFile(join(d, 'since'), new Date().toUTCString() + ' ') });
    expect(again).toMatchObject({ code: 1, looks: 2 });
  });
});
