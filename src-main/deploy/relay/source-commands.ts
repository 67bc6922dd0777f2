import { KubesmithError } from '../../../src-shared/errors';
import { isHostDownloadUrl, isSha256, type BinaryOrigin } from '../binaries/types';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { atomicWriteCommand } from '../engine/file-step';
import { sha256OfFile } from '../../ssh/host-sha256';

/** Where a host keeps what it downloaded from the binary source during a run (root only; removed at the run's end). */
export const DOWNLOAD_DIR = '/var/lib/kubesmith/download';

/** Exit codes of hostDownloadCommand, so the log can say why a host's download was not used. */
export const DOWNLOAD_EXIT = { unreachable: 20, otherBytes: 21, notInArchive: 22 } as const;

/** Short connect timeout: a host that cannot reach the source falls back to the upload quickly. */
const CONNECT_TIMEOUT_S = 5;
/** A transfer slower than 1 KiB/s for this long is cut (no overall time limit: a large binary on a slow link is fine). */
const STALL_SECONDS = 30;

function sha(value: string): string {
  if (!isSha256(value)) throw new KubesmithError('UnsafeValue', `${JSON.stringify(value)} is not a SHA-256.`);
  return value;
}

/** Only http(s) URLs of printable ASCII without blanks reach curl (and always after --url, never as an option). */
export function sourceUrl(url: string): string {
  if (!isHostDownloadUrl(url))
    throw new KubesmithError('UnsafeValue', `${JSON.stringify(url)} is not an http:// or https:// URL a host can download.`);
  return url;
}

/** curl with the source's redirects followed (GitHub releases redirect) but only to http(s). */
const curl = (url: string): Shell =>
  sh`curl -fsSL --proto =http,https --proto-redir =http,https --connect-timeout ${CONNECT_TIMEOUT_S} --speed-limit 1024 --speed-time ${STALL_SECONDS} --url ${sourceUrl(url)}`;

/** The host fetches the source's object into DOWNLOAD_DIR/<its SHA-256>, checked against the published value before it is kept. */
function fetchObject(origin: BinaryOrigin, dir: string): Shell {
  const object = `${dir}/${sha(origin.sha256)}`;
  return shJoin(
    [
      sh`mkdir -p ${dir} && chmod 700 ${dir}`,
      sh`o=${object}`,
      raw('if [ ! -f "$o" ]; then'),
      raw('  p="$o.part-$$"'),
      sh`  ${curl(origin.url)} -o "$p" || { c=$?; rm -f "$p"; echo "could not download (curl exit $c)" >&2; exit ${DOWNLOAD_EXIT.unreachable}; }`,
      sh`  [ "$(${sha256OfFile(raw('"$p"'), 'large')})" = ${origin.sha256} ] || { rm -f "$p"; echo "the source sent other bytes (SHA-256 differs from the published one)" >&2; exit ${DOWNLOAD_EXIT.otherBytes}; }`,
      raw('  mv -f "$p" "$o"'),
      raw('fi'),
    ],
    '\n',
  );
}

/**
 * A host downloads a binary from the binary source itself and installs it exactly as an upload does
 * (atomicWriteCommand: temp file beside the target, the binary's SHA-256 checked, renamed into place). What the URL
 * serves is checked first against the SHA-256 the source published (the pin the desktop checked its own copy with);
 * a binary inside an archive is then taken out of the checked archive, which stays for the archive's other binaries
 * until the run's end (cleanupDownloadsCommand); a single binary's download is removed once installed.
 * Exits DOWNLOAD_EXIT.* when the source cannot be used; wrong bytes are never installed.
 */
export function hostDownloadCommand(opts: { origin: BinaryOrigin; sha256: string; path: string; mode: string; dir?: string }): Shell {
  const dir = opts.dir ?? DOWNLOAD_DIR;
  const install = atomicWriteCommand(opts.path, sha(opts.sha256), opts.mode);
  const member = opts.origin.member;
  if (member === undefined) {
    return shJoin(
      [
        fetchObject(opts.origin, dir),
        sh`( ${install}
) < "$o"; c=$?; rm -f "$o"; exit $c`,
      ],
      '\n',
    );
  }
  // Release archives name members with or without a leading "./" (the desktop's unpacking takes either).
  const other = member.startsWith('./') ? member.slice(2) : `./${member}`;
  return shJoin(
    [
      fetchObject(opts.origin, dir),
      sh`m=${member}; tar -tzf "$o" "$m" >/dev/null 2>&1 || m=${other}`,
      sh`tar -tzf "$o" "$m" >/dev/null 2>&1 || { echo "the archive has no "${member} >&2; exit ${DOWNLOAD_EXIT.notInArchive}; }`,
      sh`tar -xzOf "$o" "$m" | ( ${install}
)`,
    ],
    '\n',
  );
}

/** Removes what the host downloaded during the run. Safe to run when there is nothing. */
export function cleanupDownloadsCommand(dir = DOWNLOAD_DIR): Shell {
  return sh`rm -rf ${dir}`;
}
