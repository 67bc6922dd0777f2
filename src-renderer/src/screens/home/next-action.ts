import type { Backup, ClusterHealth } from '../../../../src-shared/contract/operations';
import type { Cluster } from '../../../../src-shared/model/cluster';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import { EXPIRY_WARNING_DAYS } from '../../../../src-shared/model/pki';
import type { TopologyReport } from '../../../../src-shared/model/validate-topology';
import type { Screen } from '../../app/routes';

export type NextActionCode =
  'addHosts' | 'probe' | 'assignRoles' | 'deploy' | 'watchDeploy' | 'fixDeploy' | 'fixHosts' | 'renewCertificates' | 'backUp' | 'allGood';

export interface HomeFacts {
  cluster: Cluster;
  report: TopologyReport;
  run: DeployRun | null;
  running: boolean;
  health?: ClusterHealth | undefined;
  /** Days left of the certificate nearest to expiry; undefined before the PKI exists. */
  nearestExpiryDays?: number | undefined;
  backups: readonly Backup[];
  now: Date;
}

/** A backup older than this is worth a new one. */
export const BACKUP_STALE_DAYS = 7;

/** The one thing most worth doing next, in the order a cluster's life goes, and the screen to do it on. */
export function nextAction(f: HomeFacts): { code: NextActionCode; screen: Screen } {
  const { cluster, report, run } = f;
  if (cluster.hosts.length === 0) return { code: 'addHosts', screen: 'inventory' };
  if (cluster.hosts.some((h) => !h.probe)) return { code: 'probe', screen: 'inventory' };
  if (report.blocked || report.counts.unassigned > 0) return { code: 'assignRoles', screen: 'topology' };
  if (f.running) return { code: 'watchDeploy', screen: 'deploy' };
  if (!run) return { code: 'deploy', screen: 'deploy' };
  if (run.state !== 'succeeded') return { code: 'fixDeploy', screen: 'deploy' };
  if (f.health?.hosts.some((h) => !h.reachable || h.units.some((u) => u.state !== 'active')))
    return { code: 'fixHosts', screen: 'operations' };
  if (f.nearestExpiryDays !== undefined && f.nearestExpiryDays < EXPIRY_WARNING_DAYS)
    return { code: 'renewCertificates', screen: 'operations' };
  const newest = newestBackup(f.backups);
  if (!newest || f.now.getTime() - Date.parse(newest.takenAt) > BACKUP_STALE_DAYS * 86_400_000)
    return { code: 'backUp', screen: 'operations' };
  return { code: 'allGood', screen: 'operations' };
}

export function newestBackup(backups: readonly Backup[]): Backup | undefined {
  return [...backups].sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt))[0];
}
