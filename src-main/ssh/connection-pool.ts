import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { KubesmithError } from '../../src-shared/errors';
import type { Host } from '../../src-shared/model/cluster';
import type { AskSecret, ConfirmHostKey } from './callbacks';
import { connectClient, errorContext, type SshEndpoint } from './connect';
import { commandCancelledError, describeSshError, isTransientConnectError, SshErrorName, sudoRefusedError } from './errors';
import { defaultLabel, runOnChannel, type ExecOptions, type ExecResult } from './exec';
import { killProcessGroupCommand, reportingProcessGroup } from './process-group';
import { fetchHostKey } from './host-key-fetch';
import { HostKeyTrust } from './host-key-trust';
import { formatHop, parseJumpSpec } from './jump-spec';
import { PooledConnection } from './pooled-connection';
import { PrivateKeyCache } from './private-key';
import { SecretCache } from './secret-cache';
import { createShellSession, ptyWindow, type ShellOptions, type ShellSession } from './shell-session';
import { checkSudo, classifySudoFailure, sudoSaid, wrapForSudo, type SudoPlan } from './sudo';
import { uploadFile, type UploadOptions, type UploadResult } from './upload';

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

export interface SshPoolOptions {
  /** Looks a host up by id; asked on every call, so edits to the cluster take effect on the next connection. */
  resolveHost: (hostId: string) => Host | undefined;
  /** The workspace known_hosts file: read, and appended to when the user accepts a key. */
  workspaceKnownHosts: string;
  /** Read-only personal known_hosts; default ~/.ssh/known_hosts, null to ignore. */
  userKnownHosts?: string | null;
  askSecret: AskSecret;
  confirmHostKey: ConfirmHostKey;
  /** ssh-agent socket; default process.env.SSH_AUTH_SOCK. */
  agentSocket?: string;
  /** TCP connect + handshake + login, not counting time the user spends answering; default DEFAULT_CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
  /** Default 15 s; with keepaliveCountMax 3 a dead peer is noticed within about a minute. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Session channels per connection before queueing; default 10 (OpenSSH's MaxSessions). Learned lower if the server refuses. */
  maxSessionsPerConnection?: number;
  /** Close a connection with nothing open on it after this long; default 5 min, 0 never. */
  idleTimeoutMs?: number;
  /** Retries for refused, reset or unreachable connects: default 3 retries, 500 ms doubling to at most 8 s. */
  reconnect?: { retries?: number; initialDelayMs?: number; maxDelayMs?: number };
}

interface Route {
  endpoint: SshEndpoint;
  /** Identity of everything the connection depends on; a change means reconnect. */
  signature: string;
  /** The connection to tunnel through, for jump hosts. */
  via?: () => Promise<PooledConnection>;
}

interface PoolEntry {
  signature: string;
  connection: Promise<PooledConnection>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

/**
 * One pooled SSH connection per host (and per jump hop), shared by every
 * exec, upload and terminal on that host.
 */
export class SshPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly sudoPlans = new Map<string, Promise<SudoPlan>>();
  private readonly secrets: SecretCache;
  private readonly keys = new PrivateKeyCache();
  private readonly trust: HostKeyTrust;
  private closed = false;

  constructor(private readonly options: SshPoolOptions) {
    this.secrets = new SecretCache(options.askSecret);
    this.trust = new HostKeyTrust({
      workspaceKnownHosts: options.workspaceKnownHosts,
      userKnownHosts: options.userKnownHosts === undefined ? join(homedir(), '.ssh', 'known_hosts') : options.userKnownHosts,
      confirmHostKey: options.confirmHostKey,
    });
  }

  /** Makes sure a logged-in connection to the host exists (connecting through its jump hosts if any). */
  async connect(hostId: string, signal?: AbortSignal): Promise<void> {
    await this.connection(hostId, signal);
  }

