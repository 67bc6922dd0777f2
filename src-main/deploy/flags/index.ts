import { KubesmithError } from '../../../src-shared/errors';
import type { FlagComponent, FlagList } from './common';
import { flags as v134 } from './1.34';
import { flags as v135 } from './1.35';
import { flags as v136 } from './1.36';
import { flags as v137 } from './1.37';

export { FLAG_COMPONENTS, type FlagComponent, type FlagList } from './common';

export const FLAGS_BY_VERSION: Record<string, FlagList> = { '1.34': v134, '1.35': v135, '1.36': v136, '1.37': v137 };

export function flagsFor(version: string): FlagList {
  const list = FLAGS_BY_VERSION[version];
  if (!list) {
    throw new KubesmithError(
      'UnsupportedVersion',
      `Kubernetes ${version} is not supported.`,
      `Pick one of ${Object.keys(FLAGS_BY_VERSION).join(', ')}.`,
    );
  }
  return list;
}

/** A flag as a unit's command line carries it: `--name=value`. */
export type Flag = readonly [name: string, value: string | number | boolean];

/**
 * Renders flags for a component, refusing any flag the target version does not have: a typo or a
 * removed flag fails the plan on this computer instead of crash-looping the unit on every host.
 */
export function renderFlags(version: string, component: FlagComponent, flags: readonly Flag[]): string[] {
  const known = new Set(flagsFor(version)[component]);
  const unknown = flags.map(([name]) => name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new KubesmithError(
      'UnknownFlag',
      `${component} ${version} has no flag ${unknown.map((n) => `--${n}`).join(', ')}.`,
      'The flag was removed or renamed in this Kubernetes version; this is a bug in Kubesmith.',
      { component, version, flags: unknown },
    );
  }
  return flags.map(([name, value]) => `--${name}=${String(value)}`);
}

/** Flags found on an ExecStart line, for tests that hold rendered units against the version's list. */
export function flagsOnCommandLine(execStart: string): string[] {
  return [...execStart.matchAll(/(?:^|\s)--([a-z0-9-]+)(?==|\s|$)/g)].map((m) => m[1] ?? '');
}
