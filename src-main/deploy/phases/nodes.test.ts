import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planSteps, type FileAction } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { chooseVariant } from '../engine/file-step';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { FakeHost } from '../../../test/support/deploy/fake-transport';
import { localShell } from '../../../test/support/deploy/local-shell';
import { keepsRunningCommand } from './nodes';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';

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

describe('"keeps running" check (run in sh with a stub systemctl)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-running-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /**
   * Runs the check against a unit that became active `activeFor` seconds ago and answers is-active with the codes of
   * `answers` in turn (the last one repeats). Says the exit code and how often the unit's state was read.
   */
  const check = async (activeFor: number, answers: number[]) => {
    const bin = await mkdtemp(join(dir, 'bin-'));
    const since = new Date(Date.now() - activeFor * 1000).toUTCString();
    await writeFile(
      join(bin, 'systemctl'),
      [
        '#!/bin/sh',
        `d=${bin}`,
        'case "$*" in',
        `  *ActiveEnterTimestamp*) echo '${since}';;`,
        '  *NRestarts*) echo 0;;',
        `  is-active*) n=$(cat "$d/n" 2>/dev/null || echo 0); echo $((n + 1)) > "$d/n"; set -- ${answers.join(' ')}; shift $((n < $# - 1 ? n : $# - 1)); exit $1;;`,
        '  status*) echo "kubelet.service - stopped";;',
        'esac',
      ].join('\n'),
    );
    await chmod(join(bin, 'systemctl'), 0o755);
    const r = await localShell.exec(`PATH=${bin}:$PATH; ${keepsRunningCommand('kubelet').command}` as ShellCommand);
    return { code: r.code, looks: Number((await readFile(join(bin, 'n'), 'utf8')).trim()), stdout: r.stdout };
  };

  it('a unit active for longer than the window passes on the first look', async () => {
    expect(await check(60, [0])).toMatchObject({ code: 0, looks: 1 });
  });

  it('a unit that exits within the window fails as soon as it is seen down, not after the window', async () => {
    const r = await check(0, [0, 1]);
    expect(r).toMatchObject({ code: 1, looks: 2 });
    expect(r.stdout).toContain('stopped');
  });

  it('a unit started a moment ago passes once it has stayed active for the window, looking about once a second', async () => {
    const r = await check(1, [0]);
    expect(r.code).toBe(0);
    // Two seconds of the window left: a look now and one a second (a busy machine only makes the looks fewer).
    expect(r.looks).toBeGreaterThan(1);
    expect(r.looks).toBeLessThanOrEqual(4);
  });
});
