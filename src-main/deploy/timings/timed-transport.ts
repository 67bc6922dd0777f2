import { stdinLength, type HostTransport, type TransportProvider } from '../engine/transport';
import { currentTally, type Tally } from './tally';

/**
 * Transports that count, into the job or step running (tally.ts), every command and upload: its time on the host,
 * the time it waited for a connection or channel (as the transport underneath reports it), and the bytes sent.
 */
export function timedTransports(inner: TransportProvider): TransportProvider {
  return { forHost: (host) => timedHost(inner.forHost(host)), close: () => inner.close() };
}

export function timedHost(t: HostTransport): HostTransport {
  return {
    exec: (command, options = {}) => {
      const tally = currentTally();
      if (!tally) return t.exec(command, options);
      tally.bytes += stdinLength(options.stdin);
      return counted(tally, options.onWait, (onWait) => t.exec(command, { ...options, onWait }));
    },
    upload: async (localPath, remotePath, options) => {
      const tally = currentTally();
      if (!tally) return t.upload(localPath, remotePath, options);
      const result = await counted(tally, options.onWait, (onWait) => t.upload(localPath, remotePath, { ...options, onWait }));
      tally.bytes += result.transferred;
      return result;
    },
    ...(t.expectUploads ? { expectUploads: t.expectUploads.bind(t) } : {}),
    ...(t.uploadLacking ? { uploadLacking: uploadLackingCounted(t.uploadLacking.bind(t)) } : {}),
  };
}

function uploadLackingCounted(uploadLacking: NonNullable<HostTransport['uploadLacking']>): HostTransport['uploadLacking'] {
  return async (files, options) => {
    const tally = currentTally();
    if (!tally) return uploadLacking(files, options);
    const outcomes = await counted(tally, options.onWait, (onWait) => uploadLacking(files, { ...options, onWait }));
    for (const o of outcomes) if (o.ok) tally.bytes += o.transferred;
    return outcomes;
  };
}

/** One call: its waits go to the tally (and to a caller's own listener), the rest of its time is on the host. */
async function counted<T>(
  tally: Tally,
  outer: ((ms: number) => void) | undefined,
  call: (onWait: (ms: number) => void) => Promise<T>,
): Promise<T> {
  tally.roundTrips++;
  let waited = 0;
  // Hashing a file before an upload is counted as local work (tally.ts), not as time on the host.
  const localBefore = tally.localMs;
  const start = performance.now();
  try {
    return await call((ms) => {
      waited += ms;
      outer?.(ms);
    });
  } finally {
    tally.waitMs += waited;
    tally.remoteMs += Math.max(0, performance.now() - start - waited - (tally.localMs - localBefore));
  }
}
