import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { SUMS_DIR, sumsKey } from './file-step';
import { sha256OfFile } from '../../ssh/host-sha256';

/**
 * The partial file of an upload sits beside its target, named by the target's SHA-256, so the retry of a cut upload
 * (a new connection, or a later Resume) finds the bytes it already has, and an upload of other bytes never takes them.
 * Sets `d` (the folder) and `t` (the partial file) in the shell.
 */
function partFile(path: string, sha256: string): Shell {
  const tag = sha256.slice(0, 16);
  // Folder and name by the shell's own expansion (paths here are absolute): no dirname or basename started.
  return shJoin([sh`p=${path}`, raw('d=${p%/*}; d=${d:-/}'), sh`t="$d/.\${p##*/}".ks-${tag}.part`], '\n');
}

/**
 * Prints `file <sha256> <mode>` when the target exists and `part <size> <sha256>` when a cut upload of these bytes
 * left its partial file.
 */
export function uploadStateCommand(path: string, sha256: string): Shell {
  const p = path;
  return shJoin(
    [
      partFile(path, sha256),
      sh`if [ -f ${p} ]; then echo "file $(${sha256OfFile(p, 'large')}) $(stat -c %a ${p})"; fi`,
      sh`if [ -f "$t" ]; then echo "part $(stat -c %s "$t") $(${sha256OfFile(raw('"$t"'), 'large')})"; fi`,
    ],
    '\n',
  );
}

export interface UploadState {
  file?: { sha256: string; mode: number };
  part?: { size: number; sha256: string };
}

export function parseUploadState(stdout: string): UploadState {
  const state: UploadState = {};
  for (const line of stdout.split('\n')) {
    const file = /^file ([0-9a-f]{64}) ([0-7]+)$/.exec(line.trim());
    if (file) state.file = { sha256: file[1]!, mode: parseInt(file[2]!, 8) };
    const part = /^part (\d+) ([0-9a-f]{64})$/.exec(line.trim());
    if (part) state.part = { size: Number(part[1]), sha256: part[2]! };
  }
  return state;
}

/** Exit code of the write when the bytes stopped before the end (a cut connection): the partial file stays. */
export const UPLOAD_INCOMPLETE = 6;
/** Exit code when the partial file no longer holds the bytes the sender starts from (it was replaced or removed). */
export const UPLOAD_PART_CHANGED = 5;

/**
 * Writes stdin after the first `offset` bytes of the partial file (0 starts afresh), then installs the result only
 * when it holds exactly `size` bytes with the expected SHA-256: chmod and rename over the target.
 *
 * Each attempt writes into a file of its own (`$w`, a new inode) and publishes it as the partial file with a hard link,
 * never writing through the partial file's name. The writer of a cut attempt lives on on the host until its session
 * ends, and the bytes the sender's kernel still held arrive when the link comes back: that writer appends to its own
 * inode only, so it can neither interleave bytes into the retry's file nor append to a file after it was installed.
 * A resumed attempt copies the checked prefix into its own file first (appends after the prefix do not change it).
 * Bytes that stop early leave the published partial file for the retry; a file of the full size with other bytes is
 * removed (the next try starts over); a write error (a full disk) removes it too, since it would only hold the space.
 */
export function resumableWriteCommand(args: { path: string; sha256: string; mode: string; offset: number; size: number }): Shell {
  const { path: p, sha256, mode, offset, size } = args;
  const dropOwn = raw('if [ "$w" -ef "$t" ]; then rm -f "$t"; fi; rm -f "$w"');
  return shJoin(
    [
      raw('set -e'),
      partFile(p, sha256),
      raw('[ -d "$d" ] || mkdir -p "$d"'),
      raw('w="$t.$$"'),
      offset === 0
        ? raw(': > "$w"')
        : sh`head -c ${offset} "$t" > "$w" 2>/dev/null || { s=$?; [ -f "$t" ] || s=${UPLOAD_PART_CHANGED}; rm -f "$w"; exit $s; }`,
      sh`[ "$(stat -c %s "$w")" = ${offset} ] || { rm -f "$w"; echo "the partial upload changed since it was checked" >&2; exit ${UPLOAD_PART_CHANGED}; }`,
      raw('ln -f "$w" "$t"'),
      shJoin([raw('cat >> "$w" || { s=$?;'), dropOwn, raw('; exit $s; }')], ' '),
      raw('n=$(stat -c %s "$w")'),
      sh`if [ "$n" -lt ${size} ]; then rm -f "$w"; echo "the upload stopped after $n of" ${size} "bytes (kept for a retry)" >&2; exit ${UPLOAD_INCOMPLETE}; fi`,
      shJoin(
        [
          sh`if [ "$n" != ${size} ] || [ "$(${sha256OfFile(raw('"$w"'), 'large')})" != ${sha256} ]; then`,
          dropOwn,
          raw('; echo "the file arrived damaged (SHA-256 differs)" >&2; exit 3; fi'),
        ],
        ' ',
      ),
      sh`chmod ${mode} "$w"`,
      // $w is this attempt's alone (no other writer holds it). A writer of an earlier, cut attempt whose session the
      // host only now ends may have installed the same checked bytes a moment before: that is the file wanted.
      sh`mv -f "$w" ${p} 2>/dev/null || [ "$(${sha256OfFile(p, 'large')})" = ${sha256} ]`,
      // The published partial file (now a second name of the installed file), partial files of other bytes for this
      // path (an older version's upload that was never retried) and the own files of cut attempts.
      raw('rm -f "$d/.${p##*/}".ks-*.part "$d/.${p##*/}".ks-*.part.*'),
      // As atomicWriteCommand: the SHA-256 just checked, for the next run's file states (best effort).
      sh`{ [ -d ${SUMS_DIR} ] && printf '%s %s\\n' "$(stat -c '%s:%i:%.9Y' ${p})" ${sha256} > ${sumsKey(p)}; } 2>/dev/null || true`,
    ],
    '\n',
  );
}
