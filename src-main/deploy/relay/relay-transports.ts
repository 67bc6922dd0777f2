import { randomBytes, randomInt } from 'node:crypto';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanTransfer } from '../../../src-shared/model/plan';
import { sh } from '../../ssh/shell';
import { localSha256 } from '../binaries/local-sha';
import { diskFullError, isDiskFull } from '../engine/exec-upload';
import type { HostTransport, TransportProvider, UploadProgress } from '../engine/transport';
import {
  fetchFromRelayCommand,
  installStagedCommand,
  RELAY_HEADER,
  relayNginxConf,
  stagedPath,
  startRelayCommand,
  stopRelayCommand,
} from './relay-commands';

export interface RelayRun {
  /** What the plan says: the relay host and which hosts fetch from it. */
  transfer: PlanTransfer;
  hosts: readonly Host[];
  /** A line for a host's log (the Deploy screen's). */
  log?: (hostId: string, line: string) => void;
  /** Ports tried for the relay, in order (a random free-looking port each by default). */
  ports?: () => number;
}

interface Endpoint {
  address: string;
  port: number;
}

const PORT_TRIES = 3;
/** After this many failed stagings or refused fetches the relay is given up for the run: each costs a staging upload and a fallback. */
const FETCH_FAILURES = 3;
const STOP_TIMEOUT_MS = 30_000;
const firstLine = (text: string): string => text.trim().split('\n').slice(-2).join(' ') || 'no output';

/**
 * A TransportProvider whose uploads cross this computer's link once per artifact: the plan's relay host receives
 * each artifact into a staging folder (one direct upload), serves it for the run from a transient nginx (see
 * relay-commands.ts), and the hosts on the relay route fetch it over the LAN, install it exactly as a direct upload
 * does (SHA-256 checked, atomic rename). Any failure of the relay for a file (not reachable, stopped mid-transfer,
 * other bytes) falls back to the direct upload of that file; a full disk on the fetching host is its own cause.
 * close() stops the relay and removes its config, secret and files, on success, failure and cancel alike.
 */
