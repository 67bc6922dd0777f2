import { create } from 'zustand';
import type { Backup, ClusterHealth } from '../../../../src-shared/contract/operations';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { CertificateInfo } from '../../../../src-shared/model/pki';
import { call } from '../../api/client';

export interface HomeData {
  cluster: string;
  run: DeployRun | null;
  running: boolean;
  /** The last day-2 operation (backup, upgrade…), when it is newer than the deploy. */
  lastOperation: DeployRun | null;
  backups: Backup[];
  certificates: CertificateInfo[];
  /** Read from the hosts only once the cluster has been deployed: a cluster never deployed has nothing to ask. */
  health?: ClusterHealth | undefined;
  healthError?: string | undefined;
  at: string;
}

interface HomeStore {
  data: HomeData | undefined;
  refreshing: boolean;
  /** Reads everything again; a call while one is in flight does nothing (a slow host never stacks up reads). */
  refresh(cluster: string, withCertificates: boolean): Promise<void>;
}

export const useHome = create<HomeStore>((set, get) => ({
  data: undefined,
  refreshing: false,
  async refresh(cluster, withCertificates) {
    if (get().refreshing) return;
    set({ refreshing: true });
    try {
      const previous = get().data?.cluster === cluster ? get().data : undefined;
      const [status, lastOperation, backups, pki] = await Promise.all([
        call('deploy.status', { cluster }),
        call('ops.lastRun', { cluster }).catch(() => null),
        call('ops.backups', { cluster }).catch(() => [] as Backup[]),
        withCertificates || !previous
          ? call('pki.list', { cluster })
              .then((p) => p.listing.certificates)
              .catch(() => [] as CertificateInfo[])
          : Promise.resolve(previous.certificates),
      ]);
      const deployed = status.run !== null && !status.running;
      let health: ClusterHealth | undefined;
      let healthError: string | undefined;
      if (deployed) {
        try {
          health = await call('ops.health', { cluster });
        } catch (err) {
          healthError = err instanceof Error ? err.message : String(err);
        }
      }
      set({
        data: {
          cluster,
          run: status.run,
          running: status.running,
          lastOperation,
          backups,
          certificates: pki,
          health,
          healthError,
          at: new Date().toISOString(),
        },
      });
    } catch {
      // The next refresh tries again; the screen keeps what it had.
    } finally {
      set({ refreshing: false });
    }
  },
}));

/** How often the home screen reads the cluster again while it is visible. */
export const HOME_REFRESH_MS = 30_000;
