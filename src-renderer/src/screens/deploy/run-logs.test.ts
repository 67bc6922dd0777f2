import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../src-shared/contract/events';
import { MAX_LOG_LINES, withRunLog } from './run-logs';

const line = (n: number, over: Partial<LogLine> = {}): LogLine => ({
  taskId: 'r1',
  hostId: 'h1',
  stream: 'stdout',
  line: `l${n}`,
  at: '',
  ...over,
});

describe('withRunLog', () => {
  it("adds a line of the run on screen to its host's list, keeping the newest lines only", () => {
    let logs = {};
    for (let i = 0; i < MAX_LOG_LINES + 5; i++) logs = withRunLog(logs, 'r1', line(i));
    const h1 = (logs as Record<string, LogLine[]>).h1!;
    expect(h1).toHaveLength(MAX_LOG_LINES);
    expect(h1[0]!.line).toBe('l5');
    expect(h1.at(-1)!.line).toBe(`l${MAX_LOG_LINES + 4}`);
  });

  it('leaves the logs as they are for another run, no run, or a line without a host', () => {
    const logs = { h1: [line(1)] };
    expect(withRunLog(logs, 'r2', line(2))).toBe(logs);
    expect(withRunLog(logs, undefined, line(2))).toBe(logs);
    expect(withRunLog(logs, 'r1', line(2, { hostId: undefined }))).toBe(logs);
  });
});
