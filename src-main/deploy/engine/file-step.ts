import { KubesmithError } from '../../../src-shared/errors';
import type { FileAction } from '../../../src-shared/model/plan';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { chooseByCommand } from './kept-answer';
import { StepFailedError } from './step-error';
import type { HostTransport, UploadProgress } from './transport';
import { hashedSizeOf, sha256AndModeOf, sha256OfFileIntoS, sha256OfFileSized, type HashedSize } from '../../ssh/host-sha256';

export interface FileResult {
  changed: boolean;
  bytes: number;
  /** The variant written, when the file has several. */
  variant?: string;
}

/**
 * Picks a variant by the output of the action's chooseBy command on the host (`said`: its output, already read by
 * the job's probe).
 */
export async function chooseVariant(
  t: HostTransport,
  action: FileAction,
  signal?: AbortSignal,
  said?: string,
): Promise<{ text?: string; sha256: string; label?: string }> {
  if (!action.chooseBy || !action.variants?.length)
    return { ...(action.text !== undefined ? { text: action.text } : {}), sha256: action.sha256 };
  const chooseBy = chooseByCommand(action) ?? action.chooseBy;
  const ask = async (): Promise<string> => {
    const r = await t.exec(chooseBy, { ...(signal ? { signal } : {}) });
    return `${r.stdout}\n${r.stderr}`.trim();
  };
  const out: string = said ?? (await ask());
  const variant = action.variants.find((v) => new RegExp(v.match).test(out));
  if (!variant) {
    throw new KubesmithError(
      'NoMatchingVariant',
      `${action.path}: none of the known variants fits this host ("${action.chooseBy}" said: ${out.split('\n')[0] || 'nothing'}).`,
      'The installed software is a version Kubesmith does not know; check the binaries phase.',
    );
  }
  return { ...(variant.text !== undefined ? { text: variant.text } : {}), sha256: variant.sha256, label: variant.label };
}

/** `<sha256> <mode>` of a remote file, or undefined when it does not exist. */
async function remoteState(t: HostTransport, path: string, signal?: AbortSignal): Promise<{ sha256: string; mode: string } | undefined> {
  const r = await t.exec(sha256AndModeOf(path, 'small').command, signal ? { signal } : {});
  if (r.code !== 0) throw new StepFailedError(`Checking ${path}`, 'sha256sum', r.code, r.stderr, r.stdout);
  const [sha256, mode] = r.stdout.trim().split('\n');
  return sha256 && mode ? { sha256, mode } : undefined;
}

const normalMode = (mode: string): string => String(parseInt(mode, 8).toString(8));

/** The umask a file is created under: its mode where it has no execute or special bits, else 077 (then a chmod). */
export function umaskFor(mode: string): string {
  const octal = parseInt(mode, 8);
  return (octal & 0o7111) === 0 ? (~octal & 0o777).toString(8).padStart(3, '0') : '077';
}

/** Gives `target` its mode unless `l` (a `stat -c '%a …'` line) says it has it already: no chmod where the umask made it. */
export function chmodUnlessL(mode: string, target: string | Shell): Shell {
  return sh`[ "\${l%% *}" = ${normalMode(mode)} ] || chmod ${mode} ${target}`;
}

/**
 * Records a file's SHA-256 under the size, inode and mtime that follow the mode in `l` (`stat -c '%a %s:%i:%.9Y'`),
 * for the next run's file states (see SUMS_DIR; fileStates makes the folder on a deploy's hosts): best effort, and
 * nothing is written where no deploy checked files.
 */
export function recordFromL(path: string, sha256: string, sumsDir = SUMS_DIR): Shell {
  return sh`{ [ -d ${sumsDir} ] && printf '%s %s\\n' "\${l#* }" ${sha256} > ${sumsKey(path, sumsDir)}; } 2>/dev/null || true`;
}

