import './topology.css';
import { useEffect, useMemo, type KeyboardEvent } from 'react';
import { validateTopology } from '../../../../src-shared/model/validate-topology';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useTopologyHistory } from '../../stores/topology-history';
import { FindingsPanel } from './FindingsPanel';
import { RoleCanvas } from './RoleCanvas';
import { SettingsForm } from './SettingsForm';
import { hrefForTab, TOPOLOGY_TABS, useTopologyTab, type TopologyTab } from './topology-tabs';
import { TopologyGraph } from './TopologyGraph';
import { TopologyToolbar } from './TopologyToolbar';

export function TopologyScreen() {
  const t = useT();
  const cluster = useClusters((s) => s.current);
  const tab = useTopologyTab();
  const report = useMemo(() => (cluster ? validateTopology(cluster) : undefined), [cluster]);
  useUndoShortcuts();

  if (!cluster || !report) {
    return (
      <ScreenFrame title="nav.topology" intro="screen.topology.intro">
        <p className="screen-empty">{t('screen.needCluster')}</p>
      </ScreenFrame>
    );
  }
  return (
    <ScreenFrame title="nav.topology" intro="screen.topology.intro">
      <TopologyToolbar report={report} />
      <TabList current={tab} />
      <div role="tabpanel" id={`topology-panel-${tab}`} aria-labelledby={`topology-tab-${tab}`} className="topology-panel">
        {tab === 'roles' &&
          (cluster.hosts.length === 0 ? (
            <p className="screen-empty">{t('topology.noHosts')}</p>
          ) : (
            <div className="topology-roles">
              <RoleCanvas hosts={cluster.hosts} report={report} />
              <FindingsPanel report={report} />
            </div>
          ))}
        {tab === 'graph' && <TopologyGraph hosts={cluster.hosts} />}
        {tab === 'settings' && <SettingsForm key={cluster.name} cluster={cluster} />}
      </div>
    </ScreenFrame>
  );
}

/** Tabs as links to #/topology/<tab>; arrow keys move between them, as a tablist should. */
function TabList({ current }: { current: TopologyTab }) {
  const t = useT();
  const go = (tab: TopologyTab) => {
    window.location.hash = hrefForTab(tab);
    document.getElementById(`topology-tab-${tab}`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const index = TOPOLOGY_TABS.indexOf(current);
    const next =
      e.key === 'ArrowRight'
        ? index + 1
        : e.key === 'ArrowLeft'
          ? index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TOPOLOGY_TABS.length - 1
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    go(TOPOLOGY_TABS[(next + TOPOLOGY_TABS.length) % TOPOLOGY_TABS.length]!);
  };
  return (
    <div role="tablist" aria-label={t('topology.tabs')} className="topology-tabs" onKeyDown={onKeyDown}>
      {TOPOLOGY_TABS.map((tab) => (
        <a
          key={tab}
          id={`topology-tab-${tab}`}
          role="tab"
          href={hrefForTab(tab)}
          aria-selected={tab === current}
          aria-controls={`topology-panel-${tab}`}
          tabIndex={tab === current ? 0 : -1}
        >
          {t(`topology.tab.${tab}`)}
        </a>
      ))}
    </div>
  );
}

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo canvas moves, except in text fields, which keep their own undo. */
function useUndoShortcuts() {
  const undo = useTopologyHistory((s) => s.undo);
  const redo = useTopologyHistory((s) => s.redo);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key !== 'z' && key !== 'y') return;
      if ((e.target as Element | null)?.closest?.('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      if (key === 'y' || e.shiftKey) void redo();
      else void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);
}
