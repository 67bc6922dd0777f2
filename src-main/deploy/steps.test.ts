import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src-shared/model/plan';
import { APPLIED_DIR, UNIT_DIR } from './layout';
import { raw } from '../ssh/shell';
import { fileStep, unitStep, variantFileStep } from './steps';

// The unit step's start command, run by dash against a stand-in systemctl that records each call and answers
// `show` from a file (the properties in systemd's own order, not the order asked); the markers go to a temporary
// folder instead of APPLIED_DIR.
describe('unitStep start command', () => {
  let dir: string;
  const shows = (props: { FragmentPath?: string; LoadState?: string; NeedDaemonReload?: string }) =>
    writeFile(
      join(dir, 'show'),
      `NeedDaemonReload=${props.NeedDaemonReload ?? 'no'}\nLoadState=${props.LoadState ?? 'loaded'}\nFragmentPath=${props.FragmentPath ?? '/etc/systemd/system/etcd.service'}\n`,
    );
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-unit-step-'));
    await writeFile(
      join(dir, 'systemctl'),
      `#!/bin/sh\necho "$*" >> "${dir}/calls"\nif [ "$1" = show ]; then cat "${dir}/show"; fi\nexit 0\n`,
    );
    await chmod(join(dir, 'systemctl'), 0o755);
    await shows({});
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const unitFile = (text: string) => fileStep('etcd/a/unit', 'unit', { path: '/etc/systemd/system/etcd.service', text });
  const config = (text: string) => fileStep('etcd/a/config', 'config', { path: '/etc/etcd/etcd.conf', text });
  const start = async (inputs: PlanStep[], path = `${dir}:/usr/bin:/bin`) => {
    const step = unitStep('etcd/a/start', { unit: 'etcd', inputs });
    if (step.action.kind !== 'command') throw new Error('not a command step');
    await rm(join(dir, 'calls'), { force: true });
    const r = spawnSync('/bin/dash', ['-c', step.action.run.split(APPLIED_DIR).join(join(dir, 'applied'))], {
      encoding: 'utf8',
      env: { PATH: path },
    });
    expect(r.status, r.stderr).toBe(0);
    return (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n');
  };

  it('starts a new unit without a manager reload when systemd loaded the written file, and enable does not reload', async () => {
    const calls = await start([unitFile('a'), config('x')]);
    expect(calls).toContain('show -p FragmentPath -p LoadState -p NeedDaemonReload etcd');
    expect(calls).not.toContain('daemon-reload');
    expect(calls).toContain('enable --quiet --no-reload etcd');
    expect(calls).toContain('restart etcd');
  });

  it('reads what systemd loaded with no process but systemctl itself (no sort, no tr)', async () => {
    // Only the stand-in systemctl, mkdir (for the marker's folder) and cat (the stand-in's own) can be found.
    const only = join(dir, 'only');
    await mkdir(only);
    for (const tool of ['mkdir', 'cat']) await symlink(`/usr/bin/${tool}`, join(only, tool));
    await symlink(join(dir, 'systemctl'), join(only, 'systemctl'));
    const calls = await start([unitFile('a'), config('x')], only);
    expect(calls).not.toContain('daemon-reload');
    expect(calls).toContain('restart etcd');
  });

  it('reloads once, before the restart, when systemd still has the unit as not found (systemd before 247)', async () => {
    await shows({ LoadState: 'not-found', FragmentPath: '' });
    const calls = await start([unitFile('a'), config('x')]);
    expect(calls.filter((c) => c === 'daemon-reload')).toHaveLength(1);
    expect(calls.indexOf('daemon-reload')).toBeLessThan(calls.indexOf('restart etcd'));
  });

  it('reloads when the loaded unit is another file, one the written file overrides (a distribution unit)', async () => {
    await shows({ FragmentPath: '/lib/systemd/system/etcd.service' });
    expect(await start([unitFile('a'), config('x')])).toContain('daemon-reload');
  });

  it('reloads when systemd says the loaded unit file or its drop-ins changed on disk', async () => {
    await shows({ NeedDaemonReload: 'yes' });
    expect(await start([unitFile('b'), config('x')])).toContain('daemon-reload');
  });

  it('always reloads for a unit whose file the plan does not write, or whose plan writes a drop-in too', async () => {
    expect(await start([config('x')])).toContain('daemon-reload');
    const dropIn = fileStep('etcd/a/drop-in', 'drop-in', { path: '/etc/systemd/system/etcd.service.d/10-x.conf', text: 'x' });
    expect(await start([unitFile('a'), dropIn, config('x')])).toContain('daemon-reload');
  });

  /** The step's guard, run like its start command; the unit folder is a temporary one too. Says its exit and calls. */
  const guard = async (inputs: PlanStep[]) => {
    const step = unitStep('etcd/a/start', { unit: 'etcd', inputs });
    if (step.action.kind !== 'command' || !step.action.skipIf) throw new Error('no guard');
    await rm(join(dir, 'calls'), { force: true });
    const command = step.action.skipIf
      .split(APPLIED_DIR)
      .join(join(dir, 'applied'))
      .split(`${UNIT_DIR}/`)
      .join(`${join(dir, 'units')}/`);
    const r = spawnSync('dash', ['-c', command], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
    const calls = (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    return { passed: r.status === 0, calls };
  };

  it("reads whether its own unit is enabled from the [Install] target's .wants link, without a systemctl process", async () => {
    const inputs = [unitFile('[Unit]\n[Service]\nExecStart=/x\n[Install]\nWantedBy=multi-user.target\n'), config('x')];
    await start(inputs);
    expect(await guard(inputs)).toEqual({ passed: false, calls: [] });
    await mkdir(join(dir, 'units', 'multi-user.target.wants'), { recursive: true });
    await writeFile(join(dir, 'units', 'etcd.service'), '');
    await symlink(join(dir, 'units', 'etcd.service'), join(dir, 'units', 'multi-user.target.wants', 'etcd.service'));
    expect(await guard(inputs)).toEqual({ passed: true, calls: ['is-active --quiet etcd'] });
  });

  it('reads its marker, and sums an input written in a variant, with no process but systemctl and sha256sum', async () => {
    // The guard runs on every run of every unit of every host: no cat, cut or second shell for the marker.
    const variantPath = join(dir, 'variant.conf');
    const variant = variantFileStep('etcd/a/variant', 'variant', {
      path: '/etc/ks-variant.conf',
      chooseBy: raw('true'),
      variants: [{ match: '.*', label: 'any', text: 'x' }],
    });
    const only = join(dir, 'only');
    await mkdir(only);
    await symlink(join(dir, 'systemctl'), join(only, 'systemctl'));
    await symlink('/usr/bin/sha256sum', join(only, 'sha256sum'));
    const run = (command: string, path: string) =>
      spawnSync(
        '/bin/dash',
        ['-c', command.split(APPLIED_DIR).join(join(dir, 'applied')).split('/etc/ks-variant.conf').join(variantPath)],
        {
          encoding: 'utf8',
          env: { PATH: path },
        },
      );
    for (const inputs of [[config('x')], [variant, config('x')]]) {
      const step = unitStep('etcd/a/start', { unit: 'etcd', inputs });
      if (step.action.kind !== 'command' || !step.action.skipIf) throw new Error('no guard');
      await writeFile(variantPath, 'x');
      expect(run(step.action.run, `${dir}:/usr/bin:/bin`).status).toBe(0);
      const guard = run(step.action.skipIf, only);
      expect({ status: guard.status, stderr: guard.stderr }).toEqual({ status: 0, stderr: '' });
      // The host changed the variant file (systemd-resolved turned on): the unit starts again. Without a marker too.
      if (inputs.length === 2) {
        await writeFile(variantPath, 'y');
        expect(run(step.action.skipIf, only).status).not.toBe(0);
      }
      await rm(join(dir, 'applied'), { recursive: true });
      expect(run(step.action.skipIf, only)).toMatchObject({ status: 1, stderr: '' });
    }
  });

  it('asks systemctl is-enabled for a unit whose file the plan does not write, or that names no single target', async () => {
    for (const inputs of [[config('x')], [unitFile('[Install]\nWantedBy=a.target\nWantedBy=b.target\n'), config('x')]]) {
      await start(inputs);
      expect((await guard(inputs)).calls).toEqual(['is-enabled --quiet etcd', 'is-active --quiet etcd']);
    }
  });
});
