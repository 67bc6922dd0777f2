import { describe, expect, it } from 'vitest';
import { ChannelGate, openThroughGate } from './channel-gate';

// What ssh2 makes of OpenSSH's answer beyond MaxSessions.
function refusal(): Error {
  return Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 });
}

describe('ChannelGate', () => {
  it('queues beyond the limit and wakes in order', async () => {
    const gate = new ChannelGate(2);
    const a = await gate.acquire();
    const b = await gate.acquire();
    const order: string[] = [];
    const c = gate.acquire().then((r) => (order.push('c'), r));
    const d = gate.acquire().then((r) => (order.push('d'), r));
    await Promise.resolve();
    expect(gate.queued).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    (await c)();
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
    expect(gate.active).toBe(1);
  });

  it('lets an abort take a waiter out of the queue', async () => {
    const gate = new ChannelGate(1);
    await gate.acquire();
    const ctl = new AbortController();
    const waiting = gate.acquire(ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(gate.queued).toBe(0);
  });

  it('fails waiters when closed', async () => {
    const gate = new ChannelGate(1);
    await gate.acquire();
    const waiting = gate.acquire();
    gate.close(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(gate.acquire()).rejects.toThrow('gone');
  });
});

describe('openThroughGate', () => {
  it('learns the server limit from a refusal and retries when a channel closes', async () => {
    const gate = new ChannelGate(10);
    let serverOpen = 0;
    const releases: Array<() => void> = [];
    const open = async (): Promise<number> => {
      if (serverOpen >= 3) throw refusal();
      return ++serverOpen;
    };
    for (let i = 0; i < 3; i++) releases.push((await openThroughGate(gate, open)).release);
    const fourth = openThroughGate(gate, open);
    await new Promise((r) => setTimeout(r, 10));
    expect(gate.capacity).toBe(3);
    serverOpen--;
    releases[0]?.();
    await expect(fourth).resolves.toMatchObject({ value: 3 });
  });

  it('gives up on a refusal when nothing else is open, after a few tries', async () => {
    const gate = new ChannelGate(10);
    let tries = 0;
    await expect(
      openThroughGate(gate, async () => {
        tries++;
        throw refusal();
      }),
    ).rejects.toThrow('open failed');
    expect(tries).toBe(6);
    expect(gate.active).toBe(0);
  });

  it('passes other errors straight through', async () => {
    const gate = new ChannelGate(10);
    await expect(openThroughGate(gate, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