/**
 * Writes stdin to a path atomically: into a temp file beside it, checked against the expected SHA-256, then renamed
 * over the target. A failure (disk full, lost connection, bytes cut short) removes the temp file and leaves the old
 * file untouched.
 *
 * Written for the fewest processes, since each one started is about 2 ms of a small host's CPU and a deploy writes
 * some forty files per host (a 24-host run started 19,000 processes, a third of them here): `cat` writes the file
 * (created with its mode through the umask where the mode has no execute bit), the hasher reads it back, one `stat`
 * gives the mode to check and the record for the next run's file states, and `mv` installs it — five processes with
 * the shell, against nine when `tee` fed the hasher through pipes with `cut` after it. Reading the file back costs
 * one copy from the page cache, fewer than `tee`'s two pipes. Measured on this project's machine: a small file 15 →
 * 11 ms of CPU per write (the shell's own start included), 100 MiB 0.30 → 0.20 CPU-s. The temp file of a secret is
 * created with the secret's mode, never readable by others for a moment before a chmod.
 */
export function atomicWriteCommand(path: string, sha256: string, mode: string, size: HashedSize = 'large'): Shell {
  const p = path;
  const umask = umaskFor(mode);
  return shJoin(
    [
      raw('set -e'),
      // Folder and name by the shell's own expansion (paths here are absolute), no dirname or basename.
      sh`p=${p}`,
      raw('d=${p%/*}; d=${d:-/}'),
      raw('[ -d "$d" ] || mkdir -p "$d"'),
      raw('t="$d/.${p##*/}.ks-$$.tmp"'),
      raw(`trap 'rm -f "$t"' EXIT`),
      // A failed write (disk full) ends the script here with cat's message; bytes cut short fail the SHA-256 below.
      sh`(umask ${umask} && exec cat > "$t")`,
      sha256OfFileIntoS(raw('"$t"'), size),
      sh`[ "\${s%% *}" = ${sha256} ] || { echo "the file arrived damaged (SHA-256 differs)" >&2; exit 3; }`,
      // Mode, then size, inode and nanosecond mtime: a rename keeps the last three, the record's key.
      raw(`l=$(stat -c '%a %s:%i:%.9Y' "$t")`),
      chmodUnlessL(mode, raw('"$t"')),
      sh`mv -f "$t" ${p}`,
      raw('trap - EXIT'),
      // The SHA-256 just checked.
      recordFromL(path, sha256),
    ],
    '\n',
  );
}

export type FileState = { sha256: string; mode: string } | undefined;

/**
 * The SHA-256 of each file the deploy checked, keyed by size, inode and nanosecond mtime (rsync's quick check; a
 * rewrite or rename always changes the inode or the mtime): an unchanged 100 MB binary is not read again on every
 * run.
 */
export const SUMS_DIR = '/var/lib/kubesmith/sums';

/**
 * SHA-256 and mode of many files in one command, so an unchanged host costs one round trip per job
 * instead of one per file.
 */
export async function fileStates(
  t: HostTransport,
  paths: string[],
  signal?: AbortSignal,
  sumsDir = SUMS_DIR,
): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  if (paths.length === 0) return out;
  const r = await t.exec(fileStatesScript(paths, sumsDir).command, signal ? { signal } : {});
  const lines = r.stdout.split('\n');
  if (r.code !== 0 || !lines.includes(FILE_STATES_END)) return out;
  for (const line of lines) {
    const m = /^(\S+) (\S+) (.+)$/.exec(line);
    if (m) out.set(m[3]!, m[1] === '-' ? undefined : { sha256: m[1]!, mode: m[2]! });
  }
  // A complete answer: a path it does not name does not exist on the host.
  for (const p of paths) if (!out.has(p)) out.set(p, undefined);
  return out;
}

/** Where the SHA-256 record of a path lives: the path with every `/` as `%`, in one folder. */
export const sumsKey = (path: string, sumsDir = SUMS_DIR): string => `${sumsDir}/${path.replace(/\//g, '%')}`;

/** The last line of the file-states command: without it, the answer was cut short and says nothing. */
export const FILE_STATES_END = 'ks-states-end';

/**
 * Prints `<sha256> <mode> <path>` (or `- - <path>`) per file, hashing only files changed since their last check,
 * then FILE_STATES_END. One `stat` for every file at once, each of its lines read by the shell, the record's name
 * (sumsKey) made by the shell from the path and the record read by `read`: a master checks some sixty-five files,
 * and each process not started saves about 2 ms of its CPU (a `stat` per file was 130 of the 150 ms this command
 * cost a master on an unchanged re-run). A path `stat` does not print does not exist. Paths hold no newline (plan
 * paths, see layout.ts).
 */
