import { randomBytes } from 'node:crypto';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanTransfer } from '../../../src-shared/model/plan';
import { localSha256 } from '../binaries/local-sha';
import { diskFullError, isDiskFull } from '../engine/exec-upload';
import { presentOnHost } from '../engine/present-file';
import { isConnectionLoss } from '../engine/step-error';
import {
  octalMode,
  type HostTransport,
  type LackingUpload,
  type TransportProvider,
  type UploadOutcome,
  type UploadProgress,
} from '../engine/transport';
import { tempBeside, writtenCount } from '../engine/write-batch';
import { fetchBatchCommand, stagedBatchCommand, relayFetchConfig, type BatchFetch } from './fetch-batch';
import {
  fetchFromRelayCommand,
  installStagedCommand,
  randomRelayPort,
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
  /** Ports tried for the relay, in order (randomRelayPort by default). */
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
/** Staging uploads started ahead of the hosts' requests at once: two keep the link busy across a file's own round trips. */
const PREFETCH = 2;

interface Staging {
  /** Bytes sent to the relay host for the file. */
  upload: Promise<number>;
  /** A host was told those bytes (the first to ask), so the run counts them once. */
  claimed: boolean;
}
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
  const pickPort = run.ports ?? randomRelayPort;
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
  const staged = new Map<string, Staging>();

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
   * Bytes sent from this computer for the file, told to the first host that asks for it (it waits for those bytes; its
   * row shows the staging upload's progress when its request started the staging).
   */
  async function stage(sha256: string, localPath: string, signal?: AbortSignal, onProgress?: UploadProgress): Promise<number> {
    const known = staged.get(sha256);
    if (known) {
      const bytes = await known.upload;
      if (known.claimed) return 0;
      known.claimed = true;
      return bytes;
    }
    const entry: Staging = { upload: stagingUpload(sha256, localPath, signal, onProgress), claimed: true };
    staged.set(sha256, entry);
    return entry.upload;
  }

  function stagingUpload(sha256: string, localPath: string, signal?: AbortSignal, onProgress?: UploadProgress): Promise<number> {
    const upload = relayT
      .upload(localPath, stagedPath(sha256), { mode: 0o644, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) })
      .then((r) => r.transferred);
    upload.catch(() => {
      if (staged.get(sha256)?.upload === upload) staged.delete(sha256);
    });
    return upload;
  }

  /**
   * Stages the files jobs said they will upload, in the order they said it, PREFETCH at a time, so this computer's
   * link keeps sending while the hosts fetch and install the earlier files over the LAN. Unclaimed until a host asks.
   */
  const queue: string[] = [];
  let prefetching = 0;
  const prefetchStop = new AbortController();
  const prefetches = new Set<Promise<unknown>>();
  function expectUploads(localPaths: readonly string[], signal?: AbortSignal): void {
    if (gaveUp || prefetchStop.signal.aborted) return;
    queue.push(...localPaths);
    const stop = signal ? AbortSignal.any([signal, prefetchStop.signal]) : prefetchStop.signal;
    while (prefetching < PREFETCH && queue.length > 0) {
      prefetching++;
      const worker = prefetchWorker(stop).finally(() => {
        prefetching--;
        prefetches.delete(worker);
      });
      prefetches.add(worker);
    }
  }

  async function prefetchWorker(signal: AbortSignal): Promise<void> {
    for (let localPath = queue.shift(); localPath !== undefined; localPath = queue.shift()) {
      if (gaveUp || signal.aborted) return;
      try {
        const sha256 = await localSha256(localPath);
        if (staged.has(sha256)) continue;
        if (!(await endpoint(signal))) {
          // Not serving (yet): these files go directly, or are staged when a host asks once it serves.
          queue.length = 0;
          return;
        }
        if (staged.has(sha256)) continue;
        const entry: Staging = { upload: stagingUpload(sha256, localPath, signal), claimed: false };
        staged.set(sha256, entry);
        await entry.upload;
      } catch {
        // A host asking for the file stages it again (or falls back to a direct upload) and says why.
      }
    }
  }

  function failed(): void {
    if (++failures !== FETCH_FAILURES) return;
    gaveUp = true;
    log(relayHost!.id, `relay: ${FETCH_FAILURES} transfers through it failed; the remaining files go directly`);
  }

  function forHost(host: Host): HostTransport {
    const t = innerFor(host);
    if (host.id !== relayHost!.id && !viaRelay.has(host.id)) return t;
    const local = host.id === relayHost!.id;
    const upload: HostTransport['upload'] = async (localPath, remotePath, options) => {
      const { mode, signal } = options;
      const direct = (): Promise<{ transferred: number; skipped: boolean }> => t.upload(localPath, remotePath, options);
      const opts = signal ? { signal } : {};
      const sha256 = await localSha256(localPath);
      // As a direct upload: nothing moves when the host already has the file (unless the job just found it lacking).
      if (!options.lacking && (await presentOnHost(t, remotePath, sha256, mode, opts))) return { transferred: 0, skipped: true };
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
      const command = local
        ? installStagedCommand({ sha256, path: remotePath, mode: octalMode(mode) })
        : fetchFromRelayCommand({ relayAddress: ep.address, port: ep.port, sha256, path: remotePath, mode: octalMode(mode) });
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
    /**
     * Files the host lacks, installed by one command (fetch-batch.ts) once each is staged: fetched from the relay, or
     * on the relay host copied from its staged files. A file that could not be staged, and every file when the batch
     * failed, goes the one-file way, which falls back to a direct upload and says why.
     */
    const uploadLacking: NonNullable<HostTransport['uploadLacking']> = async (files, options) => {
      const { signal, onWait } = options;
      const outcomes: UploadOutcome[] = [];
      const oneByOne = async (items: ReadonlyArray<{ file: LackingUpload; index: number; sent: number }>): Promise<void> => {
        for (const { file, index, sent } of items) {
          try {
            const r = await upload(file.localPath, file.remotePath, { mode: file.mode, lacking: true, ...(signal ? { signal } : {}) });
            outcomes[index] = { ok: true, transferred: sent + r.transferred, skipped: r.skipped };
          } catch (error) {
            if (isConnectionLoss(error)) throw error;
            outcomes[index] = { ok: false, error };
            return;
          }
        }
      };
      const ep = files.length > 1 ? await endpoint(signal) : undefined;
      if (!ep) {
        await oneByOne(files.map((file, index) => ({ file, index, sent: 0 })));
        return outcomes;
      }
      const staged: Array<{ file: LackingUpload; index: number; sent: number; item: BatchFetch }> = [];
      const unstaged: Array<{ file: LackingUpload; index: number; sent: number }> = [];
      const token = randomBytes(6).toString('hex');
      for (const [index, file] of files.entries()) {
        const sha256 = await localSha256(file.localPath);
        try {
          const sent = await stage(sha256, file.localPath, signal, options.onProgress);
          const item = { path: file.remotePath, sha256, mode: octalMode(file.mode), temp: tempBeside(file.remotePath, token) };
          staged.push({ file, index, sent, item });
        } catch (err) {
          if (signal?.aborted) throw err;
          unstaged.push({ file, index, sent: 0 });
        }
      }
      const items = staged.map((s) => s.item);
      const r = await t.exec((local ? stagedBatchCommand(items) : fetchBatchCommand(items)).command, {
        ...(local ? {} : { stdin: Buffer.from(relayFetchConfig({ relayAddress: ep.address, port: ep.port, secret, files: items })) }),
        ...(signal ? { signal } : {}),
        ...(onWait ? { onWait } : {}),
      });
      const wrote = writtenCount(r.stdout);
      const from = local ? 'from the staged copy' : `over the LAN from ${relayHost!.name}`;
      for (const s of staged.slice(0, wrote)) {
        log(host.id, `${s.item.path}: ${from}, SHA-256 verified (${items.length} files in one ${local ? 'command' : 'fetch'})`);
        outcomes[s.index] = { ok: true, transferred: s.sent, skipped: false };
      }
      const rest = staged.slice(wrote);
      if (rest.length > 0) {
        if (isDiskFull(r.stderr)) throw await diskFullError(t.exec, rest[0]!.item.path, host.name, signal ? { signal } : {});
        const verb = local ? 'installing' : 'fetching';
        log(host.id, `relay: ${verb} ${items.length} files at once failed (${firstLine(r.stderr)}); ${verb} them one by one`);
      }
      await oneByOne([...rest, ...unstaged].sort((a, b) => a.index - b.index));
      return outcomes;
    };
    return { exec: (command, o) => t.exec(command, o), upload, expectUploads, uploadLacking };
  }

  return {
    forHost,
    close: async () => {
      try {
        // Staging still under way would write into the folder the stop removes.
        prefetchStop.abort();
        await Promise.allSettled([...prefetches, ...[...staged.values()].map((e) => e.upload)]);
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
