import type { MethodInput, MethodName, MethodOutput } from '../../../src-shared/contract/api';
import type { EventName, EventPayload } from '../../../src-shared/contract/events';
import type { ApiError } from '../../../src-shared/errors';
import { preloadTransport, type PreloadBridge, type Transport } from './transport';
import { webSocketTransport } from './ws-transport';

/** An API error as the main side sent it: name, message and hint, shown to the user as they are. */
export class ApiCallError extends Error {
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
    this.name = apiError.name;
    this.hint = apiError.hint;
    this.details = apiError.details;
  }
}

function pickTransport(): Transport {
  const bridge = (window as unknown as { kubesmith?: PreloadBridge }).kubesmith;
  if (bridge) return preloadTransport(bridge);
  const wsUrl = new URL('api', window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.search = '';
  wsUrl.hash = '';
  return webSocketTransport(wsUrl.toString());
}

let picked: Transport | undefined;

/** The transport, picked on first use so modules that only import `call` can load (and be tested) without a window. */
export function transport(): Transport {
  picked ??= pickTransport();
  return picked;
}

export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await transport().call(method, input);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value as MethodOutput<M>;
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return transport().on(event, listener as (payload: unknown) => void);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiCallError) return err.apiError;
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}
