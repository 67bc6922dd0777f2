import type { FileAction, PlanStep } from '../../../src-shared/model/plan';
import { randomBytes } from 'node:crypto';
import { KubesmithError } from '../../../src-shared/errors';
import { hashedSizeOf, sha256OfFilesIntoS } from '../../ssh/host-sha256';
import { raw, sh, shellQuote, shJoin, type Shell } from '../../ssh/shell';
import { chmodUnlessL, recordFromL, SUMS_DIR, umaskFor, writeFailure } from './file-step';
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
 * The temp file a batch writes a file into: hidden, beside its target (the rename stays on one file system), named
 * with a token of the batch's so two runs never share one. Plan paths are absolute.
 */
export function tempBeside(path: string, token: string): string {
  if (!path.startsWith('/') || !/^[0-9a-f]{8,32}$/.test(token))
    throw new KubesmithError('UnsafeValue', `${JSON.stringify(path)} cannot take a temp file.`);
  const cut = path.lastIndexOf('/');
  return `${path.slice(0, cut + 1)}.${path.slice(cut + 1)}.ks-${token}.tmp`;
}

/**
 * How a batch of files begins: stop at the first failure, make the targets' missing folders (one `mkdir` for all, none
 * when they exist), remove every temp file not yet renamed when the script ends, and keep a line break in `$nl`.
 */
export function batchPrologue(paths: readonly string[], temps: readonly string[]): Shell {
  const dirs = [...new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/')) || '/'))];
  return shJoin(
    [
      raw('set -e'),
      sh`${shJoin(
        dirs.map((d) => sh`[ -d ${d} ]`),
        ' && ',
      )} || mkdir -p ${dirs}`,
      sh`trap ${`rm -f ${temps.map(shellQuote).join(' ')}`} EXIT`,
      raw(`nl='\n'`),
    ],
    '\n',
  );
}

/**
 * Ends a batch (exit 3, naming the file) unless `s` (sha256OfFilesIntoS over the batch's temp files) has the line
 * `<sha256> *<temp>`. `$nl` holds a line break (batchPrologue).
 */
export function checkSumInS(f: { path: string; sha256: string; temp: string }): Shell {
  return sh`case "$nl$s$nl" in *${`\n${f.sha256} *${f.temp}\n`}*) ;; *) echo ${`${f.path}: the file arrived damaged (SHA-256 differs)`} >&2; exit 3;; esac`;
}

/**
 * Sets `k` to one `stat` line per temp file in one process: mode, then size, inode and nanosecond mtime (a rename keeps
 * the last three, the key of the record fileStates reads), then the name.
 */
export function statIntoK(temps: readonly string[]): Shell {
  return sh`k=$(exec stat -c '%a %s:%i:%.9Y %n' ${temps}); k="$nl$k"`;
}

/** Sets `l` to the temp file's line of `k` without its name, by parameter expansion: what comes before " <temp>". */
export function statLineIntoL(temp: string): Shell {
  return sh`l=\${k%%${` ${temp}\n`}*}; [ "$l" != "$k" ] || l=\${k%${` ${temp}`}}; l=\${l##*"$nl"}`;
}

/**
 * Several text files in one command, each written as atomicWriteCommand writes one (temp file created with its mode,
 * SHA-256 checked, mode checked, renamed, recorded for the next run's file states), reading its own bytes of stdin in
 * order, then `ks-wrote <i>`. The first failure ends the command: the files before it are in place, the rest untouched.
 * One hasher and one `stat` serve every file, the shell finding each file's line in their answers: a file costs its
 * `head` and its `mv`, where a file written on its own started those, the hasher and `stat` (a master writes some
 * forty text files in a first run).
 */
export function writeBatchCommand(
  files: ReadonlyArray<{ path: string; sha256: string; mode: string; bytes: number }>,
  token: string,
  sumsDir = SUMS_DIR,
): Shell {
  const temps = files.map((f) => tempBeside(f.path, token));
  const large = files.some((f) => hashedSizeOf(f.bytes) === 'large');
  return shJoin(
    [
      batchPrologue(
        files.map((f) => f.path),
        temps,
      ),
      // A failed write (disk full) ends the script here with head's message; bytes cut short fail the SHA-256 below.
      ...files.map((f, i) => sh`(umask ${umaskFor(f.mode)} && exec head -c ${f.bytes} > ${temps[i]!})`),
      sha256OfFilesIntoS(temps, large ? 'large' : 'small'),
      statIntoK(temps),
      ...files.map((f, i) =>
        shJoin(
          [
            checkSumInS({ ...f, temp: temps[i]! }),
            statLineIntoL(temps[i]!),
            chmodUnlessL(f.mode, temps[i]!),
            sh`mv -f ${temps[i]!} ${f.path}`,
            sh`echo ${`${WROTE} ${i}`}`,
            recordFromL(f.path, f.sha256, sumsDir),
          ],
          '\n',
        ),
      ),
      raw('trap - EXIT'),
    ],
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
    randomBytes(6).toString('hex'),
  );
  const r = await t.exec(command.command, { stdin: Buffer.concat(files.map((f) => f.bytes)), ...(signal ? { signal } : {}) });
  const n = writtenCount(r.stdout);
  if (r.code === 0 && n === files.length) return { written: n };
  const failed = files[Math.min(n, files.length - 1)]!.step;
  return { written: n, error: writeFailure(failed.title, failed.action.path, r) };
}
