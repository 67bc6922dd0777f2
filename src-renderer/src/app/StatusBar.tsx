import { useT } from '../i18n/i18n';
import { useConnection } from '../stores/connection';

export function StatusBar() {
  const t = useT();
  const { state, info } = useConnection();
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span className={`status-dot status-${state}`} aria-hidden="true" />
      <span data-testid="connection-state" data-state={state}>
        {t(`status.${state}`)}
      </span>
      {info && (
        <>
          <span className="status-sep">·</span>
          <span>{t(`status.mode.${info.mode}`)}</span>
          <span className="status-sep">·</span>
          <span className="status-dir" title={info.dataDir}>
            {t('status.workspace', { dir: info.dataDir })}
          </span>
          <span className="status-version">v{info.version}</span>
        </>
      )}
    </footer>
  );
}
