import { KubesmithError } from '../../src-shared/errors';
import type { Host, ProbeResult } from '../../src-shared/model/cluster';
import type { SecretKind } from '../store/secret-store';

/** What probing one host needs: the host, its jump host when that is another inventory entry, and its stored secrets. */
export interface ProbeTarget {
  cluster: string;
  host: Host;
  jumpHost?: Host;
  secrets: Partial<Record<SecretKind, string>>;
}

/**
 * Logs in and reads the host's facts. Returns a ProbeResult (ok: true with facts); throws a
 * KubesmithError when the host cannot be probed (refused, timed out, wrong password), which is
 * stored as that host's failed probe. Throwing NotAvailable means probing itself cannot run.
 */
export type HostProber = (target: ProbeTarget) => Promise<ProbeResult>;

export const PROBE_NOT_AVAILABLE = 'NotAvailable';

/** Until the SSH layer is wired in (src-main/ssh/probe.ts), probing answers this. */
export const probeNotAvailable: HostProber = async () => {
  throw new KubesmithError(
    PROBE_NOT_AVAILABLE,
    'Probing hosts is not available yet: this build has no SSH connection for it.',
    'You can still add hosts and plan the topology; probe them once a build with SSH support is installed.',
  );
};
