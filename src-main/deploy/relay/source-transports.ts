import type { Host } from '../../../src-shared/model/cluster';
import type { PlanTransfer } from '../../../src-shared/model/plan';
import { localSha256 } from '../binaries/local-sha';
import type { BinaryOrigin } from '../binaries/types';
import { diskFullError, isDiskFull } from '../engine/exec-upload';
import { presentOnHost } from '../engine/present-file';
import { octalMode, type HostTransport, type TransportProvider } from '../engine/transport';
import { cleanupDownloadsCommand, DOWNLOAD_DIR, DOWNLOAD_EXIT, hostDownloadCommand } from './source-commands';

export interface SourceRun {
  /** What the plan says: which hosts download (route.downloads) and from where (source). */
  transfer: PlanTransfer;
  /** The origin recorded for a binary on this computer (undefined: it is sent as before). */
  origin: (localPath: string) => Promise<BinaryOrigin | undefined>;
  /** A line for a host's log (the Deploy screen's). */
  log?: (hostId: string, line: string) => void;
}

/**
 * curl's exit codes that mean the host cannot reach the source at all (DNS, connect, timeout, TLS handshake): its other
 * files are sent from this computer without trying again. Others (an HTTP error, a cut transfer) concern one file.
 * https://curl.se/docs/manpage.html#EXIT (6, 7, 28, 35).
 */
const UNREACHABLE_CURL = new Set([6, 7, 28, 35]);
/** After this many refused downloads a host stops downloading for the run: each costs a download and an upload. */
const FAILURES_PER_HOST = 3;
const CLEANUP_TIMEOUT_MS = 30_000;
const reason = (stderr: string): string =>
  stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-2)
    .join('; ') || 'no output';

/**
 * A TransportProvider in which the hosts the plan routes through the binary source download each binary with a
 * recorded origin themselves (hostDownloadCommand: the source's bytes checked against the published SHA-256, installed
 * exactly as an upload, nothing over this computer's link). A file the host cannot get that way (the source not
 * reachable, an HTTP error, other bytes) is sent by `inner` instead (the relay or a direct upload), and the host's log
 * says why. close() removes what the hosts downloaded.
 */
export function sourceTransports(inner: TransportProvider, run: SourceRun): TransportProvider {
  const downloading = new Set(run.transfer.routes.filter((r) => (r.downloads?.files ?? 0) > 0).map((r) => r.hostId));
  if (downloading.size === 0) return inner;
  const source = run.transfer.source ?? 'the binary source';
  const log = (hostId: string, line: string): void => run.log?.(hostId, line);
  const transports = new Map<string, HostTransport>();
  const touched = new Map<string, HostTransport>();
  /** Hosts that stopped downloading for this run, with why (logged once). */
  const stopped = new Map<string, string>();
  const failures = new Map<string, number>();

  function stop(host: Host, why: string): void {
    if (stopped.has(host.id)) return;
    stopped.set(host.id, why);
    log(host.id, `${why}: its other binaries are sent from this computer`);
  }

  function refused(host: Host): void {
    const n = (failures.get(host.id) ?? 0) + 1;
    failures.set(host.id, n);
    if (n >= FAILURES_PER_HOST) stop(host, `${n} downloads from ${source} failed on ${host.name}`);
  }

  function forHost(host: Host): HostTransport {
    let t = transports.get(host.id);
    if (!t) transports.set(host.id, (t = inner.forHost(host)));
    const it = t;
    if (!downloading.has(host.id)) return it;
    const upload: HostTransport['upload'] = async (localPath, remotePath, options) => {
      const origin = stopped.has(host.id) ? undefined : await run.origin(localPath);
      if (!origin) return it.upload(localPath, remotePath, options);
      const opts = options.signal ? { signal: options.signal } : {};
      const sha256 = await localSha256(localPath);
      const mode = octalMode(options.mode);
      // As an upload: nothing moves when the host already has the file (its mode is set right), unless the job just
      // found it lacking.
      if (!options.lacking && (await presentOnHost(it, remotePath, sha256, options.mode, opts))) return { transferred: 0, skipped: true };
      touched.set(host.id, it);
      const r = await it.exec(hostDownloadCommand({ origin, sha256, path: remotePath, mode }).command, opts);
      if (r.code === 0) {
        log(host.id, `${remotePath}: downloaded by the host from ${new URL(origin.url).host}, SHA-256 verified`);
        return { transferred: 0, skipped: false };
      }
      if (isDiskFull(r.stderr)) throw await diskFullError(it.exec, remotePath, host.name, opts);
      const why = reason(r.stderr);
      const curlExit = Number(/curl exit (\d+)/.exec(r.stderr)?.[1]);
      log(
        host.id,
        r.code === DOWNLOAD_EXIT.otherBytes
          ? `${remotePath}: ${source} sent other bytes than its published SHA-256 (${why}); nothing of them is installed, sending it from this computer`
          : `${remotePath}: the host could not download it from ${source} (${why}); sending it from this computer`,
      );
      if (r.code === DOWNLOAD_EXIT.unreachable && UNREACHABLE_CURL.has(curlExit)) stop(host, `${host.name} cannot reach ${source}`);
      else refused(host);
      return it.upload(localPath, remotePath, options);
    };
    return { exec: (command, o) => it.exec(command, o), upload };
  }

  return {
    forHost,
    close: async () => {
      try {
        await Promise.all(
          [...touched].map(async ([hostId, t]) => {
            const r = await t
              .exec(cleanupDownloadsCommand().command, { timeoutMs: CLEANUP_TIMEOUT_MS })
              .catch((err: unknown) => ({ code: -1, stderr: String(err) }));
            if (r.code !== 0) log(hostId, `the downloads in ${DOWNLOAD_DIR} could not be removed (${reason(r.stderr)})`);
          }),
        );
      } finally {
        await inner.close();
      }
    },
  };
}
