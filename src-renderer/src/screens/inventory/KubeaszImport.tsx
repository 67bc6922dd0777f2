import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { KubeaszNote } from '../../../../src-shared/contract/inventory';
import type { ApiError } from '../../../../src-shared/errors';
import { useT } from '../../i18n/i18n';
import { useInventory } from '../../stores/inventory';

/** Bring in a kubeasz cluster: its `hosts` INI file and, optionally, its config.yml, picked as files or pasted. */
export function KubeaszImport({ onDone }: { onDone: () => void }) {
  const t = useT();
  const importKubeasz = useInventory((s) => s.importKubeasz);
  const [hostsIni, setHostsIni] = useState('');
  const [configYaml, setConfigYaml] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<{ added: number; updated: number; notes: KubeaszNote[] } | undefined>();
  const [busy, setBusy] = useState(false);

  const readInto = (setter: (text: string) => void) => async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) setter(await file.text());
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const outcome = await importKubeasz(hostsIni, configYaml.trim() === '' ? undefined : configYaml);
    setBusy(false);
    if (outcome.ok) setResult(outcome);
    else setError(outcome.error);
  };

  if (result) {
    return (
      <section className="kubeasz-import" aria-label={t('kubeasz.title')}>
        <h3>{t('kubeasz.title')}</h3>
        <p data-testid="kubeasz-result">{t('kubeasz.done', { added: result.added, updated: result.updated })}</p>
        {result.notes.length > 0 && (
          <ul className="import-notes">
            {result.notes.map((note, i) => (
              <li key={i}>{t(`kubeasz.note.${note.code}`, note.params)}</li>
            ))}
          </ul>
        )}
        <button type="button" onClick={onDone}>
          {t('kubeasz.close')}
        </button>
      </section>
    );
  }
  return (
    <form className="kubeasz-import" onSubmit={submit} aria-label={t('kubeasz.title')}>
      <h3>{t('kubeasz.title')}</h3>
      <p className="form-note">{t('kubeasz.help')}</p>
      <div className="form-grid form-grid-wide">
        <div className="field">
          <label>
            <span>{t('kubeasz.hostsFile')}</span>
            <input type="file" onChange={readInto(setHostsIni)} />
          </label>
          <label>
            <span className="visually-hidden">{t('kubeasz.hostsText')}</span>
            <textarea
              rows={8}
              spellCheck={false}
              value={hostsIni}
              onChange={(e) => setHostsIni(e.target.value)}
              placeholder={'[etcd]\n192.168.50.20\n…'}
              aria-label={t('kubeasz.hostsText')}
            />
          </label>
        </div>
        <div className="field">
          <label>
            <span>{t('kubeasz.configFile')}</span>
            <input type="file" accept=".yml,.yaml" onChange={readInto(setConfigYaml)} />
          </label>
          <label>
            <span className="visually-hidden">{t('kubeasz.configText')}</span>
            <textarea
              rows={8}
              spellCheck={false}
              value={configYaml}
              onChange={(e) => setConfigYaml(e.target.value)}
              placeholder={'K8S_VER: "1.34.1"\n…'}
              aria-label={t('kubeasz.configText')}
            />
          </label>
        </div>
      </div>
      {error && (
        <p className="form-error" data-error-name={error.name}>
          {error.message} {error.hint}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={hostsIni.trim() === '' || busy}>
          {t('kubeasz.import')}
        </button>
        <button type="button" onClick={onDone}>
          {t('hostForm.cancel')}
        </button>
      </div>
    </form>
  );
}
