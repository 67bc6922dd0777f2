import type { CertificateInfo } from '../../../../src-shared/model/pki';
import { useT } from '../../i18n/i18n';

interface Props {
  certificates: CertificateInfo[];
  busy: boolean;
  onView(id: string): void;
  onRenew(id: string): void;
  onExport(id: string): void;
}

export function CertificateTable({ certificates, busy, onView, onRenew, onExport }: Props) {
  const t = useT();
  return (
    <table className="cert-table" aria-label={t('certs.table')}>
      <thead>
        <tr>
          <th scope="col">{t('certs.col.name')}</th>
          <th scope="col">{t('certs.col.subject')}</th>
          <th scope="col">{t('certs.col.issuer')}</th>
          <th scope="col">{t('certs.col.sans')}</th>
          <th scope="col">{t('certs.col.usages')}</th>
          <th scope="col">{t('certs.col.notAfter')}</th>
          <th scope="col">{t('certs.col.daysLeft')}</th>
          <th scope="col">{t('certs.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {certificates.map((cert) => (
          <tr key={cert.id} data-cert-id={cert.id} className={cert.warn ? 'cert-warn' : undefined}>
            <th scope="row">
              {cert.id}
              {cert.isCa && <span className="role-badge">{t('certs.ca')}</span>}
              {cert.purpose && <div className="cert-purpose">{cert.purpose}</div>}
            </th>
            <td className="cert-subject">{cert.subject}</td>
            <td>{cert.issuer}</td>
            <td className="cert-sans">{[...cert.sans.dns, ...cert.sans.ip].join(', ')}</td>
            <td>{[...cert.keyUsages, ...cert.extKeyUsages].join(', ')}</td>
            <td>{new Date(cert.notAfter).toISOString().slice(0, 10)}</td>
            <td data-testid="days-left">
              {cert.daysLeft}
              {cert.expired ? ` (${t('certs.expired')})` : cert.warn ? ` (${t('certs.expiresSoon')})` : ''}
            </td>
            <td className="cert-actions">
              <button type="button" onClick={() => onView(cert.id)}>
                {t('certs.view')}
              </button>
              {!cert.isCa && (
                <button type="button" disabled={busy} onClick={() => onRenew(cert.id)}>
                  {t('certs.renew')}
                </button>
              )}
              <button type="button" onClick={() => onExport(cert.id)}>
                {t('certs.export')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
