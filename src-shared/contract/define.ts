import type { z } from 'zod';
import type { ApiError } from '../errors';

/** One call of the API: what the renderer sends and what it gets back. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodDef<I, O> {
  return { input, output };
}

/** Every call answers with data, never a thrown exception: errors cross the transport intact. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
