import type { FileAction, PlanStep } from '../../../src-shared/model/plan';
import { hashedSizeOf } from '../../ssh/host-sha256';
import { sh, shJoin, type Shell } from '../../ssh/shell';
import { atomicWriteCommand, writeFailure } from './file-step';
import type { HostSnapshot } from './job-snapshot';
import type { HostTransport } from './transport';

/** A text file of the plan with nothing to choose on the host: what a batch can write. */
export const isPlainText = (s: PlanStep): s is PlanStep & { action: FileAction & { text: string } } =>
  s.action.kind === 'file' && s.action.localPath === undefined && s.action.chooseBy === undefined && s.action.text !== undefined;

/**
 * Whether the job's snapshot found this plain text file missing or different: it is written whatever the job did
 * since (job.ts), so such files in a row can go in one command.
 */
export const mustWrite = (s: PlanStep, known: HostSnapshot): boolean =>
  isPlainText(s) && known.files.has(s.action.path) && known.files.get(s.action.path)?.sha256 !== s.action.sha256;

/**
 * Whether the job's snapshot found the bytes of this artifact missing on the host: like mustWrite, it is sent whatever
 * the job did since, so such artifacts in a row can go to the transport together.
 */
export const mustUpload = (s: PlanStep, known: HostSnapshot): boolean =>
  s.action.kind === 'file' &&
  s.action.localPath !== undefined &&
  known.files.has(s.action.path) &&
  known.files.get(s.action.path)?.sha256 !== s.action.sha256;

/** Printed after each file of a batch is in place. */
export const WROTE = 'ks-wrote';

/**
 * Several text files in one command: each exactly as atomicWriteCommand writes one (temp file, SHA-256 checked,
 * renamed), reading its own bytes of stdin in order, then `ks-wrote <i>`. The first failure ends the command: the
 * files before it are in place, the rest untouched.
 */
export function writeBatchCommand(files: ReadonlyArray<{ path: string; sha256: string; mode: string; bytes: number }>): Shell {
  return shJoin(
    files.flatMap((f, i) => [atomicWriteCommand(f.path, f.sha256, f.mode, hashedSizeOf(f.bytes), f.bytes), sh`echo ${`${WROTE} ${i}`}`]),
    '\n',
  );
}

/** How many files in a row, from the first, a batch's output says are in place (its `ks-wrote <i>` lines). */
export function writtenCount(stdout: string): number {
  const written = new Set([...stdout.matchAll(new RegExp(`^${WROTE} (\\d+)$`, 'gm'))].map((m) => Number(m[1])));
  let n = 0;
  while (written.has(n)) n++;
  return n;
}

/** How a batch went: the files written (the first `written`, in order) and the failure of the next one, if any. */
export interface BatchOutcome {
  written: number;
  error?: unknown;
}

/** Writes the files (plain text steps) in one round trip. Connection errors are thrown; a failed write is the outcome. */
export async function writeBatch(t: HostTransport, steps: readonly PlanStep[], signal?: AbortSignal): Promise<BatchOutcome> {
  const files = steps.filter(isPlainText).map((s) => ({ step: s, bytes: Buffer.from(s.action.text) }));
  if (files.length !== steps.length) throw new Error('a write batch takes plain text file steps only');
  const command = writeBatchCommand(
    files.map(({ step, bytes }) => ({ path: step.action.path, sha256: step.action.sha256, mode: step.action.mode, bytes: bytes.length })),
  );
  const r = await t.exec(command.command, { stdin: Buffer.concat(files.map((f) => f.bytes)), ...(signal ? { signal } : {}) });
  const n = writtenCount(r.stdout);
  if (r.code === 0 && n === files.length) return { written: n };
  const failed = files[Math.min(n, files.length - 1)]!.step;
  return { written: n, error: writeFailure(failed.title, failed.action.path, r) };
}
