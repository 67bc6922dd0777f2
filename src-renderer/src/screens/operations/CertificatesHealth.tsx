import type { ClusterHealth } from '../../../../src-shared/contract/operations';
import { useI18n, useT } from '../../i18n/i18n';
import { certificateTone, soonestCertificates } from './health-tones';

const SHOWN = 8;

/** The certificates that expire first, so a renewal is never a surprise. */
export function CertificatesHealth({ certificates }: { certificates: ClusterHealth['certificates'] }) {
  const t = useT();
  const locale = useI18n((s) => s.locale);
  const soonest = soonestCertificates(certificates, SHOWN);
  return (
    <section className="ops-card" aria-labelledby="ops-health-certs">
      <h3 id="ops-health-certs">{t('ops.certs')}</h3>
      {soonest.length === 0 ? (
        <p className="muted">{t('ops.certs.none')}</p>
      ) : (
        <ul className="ops-cert-list">
          {soonest.map((c) => (
            <li key={c.id} data-cert-id={c.id}>
              <code>{c.id}</code>{' '}
              <span className={`ops-chip tone-${certificateTone(c.daysLeft)}`}>
                {c.daysLeft < 0 ? t('ops.certs.expired', { days: -c.daysLeft }) : t('ops.certs.daysLeft', { days: c.daysLeft })}
              </span>{' '}
              <span className="muted">{new Date(c.notAfter).toLocaleDateString(locale)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
