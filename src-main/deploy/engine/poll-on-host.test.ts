import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sh } from '../../ssh/shell';
import { runCommand } from './command-step';
import { HOST_POLL_MS, pollOnHost, pollPauses } from './poll-on-host';
import type { HostTransport, RemoteResult } from './transport';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-poll-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A wait that fails until its `ready`-th try: each try appends a line to `tries` and says which try it is. */
function waitReadyAt(ready: number, code = 7) {
  const tries = join(dir, 'tries');
  writeFileSync(tries, '');
  const run =
    sh`echo try >> ${tries}; n=$(wc -l < ${tries}); echo "try $n"; echo "not yet" >&2; [ "$n" -ge ${String(ready)} ] || exit ${String(code)}`
      .command;
  return { run, tries: () => readFileSync(tries, 'utf8').split('\n').filter(Boolean).length };
}

const runIn = (shell: string, command: string) =>
  spawnSync(shell, ['-c', command], { input: 'stdin the tries must not read\n', encoding: 'utf8' });

describe('pollOnHost (the shell script, under dash and bash)', () => {
  it.each(['dash', 'bash'])('%s: asks again on the host until the wait succeeds, in one command, and says what the try said', (shell) => {
    const wait = waitReadyAt(3);
    const r = runIn(shell, pollOnHost(wait.run, 60_000, { firstMs: 50, maxMs: 50 }));
    expect(r.status).toBe(0);
    expect(wait.tries()).toBe(3);
    expect(r.stdout).toBe('try 3\nnot yet\n');
    expect(r.stderr).toBe('');
  });

  it.each(['dash', 'bash'])("%s: gives up when its window has passed, with the last try's exit code and words on stderr", (shell) => {
    const wait = waitReadyAt(1_000, 7);
    const r = runIn(shell, pollOnHost(wait.run, 300, { firstMs: 100, maxMs: 100 }));
    expect(r.status).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^try \d+\nnot yet\n$/);
    // At least the first try and one after a pause; never more tries than pauses fit in the window (a slow machine
    // fits fewer, never more).
    expect(wait.tries()).toBeGreaterThanOrEqual(2);
    expect(wait.tries()).toBeLessThanOrEqual(4);
  });

  it('doubles its pause up to the longest: a 1 s window with pauses of 0.1, 0.2, 0.4, 0.4 s holds five tries at most', () => {
    const wait = waitReadyAt(1_000);
    const r = runIn('dash', pollOnHost(wait.run, 1_000, { firstMs: 100, maxMs: 400 }));
    expect(r.status).toBe(7);
    expect(wait.tries()).toBeGreaterThanOrEqual(2);
    expect(wait.tries()).toBeLessThanOrEqual(5);
  });

  it('a try that exits ends only that try', () => {
    const wait = waitReadyAt(2, 0);
    const r = runIn('dash', pollOnHost(sh`exit 5`.command, 200, { firstMs: 50, maxMs: 50 }));
    expect(r.status).toBe(5);
    const ok = runIn('dash', pollOnHost(wait.run, 10_000, { firstMs: 50, maxMs: 50 }));
    expect(ok.status).toBe(0);
    expect(wait.tries()).toBe(1);
  });
});

/** A host answering each command with the next result, recording what it was asked. */
function scriptedHost(results: Array<Partial<RemoteResult>>): { t: HostTransport; asked: string[] } {
  const asked: string[] = [];
  const t = {
    exec: async (command: string) => {
      asked.push(command);
      return { code: 0, stdout: '', stderr: '', ...results.shift() };
    },
  } as unknown as HostTransport;
  return { t, asked };
}

describe('pollPauses', () => {
  it('starts at pollMs and doubles to half the interval in the first attempt, then asks twice per interval', () => {
    expect(pollPauses(1, 250, 2000)).toEqual({ firstMs: 250, maxMs: 1000 });
    expect(pollPauses(2, 250, 2000)).toEqual({ firstMs: 1000, maxMs: 1000 });
    expect(pollPauses(1, 250, 300)).toEqual({ firstMs: 250, maxMs: 250 });
  });
});

describe('runCommand with a wait polled on the host (retry.pollMs)', () => {
  const run = sh`curl -sS --fail http://127.0.0.1:2381/health`.command;

  it('sends each attempt as a window polled on the host, with no pause of its own between attempts', async () => {
    const { t, asked } = scriptedHost([
      { code: 7, stderr: 'refused' },
      { code: 0, stdout: 'ok\n' },
    ]);
    const started = Date.now();
    const r = await runCommand(t, 'etcd health', {
      kind: 'command',
      run,
      retry: { attempts: 5, intervalMs: 60_000, pollMs: HOST_POLL_MS },
    });
    expect(r.stdout).toBe('ok\n');
    expect(asked).toEqual([
      pollOnHost(run, 60_000, { firstMs: HOST_POLL_MS, maxMs: 30_000 }),
      pollOnHost(run, 60_000, { firstMs: 30_000, maxMs: 30_000 }),
    ]);
    // The host waited the interval; this computer did not wait again (a pause would be 60 s here).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("still fails after its attempts, naming the plan's command", async () => {
    const { t } = scriptedHost([
      { code: 7, stderr: 'refused' },
      { code: 7, stderr: 'refused' },
    ]);
    await expect(
      runCommand(t, 'etcd health', { kind: 'command', run, retry: { attempts: 2, intervalMs: 1000, pollMs: HOST_POLL_MS } }),
    ).rejects.toMatchObject({ message: expect.stringContaining('still failing after 2 attempts') });
  });

  it('a single attempt, or a wait without pollMs, is asked as it is', async () => {
    const { t, asked } = scriptedHost([{ code: 0 }, { code: 7 }, { code: 0 }]);
    await runCommand(t, 'once', { kind: 'command', run, retry: { attempts: 1, intervalMs: 1000, pollMs: HOST_POLL_MS } });
    await runCommand(t, 'from here', { kind: 'command', run, retry: { attempts: 2, intervalMs: 10 } });
    expect(asked).toEqual([run, run, run]);
  });
});
