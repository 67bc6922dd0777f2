import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import { expect, it } from 'vitest';
import { PooledConnection } from './pooled-connection';

const endpoint = {
  hostId: 'h1',
  label: 'node1 (10.0.0.1:22)',
  address: '10.0.0.1',
  port: 22,
  user: 'root',
  auth: { kind: 'agent' as const },
};

/** A stand-in for ssh2's Client that answers exec as ssh2 does in the two cases below. */
function fakeClient(onExec: (client: EventEmitter, cb: (err: Error | undefined) => void) => void): Client {
  const client = new EventEmitter() as EventEmitter & { exec: unknown; end: unknown };
  client.exec = (_cmd: string, cb: (err: Error | undefined) => void) => onExec(client, cb);
  client.end = () => client.emit('close');
  return client as unknown as Client;
}

it('reports a session request cut short by the connection closing as the lost connection', async () => {
  // ssh2's order when the socket closes: 'close' first, then every pending channel request fails with "Unable to exec".
  const client = fakeClient((c, cb) => {
    c.emit('error', Object.assign(new Error('Keepalive timeout'), { level: 'client-timeout' }));
    c.emit('close');
    cb(new Error('Unable to exec'));
  });
  const conn = new PooledConnection(endpoint, client, { maxSessions: 10, idleTimeoutMs: 0 });
  await expect(conn.exec('true')).rejects.toMatchObject({ name: 'ConnectionLost', message: expect.stringContaining('node1') });
});

it('passes on a request the server refused while the connection stays open', async () => {
  const client = fakeClient((_c, cb) => cb(new Error('Unable to exec')));
  const conn = new PooledConnection(endpoint, client, { maxSessions: 10, idleTimeoutMs: 0 });
  await expect(conn.exec('true')).rejects.toThrow('Unable to exec');
  expect(conn.isOpen).toBe(true);
});
