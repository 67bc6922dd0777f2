import { useEffect, useId, useState } from 'react';
import { call } from '../api/client';
import { useT } from '../i18n/i18n';
import { useClusters, type BrokenCluster } from '../stores/clusters';
import { useErrors } from '../stores/errors';

/**
 * A cluster whose cluster.yaml cannot be opened: the reason, the file's text to repair in place (saved only when it
 * passes every rule), and removal behind typing the cluster's name.
 */
export function RepairCluster({ broken }: { broken: BrokenCluster }) {
  const t = useT();
  const id = useId();
  const { open, refresh } = useClusters();
  const [file, setFile] = useState<{ path: string; text: string } | undefined>();
  const [text, setText] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    call('clusters.readFile', { name: broken.name }).then(
      (read) => {
        if (stale) return;
        setFile(read);
        setText(read.text);
      },
      (err: unknown) => useErrors.getState().show(err),
    );
    return () => {
      stale = true;
    };
  }, [broken.name]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      useErrors.getState().dismiss();
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      setBusy(false);
    }
  };
  const repair = () =>
    act(async () => {
      await call('clusters.repair', { name: broken.name, text });
      await refresh();
      await open(broken.name);
    });
  const remove = () =>
    act(async () => {
      await call('clusters.remove', { name: broken.name });
      await refresh();
    });

  return (
    <section className="screen repair-cluster" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('repair.title', { name: broken.name })}</h2>
      <p role="alert" className="repair-reason">
        {broken.message}
      </p>
      <p className="screen-intro">{t('repair.intro')}</p>
      <label className="field">
        <span>{file ? file.path : t('repair.loading')}</span>
        <textarea
          className="repair-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={18}
          spellCheck={false}
          disabled={!file || busy}
          aria-label={t('repair.textLabel')}
        />
      </label>
      <div className="actions">
        <button type="button" onClick={() => void repair()} disabled={!file || busy || text === file.text}>
          {t('repair.save')}
        </button>
      </div>
      <h3>{t('repair.removeTitle')}</h3>
      <p>{t('repair.removeIntro')}</p>
      <label className="field">
        <span>{t('repair.typeName', { name: broken.name })}</span>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} disabled={busy} autoComplete="off" />
      </label>
      <div className="actions">
        <button type="button" className="danger" onClick={() => void remove()} disabled={busy || typed !== broken.name}>
          {t('repair.remove')}
        </button>
      </div>
    </section>
  );
}