export function relayTransports(inner: TransportProvider, run: RelayRun): TransportProvider {
  const relayHost = run.transfer.relay && run.hosts.find((h) => h.id === run.transfer.relay!.hostId);
  if (!relayHost) return inner;
  const viaRelay = new Set(run.transfer.routes.filter((r) => r.via === 'relay').map((r) => r.hostId));
  const allow = run.hosts.filter((h) => viaRelay.has(h.id)).map((h) => h.address);
  const secret = randomBytes(32).toString('hex');
  const pickPort = run.ports ?? (() => randomInt(20_000, 60_000));
  const log = (hostId: string, line: string): void => run.log?.(hostId, line);
  const transports = new Map<string, HostTransport>();
  const innerFor = (host: Host): HostTransport => {
    let t = transports.get(host.id);
    if (!t) transports.set(host.id, (t = inner.forHost(host)));
    return t;
  };
  const relayT = innerFor(relayHost);

  let starting: Promise<Endpoint | undefined> | undefined;
  let gaveUp = false;
  let touched = false;
  let failures = 0;
  const staged = new Map<string, Promise<number>>();

  async function start(signal?: AbortSignal): Promise<Endpoint | undefined> {
    touched = true;
    for (let i = 0; i < PORT_TRIES; i++) {
      const port = pickPort();
      const conf = relayNginxConf({ address: relayHost!.address, port, allow, secret });
      const r = await relayT.exec(startRelayCommand(port).command, { stdin: Buffer.from(conf), ...(signal ? { signal } : {}) });
      if (r.code === 0) {
        log(relayHost!.id, `relay: serving this run's artifacts on ${relayHost!.address} port ${port} to ${allow.join(', ')}`);
        return { address: relayHost!.address, port };
      }
      if (r.code === 10) {
        // nginx arrives with the prepare phase: the packages before it go directly, later files try again.
        log(relayHost!.id, `relay: not started (${firstLine(r.stderr)}); files go directly until it is`);
        return undefined;
      }
      log(relayHost!.id, `relay: port ${port} did not work (${firstLine(r.stderr)})`);
    }
    gaveUp = true;
    log(relayHost!.id, 'relay: could not be started; every file goes directly');
    return undefined;
  }

  function endpoint(signal?: AbortSignal): Promise<Endpoint | undefined> {
    if (gaveUp) return Promise.resolve(undefined);
    starting ??= start(signal).then(
      (ep) => {
        if (!ep) starting = undefined;
        return ep;
      },
      (err: unknown) => {
        starting = undefined;
        throw err;
      },
    );
    return starting;
  }

  /**
   * Bytes sent from this computer by this call: the staging upload's, for the first host that asks for the file (its
   * row shows the staging upload's progress: those are the bytes it waits for).
   */
  async function stage(sha256: string, localPath: string, signal?: AbortSignal, onProgress?: UploadProgress): Promise<number> {
    const known = staged.get(sha256);
    if (known) return known.then(() => 0);
    const upload = relayT
      .upload(localPath, stagedPath(sha256), { mode: 0o644, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) })
      .then((r) => r.transferred);
    staged.set(sha256, upload);
    upload.catch(() => staged.delete(sha256));
    return upload;
  }

  function failed(): void {
    if (++failures !== FETCH_FAILURES) return;
    gaveUp = true;
    log(relayHost!.id, `relay: ${FETCH_FAILURES} transfers through it failed; the remaining files go directly`);
  }

  function forHost(host: Host): HostTransport {
    const t = innerFor(host);
    if (host.id !== relayHost!.id && !viaRelay.has(host.id)) return t;
    const upload: HostTransport['upload'] = async (localPath, remotePath, options) => {
      const { mode, signal } = options;
      const direct = (): Promise<{ transferred: number; skipped: boolean }> => t.upload(localPath, remotePath, options);
      const opts = signal ? { signal } : {};
      const sha256 = await localSha256(localPath);
      const modeText = (mode & 0o7777).toString(8).padStart(4, '0');
      // As a direct upload: nothing moves when the host already has the file.
      const p = remotePath;
      const state = await t.exec(sh`if [ -f ${p} ]; then sha256sum ${p} | cut -c1-64; stat -c %a ${p}; fi`.command, opts);
      const [remoteSha, remoteMode] = state.stdout.trim().split('\n');
      if (remoteSha === sha256) {
        if (remoteMode === undefined || parseInt(remoteMode, 8) !== (mode & 0o7777)) await t.exec(sh`chmod ${modeText} ${p}`.command, opts);
        return { transferred: 0, skipped: true };
      }
      const ep = await endpoint(signal);
      if (!ep) return direct();
      let sent: number;
      try {
        sent = await stage(sha256, localPath, signal, options.onProgress);
      } catch (err) {
        if (signal?.aborted) throw err;
        log(host.id, `${remotePath}: staging on ${relayHost!.name} failed (${(err as Error).message}); sending it directly`);
        failed();
        return direct();
      }
      const local = host.id === relayHost!.id;
      const command = local
        ? installStagedCommand({ sha256, path: remotePath, mode: modeText })
        : fetchFromRelayCommand({ relayAddress: ep.address, port: ep.port, sha256, path: remotePath, mode: modeText });
      const r = await t.exec(command.command, { ...(local ? {} : { stdin: Buffer.from(`${RELAY_HEADER}: ${secret}\n`) }), ...opts });
      if (r.code === 0) {
        log(host.id, `${remotePath}: ${local ? 'from the staged copy' : `over the LAN from ${relayHost!.name}`}, SHA-256 verified`);
        return { transferred: sent, skipped: false };
      }
      if (isDiskFull(r.stderr)) throw await diskFullError(t.exec, remotePath, host.name, opts);
      log(host.id, `${remotePath}: the relay's copy was refused (${firstLine(r.stderr)}); sending it directly`);
      failed();
      const again = await direct();
      return { transferred: sent + again.transferred, skipped: again.skipped };
    };
    return { exec: (command, o) => t.exec(command, o), upload };
  }

  return {
    forHost,
    close: async () => {
      try {
        await starting?.catch(() => undefined);
        if (touched) {
          const r = await relayT.exec(stopRelayCommand().command, { timeoutMs: STOP_TIMEOUT_MS }).catch((err: unknown) => ({
            code: -1,
            stderr: String(err),
          }));
          log(
            relayHost.id,
            r.code === 0
              ? 'relay: stopped, its files removed'
              : `relay: could not be stopped (${firstLine(r.stderr)}); the next run removes it`,
          );
        }
      } finally {
        await inner.close();
      }
    },
  };
}
