import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh } from '../../ssh/shell';
import { ALREADY_DONE, checkPassed, checkThenRun, withoutDoneLine } from './check-then-run';
import { runCommand } from './command-step';
import type { HostTransport, RemoteExecOptions, RemoteResult } from './transport';

const DONE = `${ALREADY_DONE}\n`;

describe.each(['sh', 'bash'])('checkThenRun under %s', (shell) => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-check-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (skipIf: ShellCommand, runCmd: ShellCommand): RemoteResult => {
    const r = spawnSync(shell, ['-c', checkThenRun(skipIf, runCmd).command], { encoding: 'utf8', input: 'input of the step\n' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints only the done line, and runs nothing, when the check passes', () => {
    const marker = join(dir, 'ran');
    const r = run(sh`echo checking; echo said >&2; true`.command, sh`touch ${marker}; echo ran`.command);
    expect(r).toEqual({ code: 0, stdout: DONE, stderr: '' });
    expect(checkPassed(r)).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs when the check fails: the run says what it says and exits as it exits', () => {
    const marker = join(dir, 'ran');
    const r = run(sh`echo checking; echo said >&2; [ -e ${marker} ]`.command, sh`touch ${marker}; echo ran; exit 4`.command);
    expect(r).toEqual({ code: 4, stdout: 'ran\n', stderr: '' });
    expect(checkPassed(r)).toBe(false);
    expect(existsSync(marker)).toBe(true);
  });

  it('keeps an exit in the check to the check, and its reading away from the input', () => {
    expect(run(sh`exit 0`.command, sh`echo ran`.command).stdout).toBe(DONE);
    expect(run(sh`exit 3`.command, sh`echo ran`.command)).toMatchObject({ code: 0, stdout: 'ran\n' });
    // A check that reads gets nothing; the run still has the step's input.
    expect(run(sh`read -r line; [ -n "$line" ]`.command, sh`cat`.command)).toMatchObject({ code: 0, stdout: 'input of the step\n' });
  });

  it('takes a check that ends in a comment', () => {
    expect(run(sh`false # not yet`.command, sh`echo ran`.command).stdout).toBe('ran\n');
  });
});

describe('withoutDoneLine', () => {
  const collect = () => {
    const seen: string[] = [];
    return { seen, live: withoutDoneLine((c) => seen.push(c.toString())) };
  };

  it('drops the done line, even cut in pieces', () => {
    const { seen, live } = collect();
    for (const piece of ['ks-al', 'ready-do', 'ne\n']) live.onStdout(Buffer.from(piece));
    live.end({ code: 0, stdout: DONE, stderr: '' });
    expect(seen).toEqual([]);
  });

  it('hands on output that only began like it, in order and whole', () => {
    const { seen, live } = collect();
    for (const piece of ['ks-al', 'pha\n', 'more\n']) live.onStdout(Buffer.from(piece));
    live.end({ code: 0, stdout: 'ks-alpha\nmore\n', stderr: '' });
    expect(seen.join('')).toBe('ks-alpha\nmore\n');
  });

  it('hands on a short output held to the end', () => {
    const { seen, live } = collect();
    live.onStdout(Buffer.from('ks-'));
    live.end({ code: 1, stdout: 'ks-', stderr: '' });
    expect(seen).toEqual(['ks-']);
  });
});

describe('runCommand with a check not known yet', () => {
  /** A host that counts round trips and runs each command in a local sh. */
  const countingHost = () => {
    const commands: string[] = [];
    const t = {
      exec: (command: string, options: RemoteExecOptions = {}) => {
        commands.push(command);
        const r = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
        if (r.stdout) options.onStdout?.(Buffer.from(r.stdout));
        return Promise.resolve({ code: r.status, stdout: r.stdout, stderr: r.stderr });
      },
    } as unknown as HostTransport;
    return { t, commands };
  };
  const action = (check: string) => ({ kind: 'command' as const, skipIf: sh`[ ${check} = yes ]`.command, run: sh`echo changed`.command });

  it('asks the check and runs in one round trip', async () => {
    const { t, commands } = countingHost();
    const out: string[] = [];
    const r = await runCommand(t, 'step', action('no'), { onStdout: (c) => out.push(c.toString()) });
    expect(r).toEqual({ changed: true, stdout: 'changed\n' });
    expect(commands).toHaveLength(1);
    expect(out.join('')).toBe('changed\n');
  });

  it('says already done in one round trip, with nothing shown of the done line', async () => {
    const { t, commands } = countingHost();
    const out: string[] = [];
    const info: string[] = [];
    const r = await runCommand(t, 'step', action('yes'), { onStdout: (c) => out.push(c.toString()), onInfo: (l) => info.push(l) });
    expect(r).toEqual({ changed: false, stdout: '' });
    expect(commands).toHaveLength(1);
    expect(out).toEqual([]);
    expect(info).toEqual(['already done: nothing to change']);
  });

  it('sends the run alone when the probe already said the check failed, and nothing when it passed', async () => {
    const failed = countingHost();
    await runCommand(failed.t, 'step', action('yes'), { skipKnown: false });
    expect(failed.commands).toEqual([sh`echo changed`.command]);
    const passed = countingHost();
    expect(await runCommand(passed.t, 'step', action('no'), { skipKnown: true })).toEqual({ changed: false, stdout: '' });
    expect(passed.commands).toEqual([]);
  });

  it('checks only before the first attempt of a wait', async () => {
    const { t, commands } = countingHost();
    const wait = { ...action('no'), run: sh`exit 1`.command, retry: { attempts: 2, intervalMs: 1 } };
    await expect(runCommand(t, 'wait', wait)).rejects.toMatchObject({ name: 'StepFailed' });
    expect(commands).toHaveLength(2);
    expect(commands[0]).toContain(ALREADY_DONE);
    expect(commands[1]).toBe(sh`exit 1`.command);
  });
});