  /** Runs a command. Non-zero exit codes are returned, not thrown; failures to run at all are thrown. */
  async exec(hostId: string, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const host = this.host(hostId);
    const label = options.label ?? defaultLabel(command);
    // The first command on a host waits for its connection and sudo check; later ones find both ready.
    const started = performance.now();
    const plan: SudoPlan = options.sudo === true ? await this.sudoPlan(host, options.signal) : { kind: 'direct' };
    options.onWait?.(performance.now() - started);
    const wrapped = wrapForSudo(command, plan);
    const remoteCommand = reportingProcessGroup(wrapped.command);
    const { conn, value: channel } = await this.openSession(
      hostId,
      (c) => c.exec(remoteCommand, options.signal),
      options.signal,
      label,
      options.onWait,
    );
    const result = await runOnChannel(conn, channel, options, label, wrapped.stdinPrefix, (pgid, graceMs) =>
      conn.runOutsideGate(killProcessGroupCommand(pgid, graceMs / 1000)),
    );
    if (plan.kind !== 'direct') {
      const refusal = classifySudoFailure(result.code, result.stderr);
      if (refusal !== undefined && /^(\[sudo\]|sudo:|Sorry, try again)/m.test(result.stderr.split('\n')[0] ?? '')) {
        this.sudoPlans.delete(hostId);
        if (refusal === 'wrong-password') this.secrets.forget(`sudo:${hostId}`);
        throw sudoRefusedError(conn.ctx, refusal, sudoSaid(result.stderr));
      }
    }
    return result;
  }

  /** Uploads a file atomically; skipped (nothing sent) when the host already has the same SHA-256. */
  async upload(hostId: string, localPath: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    const host = this.host(hostId);
    const conn = await this.connection(hostId, options.signal);
    return uploadFile(
      {
        ctx: conn.ctx,
        loginUser: host.user,
        exec: (command, execOptions) => this.exec(hostId, command, execOptions),
        openSftp: async (signal) => (await this.openSession(hostId, (c) => c.sftp(signal), signal, 'SFTP')).value,
      },
      localPath,
      remotePath,
      options,
    );
  }

  /**
   * A TCP stream to `address:port` as the host sees it (a Service's ClusterIP from a master), over the host's
   * pooled connection: for a local tunnel. The connection stays up while the stream is open.
   */
  async forwardOut(hostId: string, address: string, port: number, signal?: AbortSignal): Promise<ClientChannel> {
    const conn = await this.connection(hostId, signal);
    try {
      return await conn.forwardOut(address, port);
    } catch (err) {
      throw new KubesmithError(
        'TunnelRefused',
        `${this.host(hostId).name} could not open a connection to ${address}:${port}: ${err instanceof Error ? err.message : String(err)}.`,
        'The SSH server must allow TCP forwarding (AllowTcpForwarding yes, the OpenSSH default), and the address must be reachable from that host.',
      );
    }
  }

  /** Opens a login shell on a PTY for a terminal. */
  async openShell(hostId: string, options: ShellOptions): Promise<ShellSession> {
    const { conn, value: channel } = await this.openSession(hostId, (c) => c.shell(ptyWindow(options)), undefined, 'shell');
    return createShellSession(conn, channel, options);
  }

  /**
   * Trusts a host's new key after a HostKeyMismatch, deliberately. The key is
   * fetched again and must have the fingerprint the user was shown.
   */
  async replaceKnownHost(hostId: string, fingerprintSha256: string): Promise<void> {
    const route = this.route(hostId, new Set());
    const { endpoint } = route;
    const sock = route.via !== undefined ? await (await route.via()).forwardOut(endpoint.address, endpoint.port) : undefined;
    const key = await fetchHostKey(endpoint.address, endpoint.port, errorContext(endpoint), {
      timeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      algorithms: await this.trust.algorithmsFor(endpoint.address, endpoint.port),
      ...(sock !== undefined ? { sock } : {}),
    });
    if (key.fingerprintSha256 !== fingerprintSha256) {
      throw new KubesmithError(
        SshErrorName.HostKeyMismatch,
        `${endpoint.label} now presents ${key.fingerprintSha256}, not the key you approved (${fingerprintSha256}). Nothing was changed.`,
        'The key changed again; check the machine before trusting anything.',
        { hostId, expected: fingerprintSha256, presented: key.fingerprintSha256 },
      );
    }
    await this.trust.replace(endpoint.address, endpoint.port, key);
    await this.disconnect(hostId);
  }

  /** Closes the host's connection (after its settings changed, say); the next call reconnects. */
  async disconnect(hostId: string): Promise<void> {
    const entry = this.entries.get(hostId);
    this.entries.delete(hostId);
    this.sudoPlans.delete(hostId);
    if (entry !== undefined) await entry.connection.then((c) => c.end()).catch(() => undefined);
  }

