import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * Talks to a server below fetch and the ws client, so a test can send what those refuse to send:
 * any Host header, malformed cookies, half a request, or WebSocket frames that break the protocol.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with exactly the headers given (Host included), through node:http so nothing is rewritten. */
export function rawGet(port: number, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A TCP connection to the server, with every byte it sends back collected. */
export interface RawConnection {
  socket: Socket;
  received(): Buffer;
  /** Resolves once the server closed (or reset) the connection. */
  closed: Promise<void>;
  /** Resolves once the bytes received so far contain the text. */
  waitFor(text: string): Promise<string>;
}

export async function rawConnect(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  let data = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const waitFor = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const s = data.toString('latin1');
        if (s.includes(text)) return resolve(s);
        if (socket.destroyed) return reject(new Error(`connection closed before "${text}"; got: ${JSON.stringify(s.slice(0, 200))}`));
        waiters.push(check);
      };
      socket.once('close', check);
      check();
    });
  return { socket, received: () => data, closed, waitFor };
}

/** Opens /api with a real WebSocket handshake and returns the connection once the server said 101. */
export async function rawWebSocket(port: number, headers: Record<string, string>): Promise<RawConnection> {
  const conn = await rawConnect(port);
  const lines = [
    'GET /api HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  conn.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const head = await conn.waitFor('\r\n\r\n');
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`no upgrade: ${head.split('\r\n')[0]}`);
  return conn;
}

export interface FrameOptions {
  opcode: number;
  payload?: Buffer;
  masked?: boolean;
  fin?: boolean;
  /** A length to announce instead of the payload's own (for frames that claim to be huge). */
  announcedLength?: number;
}

/** One WebSocket frame (RFC 6455 §5.2), built by hand so it can break the rules on purpose. */
export function frame({ opcode, payload = Buffer.alloc(0), masked = true, fin = true, announcedLength }: FrameOptions): Buffer {
  const length = announcedLength ?? payload.length;
  const first = (fin ? 0x80 : 0) | (opcode & 0x0f);
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** The status code of the first close frame the server sent after the 101 answer, if any. */
export function closeCodeIn(received: Buffer): number | undefined {
  const headEnd = received.indexOf('\r\n\r\n');
  let at = headEnd < 0 ? 0 : headEnd + 4;
  while (at + 2 <= received.length) {
    const opcode = received[at]! & 0x0f;
    let length = received[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = received.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(received.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 0x8) return length >= 2 ? received.readUInt16BE(offset) : 1005;
    at = offset + length;
  }
  return undefined;
}
