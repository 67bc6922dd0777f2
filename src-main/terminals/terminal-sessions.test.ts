import { describe, expect, it } from 'vitest';
import { EventHub } from '../events/event-hub';
import { TerminalSessions, type ShellSession } from './terminal-sessions';

/** A shell that records what the sessions registry does with it; the real one is tested over sshd in test/ssh. */
function recordingShell() {
  let dataListener: (chunk: Buffer) => void = () => {};
  let closeListener: (reason: string) => void = () => {};
  const record = { written: [] as string[], acked: 0, sizes: [] as [number, number][], closed: false };
  const shell: ShellSession = {
    write: (d) => void record.written.push(d),
    resize: (c, r) => void record.sizes.push([c, r]),
    ack: (n) => void (record.acked += n),
    onData: (l) => void (dataListener = l),
    onClose: (l) => void (closeListener = l),
    close: () => {
      record.closed = true;
      closeListener('closed by user');
    },
  };
  return { shell, record, emit: (s: string | Buffer) => dataListener(Buffer.from(s)), end: (reason: string) => closeListener(reason) };
}

function setup() {
  const events = new EventHub();
  const seen: { event: string; payload: { sessionId: string; data?: string; reason?: string } }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload: payload as never }));
  const fake = recordingShell();
  const sessions = new TerminalSessions(events, async () => ({ shell: fake.shell, title: 'node1' }));
  return { sessions, seen, fake };
}

describe('TerminalSessions', () => {
  it('batches output of one tick into one event and passes input, resize and acks through', async () => {
    const { sessions, seen, fake } = setup();
    const { sessionId } = await sessions.open('lab', 'h1', 80, 24);
    fake.emit('你好');
    fake.emit(' world');
    await new Promise((r) => setImmediate(r));
    const data = seen.filter((e) => e.event === 'terminal.data');
    expect(data).toHaveLength(1);
    expect(Buffer.from(data[0]!.payload.data!, 'base64').toString()).toBe('你好 world');
    sessions.input(sessionId, 'ls\r');
    sessions.resize(sessionId, 120, 40);
    sessions.ack(sessionId, 12);
    expect(fake.record).toMatchObject({ written: ['ls\r'], sizes: [[120, 40]], acked: 12 });
  });

  it('splits a large burst into bounded events', async () => {
    const { sessions, seen, fake } = setup();
    await sessions.open('lab', 'h1', 80, 24);
    fake.emit(Buffer.alloc(200 * 1024, 'x'));
    const sizes = seen.filter((e) => e.event === 'terminal.data').map((e) => Buffer.from(e.payload.data!, 'base64').length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200 * 1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it('says when the session ends and refuses input afterwards with a clear error', async () => {
    const { sessions, seen, fake } = setup();
    const { sessionId } = await sessions.open('lab', 'h1', 80, 24);
    fake.end('connection lost');
    expect(seen.at(-1)).toEqual({ event: 'terminal.exit', payload: { sessionId, reason: 'connection lost' } });
    expect(() => sessions.input(sessionId, 'x')).toThrow(expect.objectContaining({ name: 'TerminalClosed' }));
    expect(sessions.size).toBe(0);
  });
});
