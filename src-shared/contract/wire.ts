import { z } from 'zod';
import { ApiErrorSchema } from '../errors';

/** Browser mode's WebSocket frames. Electron IPC carries the same request and result shapes. */
export const WireRequestSchema = z.object({
  type: z.literal('call'),
  id: z.number().int(),
  method: z.string(),
  input: z.unknown(),
});
export type WireRequest = z.infer<typeof WireRequestSchema>;

export const WireResultSchema = z.object({
  type: z.literal('result'),
  id: z.number().int(),
  result: z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ApiErrorSchema })]),
});
export type WireResult = z.infer<typeof WireResultSchema>;

export const WireEventSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});
export type WireEvent = z.infer<typeof WireEventSchema>;

/** IPC channel names, derived from the contract so no other channel can exist. */
export const ipcCallChannel = (method: string): string => `ks:call:${method}`;
export const ipcEventChannel = (event: string): string => `ks:event:${event}`;
