import { RenewCertificatesControl } from './RenewCertificatesControl';
import { UpgradeControl } from './UpgradeControl';

/** Work that keeps a running cluster current: a newer Kubernetes, certificates far from expiry. */
export function MaintenancePanel() {
  return (
    <div className="ops-maintenance">
      <UpgradeControl />
      <RenewCertificatesControl />
    </div>
  );
}
