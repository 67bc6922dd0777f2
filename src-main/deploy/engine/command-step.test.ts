import { describe, expect, it } from 'vitest';
import { clockSkewSeconds, retryDelayMs, runCommand } from './command-step';
import type { HostTransport } from './transport';
import { raw } from '../../ssh/shell';

/** A host whose `date` is read the moment the command arrives, and whose answer then takes `linkSeconds` to come back. */
function slowLinkHost(clock: { t: number }, linkSeconds: number, hostOffset = 0): HostTransport {
  return {
    exec: async () => {
      const read = Math.floor(clock.t + hostOffset);
      clock.t += linkSeconds;
      return { code: 0, stdout: `${read}\n`, stderr: '' };
    },
  } as unknown as HostTransport;
}

describe('the preflight clock check', () => {
  const action = { kind: 'command' as const, check: true, run: raw('date -u +%s').command, clockSkewMaxSeconds: 30 };

  it('does not fire when only the link is slow', async () => {
    const clock = { t: 1_000_000.5 };
    const result = await runCommand(slowLinkHost(clock, 45), 'clock', action, { now: () => clock.t });
    expect(result.changed).toBe(false);
  });

  it('fires for a host clock that is off by more than allowed, slow link or not', async () => {
    for (const link of [0, 45]) {
      const clock = { t: 1_000_000.5 };
      await expect(runCommand(slowLinkHost(clock, link, -120), 'clock', action, { now: () => clock.t })).rejects.toMatchObject({
        name: 'ClockSkew',
      });
    }
  });

  it('counts only what lies outside the window from sending to answer', () => {
    expect(clockSkewSeconds(100, 100.9, 140)).toBe(0);
    expect(clockSkewSeconds(100, 100.5, 101)).toBe(0);
    expect(clockSkewSeconds(99, 100.5, 101)).toBe(0.5);
    expect(clockSkewSeconds(60, 100, 101)).toBe(39);
    expect(clockSkewSeconds(150, 100, 101)).toBe(49);
  });
});

describe('retryDelayMs', () => {
  it('waits a quarter second before the second attempt, then doubles up to the step interval', () => {
    expect([2, 3, 4, 5, 6, 20].map((n) => retryDelayMs(n, 2000))).toEqual([250, 500, 1000, 2000, 2000, 2000]);
    expect(retryDelayMs(2, 100)).toBe(100);
  });
});
