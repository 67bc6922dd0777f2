import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic-write';
import type { BinarySet } from './binaries/types';
import { COMPONENT_FILES } from './binaries/types';

/** state/deployed.json: what the hosts run after the last successful deploy or upgrade, for upgrades to start from. */
export interface DeployedRecord {
  /** The minor version of the cluster's settings (1.35). */
  kubernetesVersion: string;
  /** The release installed, as its source names it (1.35.2, or an offline bundle's label); absent in older records. */
  release?: string;
  /** SHA-256 of each kube-* program installed: a newer patch of the same minor is told apart by these. */
  programs?: Record<string, string>;
}

/** What a deploy or upgrade with these binaries leaves on the hosts. */
export function deployedRecordOf(kubernetesVersion: string, release: string, binaries: BinarySet): DeployedRecord {
  const kube = COMPONENT_FILES.kubernetes as readonly string[];
  const programs = Object.fromEntries(
    binaries.files
      .filter((f) => f.component === 'kubernetes' && kube.includes(f.name))
      .map((f) => [f.name, f.sha256])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  ) as Record<string, string>;
  return { kubernetesVersion, release, programs };
}

/** The release label of a binary set: the one its source gives (an offline bundle's versions.json), else the pinned one. */
export function releaseLabel(binaries: BinarySet, pinned: string): string {
  return binaries.versions.kubernetes ?? pinned;
}

/**
 * The plan's warning when a deploy would replace the kube-* programs the hosts run (a changed version or binary
 * source): it swaps them on every host at once, where the Operations upgrade rolls them out with drains.
 */
export function replacedByDeployWarning(deployed: DeployedRecord | undefined, next: DeployedRecord): string | undefined {
  if (!deployed?.programs) return undefined;
  const same =
    deployed.kubernetesVersion === next.kubernetesVersion &&
    Object.entries(deployed.programs).every(([name, sha]) => next.programs?.[name] === sha) &&
    Object.keys(next.programs ?? {}).length === Object.keys(deployed.programs).length;
  if (same) return undefined;
  const from = deployed.release ?? deployed.kubernetesVersion;
  const to = next.release ?? next.kubernetesVersion;
  return `The hosts run Kubernetes ${from}; this deploy replaces it with ${to} on every host at once, without draining. Operations → Upgrade does it host by host.`;
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
