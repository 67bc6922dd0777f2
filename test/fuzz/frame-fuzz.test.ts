import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBackend, type Backend } from '../../src-main/backend';
import { startBrowserServer, type BrowserServer } from '../../src-main/server/browser-server';
import { WireEventSchema, WireResultSchema } from '../../src-shared/contract/wire';
import { frame, rawConnect, rawGet, rawWebSocket } from '../support/raw-http';
import { HOSTILE_STRINGS, pick, seededRandom, type Random } from './schema-sample';

/**
 * Raw frames against the real browser-mode server: garbage, binary, oversized, not JSON, calls with wrong ids and
 * names, broken WebSocket framing and non-HTTP bytes. After each batch the server must still answer a real call.
 * Bounded by KS_FUZZ_FRAME_ROUNDS; KS_FUZZ_SEED replays a run.
 */

const SEED = Number(process.env.KS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.KS_FUZZ_FRAME_ROUNDS ?? 100);
const MAX_PAYLOAD = 64 * 1024;
const token = 'frame-fuzz-token-0123456789';
const cookie = `ks_token=${token}`;

/** Methods a frame may name: answered without any network, or not methods at all. */
const FRAME_METHODS = ['app.info', 'clusters.list', 'clusters.get', 'hosts.secrets', 'prompts.pending', 'no.such', '', ...HOSTILE_STRINGS];

function junkText(rnd: Random): string {
  return pick(rnd, [
    () => pick(rnd, HOSTILE_STRINGS),
    () => randomBytes(Math.floor(rnd() * 200)).toString('latin1'),
    () => JSON.stringify(pick(rnd, [null, 0, -1, 1.5, true, 'call', [], [1, 2], {}])),
    () => JSON.stringify({ type: 'call' }),
    () => JSON.stringify({ type: pick(rnd, ['result', 'event', 'CALL', '']), id: 1, method: 'app.info', input: {} }),
    () => JSON.stringify({ type: 'call', id: pick(rnd, ['1', 1.5, -1, 2 ** 60, null, [], {}]), method: 'app.info', input: {} }),
    () =>
      JSON.stringify({ type: 'call', id: 3, method: pick(rnd, FRAME_METHODS), input: pick(rnd, [{}, null, [], 'x', { cluster: 'a' }]) }),
    () => `{"type":"call","id":4,"method":"app.info","input":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}`,
    () => `{"type":"call","id":5,"method":"clusters.get","__proto__":{"method":"clusters.remove"},"input":{"name":"a"}}`,
    () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
    () => `{"type":"call","id":6,"method":"app.info","input":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
    () => '{"type":"call","id":7,',
    () => '\ufeff{"type":"call","id":8,"method":"app.info","input":{}}',
  ])();
}

describe('raw frames against the browser-mode server', () => {
  let root: string;
  let backend: Backend;
  let server: BrowserServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-frame-fuzz-'));
    await mkdir(join(root, 'renderer'));
    await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>app</title>');
    backend = createBackend({ dataDir: join(root, 'data'), mode: 'browser', version: '0.0.0-fuzz', log: () => {} });
    server = await startBrowserServer({ backend, rendererDir: join(root, 'renderer'), token, limits: { maxPayloadBytes: MAX_PAYLOAD } });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
    await rm(root, { recursive: true, force: true });
  });

  async function open(): Promise<{ ws: WebSocket; frames: unknown[]; call: (id: number) => Promise<unknown> }> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie } });
    const frames: unknown[] = [];
    const waiting = new Map<number, (frame: unknown) => void>();
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      const parsed: unknown = JSON.parse(String(data));
      frames.push(parsed);
      const id = (parsed as { id?: unknown }).id;
      if (typeof id === 'number') waiting.get(id)?.(parsed);
    });
    ws.on('error', () => undefined);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    /** A real call's answer, or 'closed' when the socket closed first. */
    const call = (id: number) =>
      new Promise<unknown>((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve('closed');
        waiting.set(id, resolve);
        ws.once('close', () => resolve('closed'));
        ws.send(JSON.stringify({ type: 'call', id, method: 'app.info', input: {} }));
      });
    return { ws, frames, call };
  }

  it(`answers every frame with a well-formed result and keeps serving (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const rnd = seededRandom(SEED);
    let conn = await open();
    let sent = 0;
    let reconnects = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < 20; i++) {
        const kind = rnd();
        if (kind < 0.1) conn.ws.send(randomBytes(Math.floor(rnd() * 300)), { binary: true });
        else if (kind < 0.13) conn.ws.send('x'.repeat(MAX_PAYLOAD + 1 + Math.floor(rnd() * 1000)));
        else conn.ws.send(junkText(rnd));
        sent++;
      }
      const id = 1_000_000 + round;
      let reply = await conn.call(id);
      if (reply === 'closed') {
        // An oversized frame closes the socket (1009), as it should: the window opens a new one.
        conn = await open();
        reconnects++;
        reply = await conn.call(id);
      }
      expect(reply, `seed ${SEED}, round ${round}`).toMatchObject({ type: 'result', id, result: { ok: true } });
      for (const f of conn.frames) {
        const asResult = WireResultSchema.safeParse(f);
        expect(asResult.success || WireEventSchema.safeParse(f).success, `seed ${SEED}: ${JSON.stringify(f).slice(0, 300)}`).toBe(true);
        if (asResult.success && !asResult.data.result.ok) {
          expect(asResult.data.result.error.name, `seed ${SEED}`).not.toMatch(/^(InternalError|Error|TypeError|RangeError|ZodError)$/);
        }
      }
      conn.frames.length = 0;
    }
    conn.ws.close();
    console.log(`frame fuzz: seed ${SEED}, ${sent} frames over ${ROUNDS} rounds, ${reconnects} sockets closed for size`);
  });

  it(`survives broken WebSocket framing and bytes that are not HTTP (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const rnd = seededRandom(SEED ^ 0x5a5a);
    for (let round = 0; round < ROUNDS; round++) {
      const conn = await rawWebSocket(server.port, { Cookie: cookie });
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
        rnd() < 0.5
          ? frame({
              opcode: Math.floor(rnd() * 16),
              payload: randomBytes(Math.floor(rnd() * 200)),
              masked: rnd() < 0.8,
              fin: rnd() < 0.8,
              announcedLength: rnd() < 0.1 ? Math.floor(rnd() * 2 ** 40) : undefined,
            })
          : randomBytes(Math.floor(rnd() * 64)),
      );
      conn.socket.write(Buffer.concat(parts));
      conn.socket.end();
      await conn.closed;
      const plain = await rawConnect(server.port);
      plain.socket.write(randomBytes(Math.floor(rnd() * 300)));
      plain.socket.end();
      await plain.closed;
      const page = await rawGet(server.port, '/', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
      expect(page.status, `seed ${SEED ^ 0x5a5a}, round ${round}`).toBe(200);
    }
  });
});
