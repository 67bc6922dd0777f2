import '@xterm/xterm/css/xterm.css';
import { useEffect, useState } from 'react';
import { routeParam } from '../../app/routes';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useTerminals } from '../../stores/terminals';
import { TerminalSearch } from './TerminalSearch';
import { TerminalView } from './TerminalView';

const FONT_SIZES = [10, 12, 13, 14, 16, 18, 20, 24];

export function TerminalsScreen() {
  const t = useT();
  const { tabs, active, fontSize, open, connect, close, activate, setFontSize } = useTerminals();
  const cluster = useClusters((s) => s.current);
  const [hostId, setHostId] = useState('');
  const activeTab = tabs.find((tab) => tab.key === active);
  const host = cluster?.hosts.find((h) => h.id === hostId);

  // #/terminals/<hostId> (from a deploy row) opens a tab on that host, or shows the one already open.
  useEffect(() => {
    const wanted = routeParam(window.location.hash);
    if (!wanted || !cluster) return;
    const target = cluster.hosts.find((h) => h.id === wanted);
    window.history.replaceState(null, '', '#/terminals');
    if (!target) return;
    const existing = useTerminals
      .getState()
      .tabs.find((tab) => tab.cluster === cluster.name && tab.hostId === target.id && tab.state !== 'ended');
    if (existing) activate(existing.key);
    else void open(cluster.name, target.id, target.name);
  }, [cluster, open, activate]);

  return (
    <ScreenFrame title="nav.terminals" intro="screen.terminals.intro">
      <div className="terminal-toolbar">
        <label>
          {t('terminals.openOn')}{' '}
          <select value={hostId} onChange={(e) => setHostId(e.target.value)} disabled={!cluster?.hosts.length}>
            <option value="">{t('terminals.pickHost')}</option>
            {cluster?.hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.address})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={!host || !cluster}
          onClick={() => host && cluster && void open(cluster.name, host.id, host.name)}
        >
          {t('terminals.open')}
        </button>
        <label>
          {t('terminals.fontSize')}{' '}
          <select value={fontSize} onChange={(e) => setFontSize(Number(e.target.value))}>
            {FONT_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        {activeTab && <TerminalSearch tabKey={activeTab.key} />}
      </div>
      {tabs.length === 0 ? (
        <p className="screen-empty">{t('terminals.none')}</p>
      ) : (
        <>
          <div role="tablist" aria-label={t('terminals.tabs')} className="terminal-tabs">
            {tabs.map((tab) => (
              <div key={tab.key} className="terminal-tab" data-state={tab.state}>
                <button type="button" role="tab" aria-selected={tab.key === active} onClick={() => activate(tab.key)}>
                  <span
                    className={`status-dot status-${tab.state === 'open' ? 'connected' : tab.state === 'ended' ? 'disconnected' : 'connecting'}`}
                    aria-hidden="true"
                  />
                  {tab.name}
                </button>
                <button
                  type="button"
                  className="terminal-tab-close"
                  aria-label={t('terminals.close', { name: tab.name })}
                  onClick={() => close(tab.key)}
                >
                  ×
                </button>
              </div>
            ))}
          </div>
          {activeTab && (
            <div role="tabpanel" className="terminal-panel">
              {activeTab.state === 'connecting' && <p className="terminal-note">{t('terminals.connecting', { name: activeTab.name })}</p>}
              {activeTab.state === 'ended' && (
                <p className="terminal-note" role="alert">
                  {t('terminals.ended', { reason: activeTab.reason ?? '' })}{' '}
                  <button type="button" onClick={() => void connect(activeTab.key)}>
                    {t('terminals.reconnect')}
                  </button>
                </p>
              )}
              <TerminalView key={activeTab.key} tabKey={activeTab.key} fontSize={fontSize} />
              <p className="terminal-hint">{t('terminals.copyHint')}</p>
            </div>
          )}
        </>
      )}
    </ScreenFrame>
  );
}
