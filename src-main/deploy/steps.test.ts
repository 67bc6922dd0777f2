import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src-shared/model/plan';
import { APPLIED_DIR } from './layout';
import { fileStep, unitStep } from './steps';

// The unit step's start command, run by dash against a stand-in systemctl that records each call and answers
// `show -p NeedDaemonReload` from a file; the markers go to a temporary folder instead of APPLIED_DIR.
describe('unitStep start command', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-unit-step-'));
    await writeFile(
      join(dir, 'systemctl'),
      `#!/bin/sh\necho "$*" >> "${dir}/calls"\nif [ "$1" = show ]; then cat "${dir}/need-reload"; fi\nexit 0\n`,
    );
    await chmod(join(dir, 'systemctl'), 0o755);
    await writeFile(join(dir, 'need-reload'), 'no\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const unitFile = (text: string) => fileStep('etcd/a/unit', 'unit', { path: '/etc/systemd/system/etcd.service', text });
  const config = (text: string) => fileStep('etcd/a/config', 'config', { path: '/etc/etcd/etcd.conf', text });
  const start = async (inputs: PlanStep[]) => {
    const step = unitStep('etcd/a/start', { unit: 'etcd', inputs });
    if (step.action.kind !== 'command') throw new Error('not a command step');
    await rm(join(dir, 'calls'), { force: true });
    const r = spawnSync('dash', ['-c', step.action.run.split(APPLIED_DIR).join(join(dir, 'applied'))], {
      encoding: 'utf8',
      env: { PATH: `${dir}:/usr/bin:/bin` },
    });
    expect(r.status, r.stderr).toBe(0);
    return (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n');
  };

  it('reloads the manager once on a first start: enable does not reload it again', async () => {
    const calls = await start([unitFile('a'), config('x')]);
    expect(calls.filter((c) => c === 'daemon-reload')).toHaveLength(1);
    expect(calls).toContain('enable --quiet --no-reload etcd');
    expect(calls.indexOf('daemon-reload')).toBeLessThan(calls.indexOf('restart etcd'));
  });

  it('skips the reload when only a config file changed and systemd needs none', async () => {
    await start([unitFile('a'), config('x')]);
    const calls = await start([unitFile('a'), config('y')]);
    expect(calls).not.toContain('daemon-reload');
    expect(calls).toContain('restart etcd');
  });

  it('reloads when the unit file changed', async () => {
    await start([unitFile('a'), config('x')]);
    expect(await start([unitFile('b'), config('x')])).toContain('daemon-reload');
  });

  it('reloads when systemd says the loaded unit is out of date (a file edited on the host)', async () => {
    await start([unitFile('a'), config('x')]);
    await writeFile(join(dir, 'need-reload'), 'yes\n');
    expect(await start([unitFile('a'), config('y')])).toContain('daemon-reload');
  });
});
