import { z } from 'zod';
import { apiMethods, isMethodName, type ApiMethods, type MethodName } from '../../src-shared/contract/api';
import type { ApiResult } from '../../src-shared/contract/define';
import { toApiError } from '../../src-shared/errors';

export type Handler<M extends MethodName> = (input: z.output<ApiMethods[M]['input']>) => Promise<z.input<ApiMethods[M]['output']>>;
export type Handlers = { [M in MethodName]: Handler<M> };
export type Dispatch = (method: unknown, payload: unknown) => Promise<ApiResult<unknown>>;

/**
 * The single entry point both transports call. Unknown methods and payloads that
 * do not match the contract are refused before any handler runs.
 */
export function createDispatcher(handlers: Handlers, log: (msg: string) => void = () => {}): Dispatch {
  return async (method, payload) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: {
          name: 'UnknownMethod',
          message: `The API has no call named "${String(method)}".`,
          hint: 'The app and its backend may be different versions; restart the app.',
        },
      };
    }
    const def = apiMethods[method];
    const parsed = def.input.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          name: 'InvalidRequest',
          message: `The request for ${method} was not valid: ${describeIssues(parsed.error)}`,
          hint: 'Check the values you entered.',
          details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
        },
      };
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      const value = def.output.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (err) {
      const error = toApiError(err);
      if (error.name === 'InternalError') log(`${method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { ok: false, error };
    }
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
