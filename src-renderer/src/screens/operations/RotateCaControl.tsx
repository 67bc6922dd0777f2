import { useT } from '../../i18n/i18n';
import { useOperations } from './store';

const STAGES = ['trust-both', 'reissue', 'finish'] as const;

/** The guided CA rotation: three runs in order, each planned first like every operation. */
export function RotateCaControl() {
  const t = useT();
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  return (
    <section className="ops-card" aria-labelledby="ops-rotate-title">
      <h3 id="ops-rotate-title">{t('ops.rotate')}</h3>
      <p className="muted">{t('ops.rotate.intro')}</p>
      <ol className="ops-steps">
        {STAGES.map((stage) => (
          <li key={stage}>
            <button type="button" disabled={busy} onClick={() => void ask({ kind: 'rotate-ca', stage })}>
              {t(`ops.title.rotateCa.${stage}`)}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
