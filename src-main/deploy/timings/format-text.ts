import { slowestFirst, type RunTimings, type TimingFigures } from '../../../src-shared/model/run-timings';

const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const figures = (f: TimingFigures): string[] => [
  seconds(f.wallMs),
  seconds(f.remoteMs),
  seconds(f.waitMs),
  seconds(f.localMs),
  bytes(f.bytes),
  String(f.roundTrips),
];

/** Columns aligned: the first `textColumns` to the left (names), the rest (figures) to the right. */
function table(header: string[], rows: string[][], textColumns = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const FIGURES = ['wall', 'on hosts', 'waiting', 'local', 'sent', 'commands'];

/**
 * A run's breakdown as text (the bench prints it beside its totals): phases in the order they ran, the slowest
 * steps, and every host, slowest first. "waiting" is for an SSH connection or channel, "local" work on this computer.
 */
export function formatRunTimings(t: RunTimings, slowestSteps = 10): string {
  const head = `where the time went: ${t.operation ?? 'deploy'} of ${t.cluster}, ${seconds(t.totalMs)} in all; plan built in ${seconds(t.beforeRun.wallMs)} (${seconds(t.beforeRun.localMs)} on this computer); ${t.stepCount} steps`;
  const phases = table(
    ['phase', ...FIGURES, 'hosts'],
    t.phases.map((p) => [p.phase, ...figures(p), String(p.hosts)]),
  );
  const steps = table(
    ['slowest steps', 'host', 'phase', ...FIGURES],
    slowestFirst(t.steps)
      .slice(0, slowestSteps)
      .map((s) => [s.title, s.hostName, s.phase, ...figures(s)]),
    3,
  );
  const hosts = table(
    ['host (slowest first)', 'busy', 'on hosts', 'waiting', 'local', 'sent', 'commands', 'idle'],
    slowestFirst(t.hosts).map((h) => [h.hostName, ...figures(h), seconds(h.idleMs)]),
  );
  const note = '(on hosts, waiting, local and sent are summed over the hosts and the steps that ran at once)';
  return [head, note, '', ...phases, '', ...steps, '', ...hosts].join('\n');
}
