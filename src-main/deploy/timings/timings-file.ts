import { readFile } from 'node:fs/promises';
import { RunTimingsSchema, type RunTimings } from '../../../src-shared/model/run-timings';
import { writeFileAtomic } from '../../store/atomic-write';

/** In the cluster's state/ folder: the breakdown of the last finished run (a deploy or an operation). */
export const TIMINGS_FILE = 'run-timings.json';

export async function writeRunTimings(path: string, timings: RunTimings): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(timings)}\n`, 0o600);
}

/** The breakdown kept, or null when there is none (never run since timings were kept) or the file is unreadable. */
export async function readRunTimings(path: string): Promise<RunTimings | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
  const parsed = RunTimingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
