import type { LogLine } from '../../../../src-shared/contract/events';
import { call } from '../../api/client';

/** Lines kept per host in a run's log pane; the backend keeps as many. */
export const MAX_LOG_LINES = 3000;

export type HostLogs = Record<string, LogLine[]>;

/**
 * The logs with `line` added to its host's list, when it belongs to the run on screen (other runs and lines
 * without a host are not shown); the oldest lines go past MAX_LOG_LINES. Returns the same object when nothing changed.
 */
export function withRunLog(logs: HostLogs, runId: string | undefined, line: LogLine): HostLogs {
  if (!line.hostId || runId === undefined || line.taskId !== runId) return logs;
  const list = [...(logs[line.hostId] ?? []), line];
  return { ...logs, [line.hostId]: list.length > MAX_LOG_LINES ? list.slice(-MAX_LOG_LINES) : list };
}

/** The log of a host in the cluster's current or last run, asked for only when the screen has none of it yet. */
export async function missingHostLogs(
  cluster: string | undefined,
  hostId: string | undefined,
  logs: HostLogs,
): Promise<LogLine[] | undefined> {
  if (!cluster || !hostId || logs[hostId]?.length) return undefined;
  return call('deploy.logs', { cluster, hostId });
}
