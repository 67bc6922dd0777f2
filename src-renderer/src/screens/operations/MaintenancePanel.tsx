import { RenewCertificatesControl } from './RenewCertificatesControl';
import { RotateCaControl } from './RotateCaControl';
import { UpgradeControl } from './UpgradeControl';

/** Work that keeps a running cluster current: a newer Kubernetes, certificates far from expiry, new CAs. */
export function MaintenancePanel() {
  return (
    <div className="ops-maintenance">
      <UpgradeControl />
      <RenewCertificatesControl />
      <RotateCaControl />
    </div>
  );
}
