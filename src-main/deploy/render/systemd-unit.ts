import { systemdCommandLine, systemdText, systemdUnitName } from './systemd-escape';

export interface UnitSpec {
  description: string;
  documentation?: string;
  after?: string[];
  wants?: string[];
  requires?: string[];
  type?: 'simple' | 'notify' | 'forking' | 'oneshot';
  /** The program (an absolute path), then one argument per item: each is escaped as one word (systemd-escape.ts). */
  execStart: string[];
  /** Command lines, each as execStart; the program may carry systemd's "-" prefix (a failure is ignored). */
  execStartPre?: string[][];
  /** Read when present (a leading "-" in the unit): variables the program takes from its environment. */
  environmentFile?: string;
  restart?: 'always' | 'on-failure' | 'no';
  limitNoFile?: number;
  /** No per-unit process, core-size or task limits (containerd's upstream unit: they are accounted per container). */
  unlimitedTasks?: boolean;
  delegate?: boolean;
  killMode?: 'process';
  oomScoreAdjust?: number;
  workingDirectory?: string;
}

/**
 * A systemd unit file; ExecStart is one argument per line so diffs show which flag changed. Every value goes through
 * systemd-escape.ts: arguments reach the program as given, and a value a unit cannot hold is refused.
 */
export function renderUnit(spec: UnitSpec): string {
  const lines = [
    '# Written by Kubesmith; changes here are overwritten on the next deploy.',
    '[Unit]',
    `Description=${systemdText(spec.description)}`,
  ];
  if (spec.documentation) lines.push(`Documentation=${systemdText(spec.documentation)}`);
  if (spec.after?.length) lines.push(`After=${spec.after.map(systemdUnitName).join(' ')}`);
  if (spec.wants?.length) lines.push(`Wants=${spec.wants.map(systemdUnitName).join(' ')}`);
  if (spec.requires?.length) lines.push(`Requires=${spec.requires.map(systemdUnitName).join(' ')}`);
  lines.push('', '[Service]');
  lines.push(`Type=${spec.type ?? 'simple'}`);
  if (spec.environmentFile) lines.push(`EnvironmentFile=-${systemdText(spec.environmentFile)}`);
  if (spec.workingDirectory) lines.push(`WorkingDirectory=${systemdText(spec.workingDirectory)}`);
  for (const pre of spec.execStartPre ?? []) lines.push(`ExecStartPre=${systemdCommandLine(pre)}`);
  lines.push(`ExecStart=${systemdCommandLine(spec.execStart, ' \\\n  ')}`);
  if (spec.restart === 'no') lines.push('Restart=no');
  else lines.push(`Restart=${spec.restart ?? 'always'}`, 'RestartSec=5');
  if (spec.limitNoFile) lines.push(`LimitNOFILE=${spec.limitNoFile}`);
  if (spec.unlimitedTasks) lines.push('LimitNPROC=infinity', 'LimitCORE=infinity', 'TasksMax=infinity');
  if (spec.delegate) lines.push('Delegate=yes');
  if (spec.killMode) lines.push(`KillMode=${spec.killMode}`);
  if (spec.oomScoreAdjust !== undefined) lines.push(`OOMScoreAdjust=${spec.oomScoreAdjust}`);
  lines.push('', '[Install]', 'WantedBy=multi-user.target', '');
  return lines.join('\n');
}

/** The ExecStart command line of a rendered unit, continuation lines joined. */
export function execStartOf(unitText: string): string {
  const match = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unitText);
  return (match?.[1] ?? '').replace(/\s*\\\n\s*/g, ' ');
}
