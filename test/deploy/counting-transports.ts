import type { Host } from '../../src-shared/model/cluster';
import { stdinLength, type TransportProvider } from '../../src-main/deploy/engine/transport';

/** Bytes this computer sent to the hosts (stdin of commands and uploads), in total and per local file uploaded. */
export interface LinkCount {
  bytes: number;
  byLocalPath: Map<string, number>;
}

export const newLinkCount = (): LinkCount => ({ bytes: 0, byLocalPath: new Map() });

export interface TransportHooks {
  /** Runs before a command is sent to a host (a test stops the relay here). */
  beforeExec?: (host: Host, command: string) => Promise<void>;
  /** Runs after an upload to a host finished (a test damages a staged file here). */
  afterUpload?: (host: Host, remotePath: string) => Promise<void>;
}

/** Counts what crosses this computer's link at the transport (test-only), with optional fault hooks. */
export function countingTransports(inner: TransportProvider, count: LinkCount, hooks: TransportHooks = {}): TransportProvider {
  return {
    forHost: (host) => {
      const t = inner.forHost(host);
      return {
        exec: async (command, options = {}) => {
          await hooks.beforeExec?.(host, command);
          count.bytes += stdinLength(options.stdin);
          return t.exec(command, options);
        },
        upload: async (localPath, remotePath, options) => {
          const r = await t.upload(localPath, remotePath, options);
          count.bytes += r.transferred;
          count.byLocalPath.set(localPath, (count.byLocalPath.get(localPath) ?? 0) + r.transferred);
          await hooks.afterUpload?.(host, remotePath);
          return r;
        },
      };
    },
    close: () => inner.close(),
  };
}
