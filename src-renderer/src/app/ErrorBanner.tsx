import { useT } from '../i18n/i18n';
import { useErrors } from '../stores/errors';

/** Shows the backend's error as it was sent: its name, message and hint. */
export function ErrorBanner() {
  const t = useT();
  const { current, dismiss } = useErrors();
  if (!current) return null;
  return (
    <div className="error-banner" role="alert" data-error-name={current.name}>
      <div>
        <strong>{current.message}</strong>
        {current.hint && <p className="error-hint">{current.hint}</p>}
      </div>
      <button type="button" onClick={dismiss}>
        {t('error.dismiss')}
      </button>
    </div>
  );
}
