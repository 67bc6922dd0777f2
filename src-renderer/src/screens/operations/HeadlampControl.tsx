import { useState } from 'react';
import type { HeadlampAccess } from '../../../../src-shared/contract/operations';
import type { ApiError } from '../../../../src-shared/errors';
import { call, toApiError } from '../../api/client';
import { useI18n, useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';

/**
 * Opens the cluster's Headlamp: the backend mints a short-lived login token on a master and tunnels a loopback port
 * to Headlamp over the app's SSH connection. The link opens in the user's browser (after they confirm); the token
 * is what Headlamp's login page asks for.
 */
export function HeadlampControl() {
  const t = useT();
  const locale = useI18n((s) => s.locale);
  const cluster = useClusters((s) => s.current);
  const [busy, setBusy] = useState(false);
  const [access, setAccess] = useState<HeadlampAccess>();
  const [error, setError] = useState<ApiError>();
  const [copied, setCopied] = useState(false);
  if (!cluster) return null;
  const installed = cluster.settings.addons.headlamp;

  const open = async () => {
    setBusy(true);
    setError(undefined);
    setCopied(false);
    try {
      setAccess(await call('ops.openHeadlamp', { cluster: cluster.name }));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const copy = () => {
    if (!access) return;
    void navigator.clipboard
      ?.writeText(access.token)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };

  return (
    <section className="ops-headlamp" aria-labelledby="ops-headlamp-title">
      <h3 id="ops-headlamp-title">{t('ops.headlamp.title')}</h3>
      {!installed && <p className="muted">{t('ops.headlamp.notInstalled')}</p>}
      <div className="ops-toolbar">
        <button type="button" onClick={() => void open()} disabled={!installed || busy} aria-busy={busy}>
          {access ? t('ops.headlamp.renew') : t('ops.headlamp.open')}
        </button>
        {busy && (
          <span className="ops-progress" role="status">
            <progress aria-label={t('ops.headlamp.opening')} /> {t('ops.headlamp.opening')}
          </span>
        )}
      </div>
      {error && (
        <p className="ops-error" role="alert">
          {error.message}
          {error.hint ? ` ${error.hint}` : ''}
        </p>
      )}
      {access && !busy && (
        <div className="ops-headlamp-access">
          <p>
            <a href={access.url} target="_blank" rel="noreferrer">
              {access.url}
            </a>{' '}
            <span className="muted">{t('ops.headlamp.via', { host: access.via })}</span>
          </p>
          <label className="field">
            <span>{t('ops.headlamp.token', { time: new Date(access.expiresAt).toLocaleTimeString(locale) })}</span>
            <input readOnly value={access.token} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" onClick={copy}>
            {copied ? t('ops.headlamp.copied') : t('ops.headlamp.copy')}
          </button>
          <p className="form-note">{t('ops.headlamp.help')}</p>
        </div>
      )}
    </section>
  );
}
