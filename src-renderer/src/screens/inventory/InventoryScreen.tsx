import './inventory.css';
import { useEffect, useState } from 'react';
import { routeParam } from '../../app/routes';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useConnection } from '../../stores/connection';
import { useInventory } from '../../stores/inventory';
import { HostCard } from './HostCard';
import { HostForm } from './HostForm';
import { KubeaszImport } from './KubeaszImport';
import { PasteHosts } from './PasteHosts';

type Panel = 'none' | 'add' | 'paste' | 'import';

export function InventoryScreen() {
  const t = useT();
  const cluster = useClusters((s) => s.current);
  const encrypted = useConnection((s) => s.info?.secretsEncryptedAtRest);
  const load = useInventory((s) => s.load);
  const probeAll = useInventory((s) => s.probeAll);
  // #/inventory/import: the New cluster dialog's kubeasz path opens the import at once.
  const [panel, setPanel] = useState<Panel>(() => (routeParam(window.location.hash) === 'import' ? 'import' : 'none'));
  const name = cluster?.name;

  useEffect(() => {
    if (name) void load(name);
  }, [name, load]);

  if (!cluster) {
    return (
      <ScreenFrame title="nav.inventory" intro="screen.inventory.intro">
        <p className="screen-empty">{t('screen.needCluster')}</p>
      </ScreenFrame>
    );
  }
  const names = new Map(cluster.hosts.map((h) => [h.id, h.name]));
  const toggle = (next: Panel) => setPanel((p) => (p === next ? 'none' : next));
  const close = () => setPanel('none');

  return (
    <ScreenFrame title="nav.inventory" intro="screen.inventory.intro">
      {encrypted !== undefined && (
        <p className="secrets-note" data-testid="secrets-note" data-encrypted={encrypted}>
          {t(encrypted ? 'inventory.secretsEncrypted' : 'inventory.secretsInMemory')}
        </p>
      )}
      <div className="inventory-toolbar">
        <button type="button" className="primary" aria-expanded={panel === 'add'} onClick={() => toggle('add')}>
          {t('inventory.add')}
        </button>
        <button type="button" aria-expanded={panel === 'paste'} onClick={() => toggle('paste')}>
          {t('inventory.paste')}
        </button>
        <button type="button" aria-expanded={panel === 'import'} onClick={() => toggle('import')}>
          {t('inventory.import')}
        </button>
        <button type="button" disabled={cluster.hosts.length === 0} onClick={() => void probeAll(cluster.hosts.map((h) => h.id))}>
          {t('inventory.probeAll')}
        </button>
        <span className="inventory-count">{t('cluster.hosts', { count: cluster.hosts.length })}</span>
      </div>
      {panel === 'add' && <HostForm onDone={close} />}
      {panel === 'paste' && <PasteHosts onDone={close} />}
      {panel === 'import' && <KubeaszImport onDone={close} />}
      {cluster.hosts.length === 0 ? (
        <p className="screen-empty">{t('inventory.empty')}</p>
      ) : (
        <ul className="host-list" aria-label={t('inventory.listLabel')}>
          {cluster.hosts.map((host) => (
            <HostCard key={host.id} host={host} jumpName={host.jump?.kind === 'host' ? names.get(host.jump.hostId) : undefined} />
          ))}
        </ul>
      )}
    </ScreenFrame>
  );
}
