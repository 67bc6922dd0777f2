import { z } from 'zod';

/** The one error shape that crosses the API: what went wrong, in words a person can act on. */
export const ApiErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** Extra structured facts (which host, which field), never secrets. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/**
 * An error meant for the user. Main-side code throws these; the API layer sends
 * name, message and hint across intact, and the renderer shows them as they are.
 */
export class KubesmithError extends Error {
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(name: string, message: string, hint?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = name;
    this.hint = hint;
    this.details = details;
  }

  toApiError(): ApiError {
    return {
      name: this.name,
      message: this.message,
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/** Turns anything thrown into the API error shape, without leaking a stack trace. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof KubesmithError) return err.toApiError();
  if (err instanceof Error) {
    return {
      name: err.name === 'Error' ? 'InternalError' : err.name,
      message: err.message,
      hint: 'This is unexpected. The main-process log has the details.',
    };
  }
  return { name: 'InternalError', message: String(err) };
}