  /** Forgets passwords, passphrases (and keys they unlocked) and sudo checks: for one host, or all. */
  forgetSecrets(hostId?: string): void {
    if (hostId === undefined) {
      this.secrets.clear();
      this.keys.clear();
      this.sudoPlans.clear();
    } else {
      this.secrets.forgetHost(hostId);
      this.sudoPlans.delete(hostId);
    }
  }

  /** Ends every connection; later calls fail with PoolClosed. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    this.sudoPlans.clear();
    this.secrets.clear();
    this.keys.clear();
    await Promise.all(all.map((e) => e.connection.then((c) => c.end()).catch(() => undefined)));
  }

  /** For diagnostics and tests: how many connections are pooled. */
  get size(): number {
    return this.entries.size;
  }

  private host(hostId: string): Host {
    const host = this.options.resolveHost(hostId);
    if (host === undefined) {
      throw new KubesmithError(SshErrorName.UnknownHost, `There is no host "${hostId}" in this cluster.`, undefined, { hostId });
    }
    return host;
  }

  private route(hostId: string, seen: Set<string>): Route {
    const host = this.host(hostId);
    if (seen.has(hostId)) {
      throw new KubesmithError(
        SshErrorName.JumpLoop,
        `The jump hosts of ${host.name} lead back to ${host.name}.`,
        'Fix the jump host settings so they form a chain.',
        {
          hostId,
        },
      );
    }
    seen.add(hostId);
    const endpoint: SshEndpoint = {
      hostId,
      label: `${host.name} (${host.address}:${host.port})`,
      address: host.address,
      port: host.port,
      user: host.user,
      auth: host.auth,
    };
    const own = JSON.stringify([host.address, host.port, host.user, host.auth]);
    if (host.jump === undefined) return { endpoint, signature: own };

    if (host.jump.kind === 'host') {
      const jumpRoute = this.route(host.jump.hostId, seen);
      const jumpId = host.jump.hostId;
      return { endpoint, signature: `${own}<${jumpRoute.signature}`, via: () => this.connectRoute(jumpId, jumpRoute) };
    }

    // A spec hop has no host record: it logs in as its own user (or the host's) with the host's credentials.
    let previous: Route | undefined;
    for (const hop of parseJumpSpec(host.jump.spec)) {
      const hopId = `jump:${previous !== undefined ? `${previous.endpoint.hostId}>` : ''}${formatHop(hop)}`;
      const hopEndpoint: SshEndpoint = {
        hostId: hopId,
        label: `jump host ${formatHop(hop)}`,
        address: hop.host,
        port: hop.port,
        user: hop.user ?? host.user,
        auth: host.auth,
      };
      const before = previous;
      const hopRoute: Route = {
        endpoint: hopEndpoint,
        signature: `${JSON.stringify([hop, host.auth])}${before !== undefined ? `<${before.signature}` : ''}`,
        ...(before !== undefined ? { via: () => this.connectRoute(before.endpoint.hostId, before) } : {}),
      };
      previous = hopRoute;
    }
    const last = previous as Route;
    return { endpoint, signature: `${own}<${last.signature}`, via: () => this.connectRoute(last.endpoint.hostId, last) };
  }

  private connection(hostId: string, signal?: AbortSignal): Promise<PooledConnection> {
    if (this.closed) return Promise.reject(this.closedError());
    const route = this.route(hostId, new Set());
    return raceAbort(this.connectRoute(hostId, route), signal, () => commandCancelledError(errorContext(route.endpoint), 'connect'));
  }

