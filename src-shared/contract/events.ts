import { z } from 'zod';
import { DeployRunSchema } from '../model/deploy-run';
import { RunTimingsSchema } from '../model/run-timings';
import { UpdateStatusSchema } from './app';
import { PromptClosedSchema, PromptSchema } from './prompts';

/** Progress of anything slow the main process does (PKI generation, probes, deploy steps). */
export const ProgressEventSchema = z.object({
  taskId: z.string(),
  label: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  hostId: z.string().optional(),
  state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** One line of output from a step on a host. */
export const LogLineSchema = z.object({
  taskId: z.string(),
  hostId: z.string().optional(),
  stream: z.enum(['stdout', 'stderr', 'info']),
  line: z.string(),
  at: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/** Bytes from a host's shell, base64 so the same event travels over IPC and WebSocket. */
export const TerminalDataSchema = z.object({
  sessionId: z.string(),
  data: z.string(),
});

export const TerminalExitSchema = z.object({
  sessionId: z.string(),
  reason: z.string(),
});

export const apiEvents = {
  progress: ProgressEventSchema,
  log: LogLineSchema,
  'terminal.data': TerminalDataSchema,
  'terminal.exit': TerminalExitSchema,
  prompt: PromptSchema,
  'prompt.closed': PromptClosedSchema,
  /** The whole state of a deploy run (a row per host), after every change. */
  'deploy.run': DeployRunSchema,
  /**
   * A day-2 operation is completely done, including its work on this computer after the hosts' part (the backup's
   * copy, the inventory's new roles): the final run, as `deploy.run` last showed it or failed by that local work.
   */
  'ops.finished': DeployRunSchema,
  /** Where the time of a run that just finished went (as `deploy.timings` returns it from then on). */
  'deploy.timings': RunTimingsSchema,
  /** The app's self-update moved on (checking, downloading, ready, failed). Desktop app only. */
  'app.update': UpdateStatusSchema,
  /** The application menu asked for a screen (About, after "Check for Updates…"). Desktop app only. */
  'app.show': z.object({ screen: z.enum(['about']) }),
} as const;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<E extends EventName> = z.infer<ApiEvents[E]>;
export const EVENT_NAMES = Object.keys(apiEvents) as EventName[];
