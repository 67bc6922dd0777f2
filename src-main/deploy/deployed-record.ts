import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic-write';
import type { BinarySet } from './binaries/types';
import { COMPONENT_FILES } from './binaries/types';
import { RELEASES } from './versions';

/** state/deployed.json: what the hosts run after the last successful deploy or upgrade, for upgrades to start from. */
export interface DeployedRecord {
  /** The minor version of the cluster's settings (1.35). */
  kubernetesVersion: string;
  /** The release installed, as its source names it (1.35.2, or an offline bundle's label); absent in older records. */
  release?: string;
  /** SHA-256 of each kube-* program installed: a newer patch of the same minor is told apart by these. */
  programs?: Record<string, string>;
}

/**
 * What a deploy or upgrade of this minor version with these binaries leaves on the hosts. The release is named as
 * the binaries' source names it (an offline bundle's versions.json), else by Kubesmith's pin for the version.
 */
export function deployedRecordOf(kubernetesVersion: string, binaries: BinarySet): DeployedRecord {
  const kube = COMPONENT_FILES.kubernetes as readonly string[];
  const programs = Object.fromEntries(
    binaries.files
      .filter((f) => f.component === 'kubernetes' && kube.includes(f.name))
      .map((f) => [f.name, f.sha256])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  ) as Record<string, string>;
  const release = binaries.versions.kubernetes ?? RELEASES[kubernetesVersion]?.kubernetes ?? kubernetesVersion;
  return { kubernetesVersion, release, programs };
}

/** The release a record names: its label, or the minor version alone for a record from before labels were kept. */
export function releaseName(record: DeployedRecord): string {
  return record.release ?? record.kubernetesVersion;
}

/** The minor version and, when it has one, the patch number of a release label such as "v1.35.2" or "1.36 (bundle)". */
export function releaseParts(label: string): { minor: string; patch?: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(label);
  if (!m) return undefined;
  return { minor: `${m[1]}.${m[2]}`, ...(m[3] !== undefined ? { patch: Number(m[3]) } : {}) };
}

/** Whether two records hold the same kube-* programs; a record without them matches nothing. */
export function samePrograms(a: DeployedRecord, b: DeployedRecord): boolean {
  if (!a.programs || !b.programs) return false;
  const names = Object.keys(a.programs);
  return names.length === Object.keys(b.programs).length && names.every((n) => a.programs![n] === b.programs![n]);
}

/**
 * The plan's warning when a deploy would replace the kube-* programs the hosts run (a changed version or binary
 * source): it swaps them on every host at once, where the Operations upgrade rolls them out with drains.
 */
export function replacedByDeployWarning(deployed: DeployedRecord | undefined, next: DeployedRecord): string | undefined {
  if (!deployed?.programs) return undefined;
  if (deployed.kubernetesVersion === next.kubernetesVersion && samePrograms(deployed, next)) return undefined;
  return `The hosts run Kubernetes ${releaseName(deployed)}; this deploy replaces it with ${releaseName(next)} on every host at once, without draining. Operations → Upgrade does it host by host.`;
}

export async function readDeployedRecord(file: string): Promise<DeployedRecord | undefined> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw.kubernetesVersion !== 'string') return undefined;
  const programs =
    raw.programs && typeof raw.programs === 'object'
      ? Object.fromEntries(
          Object.entries(raw.programs as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : undefined;
  return {
    kubernetesVersion: raw.kubernetesVersion,
    ...(typeof raw.release === 'string' ? { release: raw.release } : {}),
    ...(programs ? { programs } : {}),
  };
}

export async function writeDeployedRecord(file: string, record: DeployedRecord): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ ...record, at: new Date().toISOString() }, null, 1)}\n`);
}