export function fileStatesScript(paths: readonly string[], sumsDir = SUMS_DIR): Shell {
  return shJoin(
    [
      sh`[ -d ${sumsDir} ] || mkdir -p ${sumsDir} 2>/dev/null`,
      // sumsKey: every "/" of the path as "%".
      raw('ks_key() { q=$1; r=; while :; do case $q in */*) r=$r${q%%/*}%; q=${q#*/};; *) r=$r$q; break;; esac; done; }'),
      sh`stat -c '%s:%i:%.9Y %a %n' -- ${[...paths]} 2>/dev/null | while IFS= read -r l; do`,
      raw('  meta=${l%% *}; l=${l#* }; mode=${l%% *}; p=${l#* }'),
      raw(`  if [ ! -f "$p" ]; then printf -- '- - %s\\n' "$p"; continue; fi`),
      sh`  ks_key "$p"; k=${sumsDir}/$r`,
      raw('  rec=; [ -f "$k" ] && read -r rec < "$k"'),
      shJoin(
        [
          raw('  if [ -n "$rec" ] && [ "${rec% *}" = "$meta" ]; then sum=${rec##* }; else'),
          sh`sum=$(${sha256OfFileSized(raw('"$p"'), raw('"${meta%%:*}"'))});`,
          raw('printf \'%s %s\\n\' "$meta" "$sum" > "$k" 2>/dev/null; fi'),
        ],
        ' ',
      ),
      raw('  printf \'%s %s %s\\n\' "$sum" "$mode" "$p"'),
      raw('done'),
      sh`echo ${FILE_STATES_END}`,
    ],
    '\n',
  );
}

export async function ensureFile(
  t: HostTransport,
  title: string,
  action: FileAction,
  signal?: AbortSignal,
  known?: { state: FileState; chosen?: string },
  onProgress?: UploadProgress,
): Promise<FileResult> {
  const opts = signal ? { signal } : {};
  if (
    action.localPath &&
    known?.state &&
    known.state.sha256 === action.sha256 &&
    normalMode(known.state.mode) === normalMode(action.mode)
  ) {
    return { changed: false, bytes: 0 };
  }
  if (action.localPath) {
    const lacking = known !== undefined && known.state?.sha256 !== action.sha256;
    const r = await t.upload(action.localPath, action.path, {
      mode: parseInt(action.mode, 8),
      ...(lacking ? { lacking } : {}),
      ...opts,
      ...(onProgress ? { onProgress } : {}),
    });
    return { changed: !r.skipped, bytes: r.transferred };
  }
  const chosen = await chooseVariant(t, action, signal, known?.chosen);
  if (chosen.text === undefined) throw new Error(`file step ${action.path} has no content`);
  const variant = chosen.label !== undefined ? { variant: chosen.label } : {};
  const state = known ? known.state : await remoteState(t, action.path, signal);
  if (state && state.sha256 === chosen.sha256) {
    if (normalMode(state.mode) === normalMode(action.mode)) return { changed: false, bytes: 0, ...variant };
    const r = await t.exec(sh`chmod ${action.mode} ${action.path}`.command, opts);
    if (r.code !== 0) throw new StepFailedError(title, `chmod ${action.mode} ${action.path}`, r.code, r.stderr, r.stdout);
    return { changed: true, bytes: 0, ...variant };
  }
  const bytes = Buffer.from(chosen.text);
  const command = atomicWriteCommand(action.path, chosen.sha256, action.mode, hashedSizeOf(Buffer.byteLength(chosen.text)));
  const r = await t.exec(command.command, { stdin: bytes, ...opts });
  if (r.code !== 0) throw writeFailure(title, action.path, r);
  return { changed: true, bytes: bytes.length, ...variant };
}

/** Why writing a file failed: a full disk, or the write command's own exit and words. */
export function writeFailure(title: string, path: string, r: { code: number | null; stderr: string; stdout: string }): KubesmithError {
  if (/No space left on device|Disk quota exceeded/.test(r.stderr)) {
    return new KubesmithError(
      'DiskFull',
      `The disk holding ${path} is full; the file was not written (the old one, if any, is untouched).`,
      'Free some space on the host, then Retry step.',
      { path },
    );
  }
  return new StepFailedError(title, `write ${path}`, r.code, r.stderr, r.stdout);
}
