import type { Plan } from '../../../../src-shared/model/plan';
import { useT } from '../../i18n/i18n';
import { formatBytes } from './format';

type Transfer = NonNullable<Plan['transfer']>;

/** The run's way for what a host does not download itself: over the LAN from the relay host, or from this computer. */
function summaryKey(transfer: Transfer) {
  if (transfer.relay) return transfer.source ? 'deploy.transfer.relayFallback' : 'deploy.transfer.relay';
  return transfer.source ? 'deploy.transfer.directFallback' : 'deploy.transfer.allDirect';
}

/**
 * How the run's artifacts reach each host: downloaded by the host from the binary source, over the LAN from the relay
 * host, or directly from this computer.
 */
export function TransferSection({ transfer }: { transfer: Transfer }) {
  const t = useT();
  const relay = transfer.relay?.hostName ?? '';
  const source = transfer.source ?? '';
  return (
    <section className="deploy-phase deploy-transfer" aria-label={t('deploy.transfer.title')} data-phase="transfer">
      <h3>{t('deploy.transfer.title')}</h3>
      {transfer.source && <p data-testid="transfer-source">{t('deploy.transfer.source', { source })}</p>}
      <p>{t(summaryKey(transfer), { relay })}</p>
      <ul>
        {transfer.routes.map((r) => {
          const downloads = r.downloads && r.downloads.files > 0 ? r.downloads : undefined;
          return (
            <li key={r.hostId} data-host={r.hostName} data-via={r.via} data-downloads={downloads?.files ?? 0}>
              {downloads && (
                <span className="transfer-route">
                  {t('deploy.transfer.downloaded', {
                    host: r.hostName,
                    files: downloads.files,
                    size: formatBytes(downloads.bytes),
                    source,
                  })}
                </span>
              )}
              {(r.files > 0 || !downloads) && (
                <span className="transfer-route">
                  {downloads && ' '}
                  {t(r.via === 'relay' ? 'deploy.transfer.viaRelay' : 'deploy.transfer.direct', {
                    host: r.hostName,
                    files: r.files,
                    size: formatBytes(r.bytes),
                    relay,
                  })}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
