import type { ApiResult } from '../../../src-shared/contract/define';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** How the renderer reaches the main side: Electron's preload or browser mode's WebSocket. */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  call(method: string, input: unknown): Promise<ApiResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** What the Electron preload puts on window. */
export interface PreloadBridge {
  call: Record<string, (input: unknown) => Promise<ApiResult<unknown>>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function preloadTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    call: (method, input) => {
      const fn = bridge.call[method];
      if (!fn) return Promise.resolve({ ok: false, error: { name: 'UnknownMethod', message: `No API call ${method}.` } });
      return fn(input);
    },
    on: (event, listener) => bridge.on(event, listener),
    onState: (listener) => {
      listener('connected');
      return () => {};
    },
  };
}
