import type { Plan } from '../../../../src-shared/model/plan';
import { useT } from '../../i18n/i18n';
import { formatBytes } from './format';

/** How the run's artifacts reach each host: over the LAN from the relay host, or directly from this computer. */
export function TransferSection({ transfer }: { transfer: NonNullable<Plan['transfer']> }) {
  const t = useT();
  const relay = transfer.relay?.hostName ?? '';
  return (
    <section className="deploy-phase deploy-transfer" aria-label={t('deploy.transfer.title')} data-phase="transfer">
      <h3>{t('deploy.transfer.title')}</h3>
      <p>{transfer.relay ? t('deploy.transfer.relay', { relay }) : t('deploy.transfer.allDirect')}</p>
      <ul>
        {transfer.routes.map((r) => (
          <li key={r.hostId} data-host={r.hostName} data-via={r.via}>
            {t(r.via === 'relay' ? 'deploy.transfer.viaRelay' : 'deploy.transfer.direct', {
              host: r.hostName,
              files: r.files,
              size: formatBytes(r.bytes),
              relay,
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