  private async connectRoute(key: string, route: Route): Promise<PooledConnection> {
    if (this.closed) throw this.closedError();
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      if (existing.signature === route.signature) {
        const conn = await existing.connection;
        if (conn.isOpen) return conn;
      } else {
        void existing.connection.then((c) => c.end()).catch(() => undefined);
      }
    }
    const connection = this.connectWithRetry(route);
    const entry: PoolEntry = { signature: route.signature, connection };
    this.entries.set(key, entry);
    const forget = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    connection.then((conn) => conn.onClose(forget), forget);
    return connection;
  }

  private async connectWithRetry(route: Route): Promise<PooledConnection> {
    const retries = this.options.reconnect?.retries ?? 3;
    const initial = this.options.reconnect?.initialDelayMs ?? 500;
    const max = this.options.reconnect?.maxDelayMs ?? 8000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connectOnce(route);
      } catch (err) {
        if (this.closed) throw this.closedError();
        if (!isTransientConnectError(err) || attempt >= retries) throw err;
        const delay = Math.min(max, initial * 2 ** attempt);
        await sleep(delay * (0.8 + Math.random() * 0.4));
      }
    }
  }

  private async connectOnce(route: Route): Promise<PooledConnection> {
    const { endpoint } = route;
    let sock: ClientChannel | undefined;
    if (route.via !== undefined) {
      const jump = await route.via();
      try {
        sock = await jump.forwardOut(endpoint.address, endpoint.port);
      } catch (err) {
        const why = err instanceof Error ? err.message.replace('(SSH) Channel open failure: ', '') : String(err);
        throw new KubesmithError(
          SshErrorName.JumpRefused,
          `${jump.endpoint.label} could not open a connection to ${endpoint.label}: ${why}.`,
          `Check that ${endpoint.address}:${endpoint.port} is reachable from the jump host and that its sshd allows TCP forwarding (AllowTcpForwarding).`,
          { hostId: endpoint.hostId, jumpHostId: jump.endpoint.hostId },
        );
      }
    }
    const client = await connectClient({
      endpoint,
      trust: this.trust,
      secrets: this.secrets,
      keys: this.keys,
      askSecret: this.options.askSecret,
      agentSocket: this.options.agentSocket ?? process.env.SSH_AUTH_SOCK,
      ...(sock !== undefined ? { sock } : {}),
      timeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
    }).catch((err: unknown) => {
      sock?.destroy();
      throw err;
    });
    const conn = new PooledConnection(endpoint, client, {
      maxSessions: this.options.maxSessionsPerConnection ?? 10,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 5 * 60_000,
    });
    // The tunnel dying takes this connection with it; ending this connection closes the tunnel.
    sock?.once('close', () => client.end());
    return conn;
  }

  /**
   * Opens a session channel. A pooled connection can be dead without knowing
   * it yet; if opening fails that way, nothing has run, so reconnect once.
   */
  private async openSession<T extends ClientChannel | SFTPWrapper>(
    hostId: string,
    open: (conn: PooledConnection) => Promise<T>,
    signal: AbortSignal | undefined,
    label: string,
    /** Told the time spent waiting for the connection and then for a channel on it (the gate's queue, the open). */
    onWait?: (ms: number) => void,
  ): Promise<{ conn: PooledConnection; value: T }> {
    const started = performance.now();
    try {
      for (let attempt = 0; ; attempt++) {
        const conn = await this.connection(hostId, signal);
        try {
          return { conn, value: await open(conn) };
        } catch (err) {
          if (signal?.aborted === true) throw commandCancelledError(conn.ctx, label);
          const described = describeSshError(err, conn.ctx);
          if (attempt === 0 && described.name === SshErrorName.ConnectionLost) {
            if (this.entries.get(hostId) !== undefined) await this.disconnect(hostId);
            continue;
          }
          throw described;
        }
      }
    } finally {
      onWait?.(performance.now() - started);
    }
  }

  private sudoPlan(host: Host, signal: AbortSignal | undefined): Promise<SudoPlan> {
    const cached = this.sudoPlans.get(host.id);
    if (cached !== undefined) return cached;
    const plan = (async () => {
      const conn = await this.connection(host.id, signal);
      return checkSudo(conn.ctx, host.user, host.sudo, {
        run: async (command, stdinPrefix) => {
          const { conn: c, value } = await this.openSession(host.id, (x) => x.exec(command, signal), signal, 'sudo check');
          return runOnChannel(c, value, { timeoutMs: 30_000, ...(signal !== undefined ? { signal } : {}) }, 'sudo check', stdinPrefix);
        },
        password: () =>
          this.secrets.get(`sudo:${host.id}`, { hostId: host.id, kind: 'sudo', prompt: `sudo password for ${host.user} on ${host.name}` }),
        forgetPassword: () => this.secrets.forget(`sudo:${host.id}`),
      });
    })();
    this.sudoPlans.set(host.id, plan);
    plan.catch(() => {
      if (this.sudoPlans.get(host.id) === plan) this.sudoPlans.delete(host.id);
    });
    return plan;
  }

  private closedError(): KubesmithError {
    return new KubesmithError(SshErrorName.PoolClosed, 'Kubesmith is shutting down its SSH connections.', undefined);
  }
}
