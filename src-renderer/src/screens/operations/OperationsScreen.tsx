import { useEffect, useState, type ReactNode } from 'react';
import { ScreenFrame } from '../../app/ScreenFrame';
import type { MessageKey } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { BackupsPanel } from './BackupsPanel';
import { HealthPanel } from './HealthPanel';
import { HostsPanel } from './HostsPanel';
import { MaintenancePanel } from './MaintenancePanel';
import { MembershipPanel } from './MembershipPanel';
import { OperationPanel } from './OperationPanel';
import { subscribeOperationEvents, useOperations } from './store';
import './operations.css';

const TABS = ['health', 'backups', 'membership', 'hosts', 'maintenance'] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, () => ReactNode> = {
  health: HealthPanel,
  backups: BackupsPanel,
  membership: MembershipPanel,
  hosts: HostsPanel,
  maintenance: MaintenancePanel,
};

export function OperationsScreen() {
  const t = useT();
  const name = useClusters((s) => s.current?.name);
  const [tab, setTab] = useState<Tab>('health');
  const operationOpen = useOperations((s) => s.request !== undefined || s.run !== undefined);

  useEffect(() => subscribeOperationEvents(), []);
  useEffect(() => {
    if (name) void useOperations.getState().load(name);
  }, [name]);

  if (!name) {
    return (
      <ScreenFrame title="nav.operations" intro="screen.operations.intro">
        <p className="screen-empty">{t('screen.needCluster')}</p>
      </ScreenFrame>
    );
  }
  const Panel = PANELS[tab];
  return (
    <ScreenFrame title="nav.operations" intro="screen.operations.intro">
      {operationOpen && <OperationPanel />}
      <div role="tablist" className="deploy-tabs" aria-label={t('nav.operations')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`ops-tab-${id}`}
            aria-controls="ops-tabpanel"
            aria-selected={tab === id}
            onClick={() => setTab(id)}
          >
            {t(`ops.tab.${id}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="ops-tabpanel" aria-labelledby={`ops-tab-${tab}`}>
        <Panel />
      </div>
    </ScreenFrame>
  );
}
