import { useEffect, useState } from 'react';
import { ScreenFrame } from '../../app/ScreenFrame';
import { PKI_KEY_TYPES, type PkiKeyType } from '../../../../src-shared/contract/pki';
import { call } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { downloadText, useCertificates, type GenerateOptions } from '../../stores/certificates';
import { useClusters } from '../../stores/clusters';
import { useErrors } from '../../stores/errors';
import { CertificateTable } from './CertificateTable';
import { PemDialog } from './PemDialog';
import './certificates.css';

const KEY_TYPE_LABELS: Record<PkiKeyType, string> = {
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
  'ecdsa-p256': 'ECDSA P-256',
};

export function CertificatesScreen() {
  const t = useT();
  const cluster = useClusters((s) => s.current);
  const { state, progress, lastRun, load, generate, renew } = useCertificates();
  const [options, setOptions] = useState<Partial<Pick<GenerateOptions, 'keyType'>> & Omit<GenerateOptions, 'keyType'>>({
    caValidityDays: 3650,
    leafValidityDays: 365,
  });
  const [pem, setPem] = useState<{ id: string; pem: string } | undefined>();
  const name = cluster?.name;

  useEffect(() => {
    if (name) void load(name);
  }, [name, load]);

  // Until the user picks one, the key type the PKI has: "Update" must not re-issue every leaf with another.
  const keyType = options.keyType ?? state?.keyType ?? 'rsa-2048';

  if (!name) return <ScreenFrame title="nav.certificates" intro="screen.needCluster" />;

  const certificates = state?.listing.certificates ?? [];
  const kubeconfigs = certificates.filter((c) => c.id.startsWith('kubeconfig/'));
  const busy = progress !== undefined;
  const fetchPem = async (id: string) => {
    try {
      return await call('pki.pem', { cluster: name, id });
    } catch (err) {
      useErrors.getState().show(err);
      return undefined;
    }
  };
  const exportKubeconfig = async (id: string) => {
    try {
      const file = await call('pki.kubeconfig', { cluster: name, id });
      downloadText(file.fileName, file.text);
    } catch (err) {
      useErrors.getState().show(err);
    }
  };

  return (
    <ScreenFrame title="nav.certificates" intro="screen.certificates.intro">
      <form
        className="cert-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void generate(name, { ...options, keyType });
        }}
      >
        <label>
          {t('certs.keyType')}{' '}
          <select value={keyType} onChange={(e) => setOptions({ ...options, keyType: e.target.value as PkiKeyType })}>
            {PKI_KEY_TYPES.map((k) => (
              <option key={k} value={k}>
                {KEY_TYPE_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('certs.caDays')}{' '}
          <input
            type="number"
            min={1}
            max={36500}
            value={options.caValidityDays}
            onChange={(e) => setOptions({ ...options, caValidityDays: Number(e.target.value) })}
          />
        </label>
        <label>
          {t('certs.leafDays')}{' '}
          <input
            type="number"
            min={1}
            max={36500}
            value={options.leafValidityDays}
            onChange={(e) => setOptions({ ...options, leafValidityDays: Number(e.target.value) })}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {certificates.length ? t('certs.update') : t('certs.generate')}
        </button>
      </form>
      {progress && (
        <div className="cert-progress" role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.done} />
          <span>{t('certs.generating', { done: progress.done, total: progress.total, label: progress.label })}</span>
        </div>
      )}
      {lastRun && (
        <p className="cert-summary" role="status">
          {t('certs.generated', {
            issued: lastRun.issued.length,
            kept: lastRun.kept.length,
            seconds: (lastRun.durationMs / 1000).toFixed(1),
          })}
        </p>
      )}
      {state && (
        <p className="screen-intro" data-testid="key-protection">
          {state.encryptedAtRest ? t('certs.protection', { how: state.keyProtection }) : t('certs.browserNote')}
        </p>
      )}
      {state && state.listing.problems.length > 0 && (
        <section className="cert-problems" role="alert">
          <h3>{t('certs.problems')}</h3>
          <ul>
            {state.listing.problems.map((p) => (
              <li key={p.path}>
                <code>{p.path}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {kubeconfigs.length > 0 && (
        <section className="cert-kubeconfigs">
          <h3>{t('certs.kubeconfigs')}</h3>
          {kubeconfigs.map((k) => (
            <button key={k.id} type="button" onClick={() => void exportKubeconfig(k.id)}>
              {t('certs.exportKubeconfig', { name: `${k.id.slice('kubeconfig/'.length)}.conf` })}
            </button>
          ))}
        </section>
      )}
      {certificates.length === 0 ? (
        <p className="screen-empty">{t('certs.empty')}</p>
      ) : (
        <CertificateTable
          certificates={certificates}
          busy={busy}
          onView={(id) => void fetchPem(id).then((p) => p && setPem(p))}
          onRenew={(id) => void renew(name, id)}
          onExport={(id) => void fetchPem(id).then((p) => p && downloadText(`${id.replaceAll('/', '-')}.crt`, p.pem))}
        />
      )}
      {pem && <PemDialog id={pem.id} pem={pem.pem} onClose={() => setPem(undefined)} />}
    </ScreenFrame>
  );
}
