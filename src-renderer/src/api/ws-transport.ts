import type { ApiResult } from '../../../src-shared/contract/define';
import { WireEventSchema, WireResultSchema } from '../../../src-shared/contract/wire';
import type { ConnectionState, Transport } from './transport';

const MAX_BACKOFF_MS = 10_000;

/**
 * Browser mode: calls and events over one WebSocket to /api. The token travels as the
 * cookie the server set on first visit. Reconnects with backoff; calls made while down fail at once.
 */
export function webSocketTransport(url: string): Transport {
  let socket: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let backoff = 500;
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let opened: Promise<void>;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const failPending = () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: {
          name: 'Disconnected',
          message: 'The connection to the Kubesmith backend was lost.',
          hint: 'It reconnects by itself; try again in a moment.',
        },
      });
    }
    pending.clear();
  };

  const connect = () => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    opened = new Promise((resolve) => {
      ws.addEventListener('open', () => {
        backoff = 500;
        setState('connected');
        resolve();
      });
      ws.addEventListener('close', () => resolve());
    });
    ws.addEventListener('message', (msg) => onMessage(String(msg.data)));
    ws.addEventListener('close', () => {
      failPending();
      setState('disconnected');
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    });
  };

  const onMessage = (text: string) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const result = WireResultSchema.safeParse(json);
    if (result.success) {
      const resolve = pending.get(result.data.id);
      pending.delete(result.data.id);
      resolve?.(result.data.result as ApiResult<unknown>);
      return;
    }
    const event = WireEventSchema.safeParse(json);
    if (event.success) for (const l of eventListeners.get(event.data.event) ?? []) l(event.data.payload);
  };

  connect();

  return {
    kind: 'browser',
    async call(method, input) {
      if (state === 'connecting') await opened;
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        return {
          ok: false,
          error: {
            name: 'Disconnected',
            message: 'Not connected to the Kubesmith backend.',
            hint: 'Check that `npm run serve` is still running.',
          },
        };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, input }));
      });
    },
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener);
      eventListeners.set(event, set);
      return () => set.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
  };
}
