import type { WebSocket } from 'ws';
import { WireRequestSchema, type WireEvent, type WireResult } from '../../src-shared/contract/wire';
import type { Backend } from '../backend';

/** Serves the API contract over one WebSocket: call frames in, result and event frames out. */
export function serveApiOverWebSocket(socket: WebSocket, backend: Backend): void {
  const unsubscribe = backend.events.subscribe((event, payload) => {
    const frame: WireEvent = { type: 'event', event, payload };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  });
  socket.on('close', unsubscribe);
  // Protocol errors (oversized, invalid UTF-8, unmasked, reserved opcodes): ws has already closed the socket with the
  // matching code (1009, 1007, 1002); without a listener the event would end the process.
  socket.on('error', () => socket.terminate());
  socket.on('message', (raw, isBinary) => {
    if (isBinary) return sendInvalidFrame(socket, -1, 'The message was binary; the API takes JSON text.');
    handleFrame(raw.toString(), socket, backend).catch(() => sendInvalidFrame(socket, -1, 'The message could not be answered.'));
  });
}

async function handleFrame(text: string, socket: WebSocket, backend: Backend): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return sendInvalidFrame(socket, -1, 'The message was not JSON.');
  }
  const request = WireRequestSchema.safeParse(json);
  if (!request.success) {
    // Echo the id only when it is one the wire allows (a safe integer), so the answer is itself a valid frame.
    const given = (json as { id?: unknown } | null)?.id;
    const id = Number.isSafeInteger(given) ? (given as number) : -1;
    return sendInvalidFrame(socket, id, 'The message was not an API call.');
  }
  const result = await backend.dispatch(request.data.method, request.data.input);
  const frame: WireResult = { type: 'result', id: request.data.id, result };
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

function sendInvalidFrame(socket: WebSocket, id: number, message: string): void {
  const frame: WireResult = { type: 'result', id, result: { ok: false, error: { name: 'InvalidRequest', message } } };
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
