import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { exitStatusOf, recordExitStatus } from './exit-status';

const fakeChannel = (): ClientChannel => new EventEmitter() as unknown as ClientChannel;

describe('exit status of a session channel', () => {
  it('keeps an exit status emitted before anyone listened for it', () => {
    const channel = fakeChannel();
    recordExitStatus(channel);
    // ssh2 emits 'exit' while parsing; the caller awaiting the channel attaches its listeners later.
    channel.emit('exit', 3);
    expect(exitStatusOf(channel)).toEqual({ code: 3, signal: null });

    const killed = fakeChannel();
    recordExitStatus(killed);
    killed.emit('exit', null, 'SIGKILL', false, '');
    expect(exitStatusOf(killed)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it("falls back to the status ssh2 repeats in 'close', and reports none when there was none", () => {
    expect(exitStatusOf(fakeChannel(), [0])).toEqual({ code: 0, signal: null });
    expect(exitStatusOf(fakeChannel(), [null, 'SIGTERM', false, ''])).toEqual({ code: null, signal: 'SIGTERM' });
    // A channel closed without an exit status (connection lost, server gave up): ssh2 passes undefined.
    expect(exitStatusOf(fakeChannel(), [undefined])).toBeUndefined();
    expect(exitStatusOf(fakeChannel())).toBeUndefined();
  });
});
