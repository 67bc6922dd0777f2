import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../src-shared/errors';
import { parseHostList } from '../../../../src-shared/inventory/paste-hosts';
import { call, toApiError } from '../../api/client';
import { hrefFor } from '../../app/routes';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useInventory } from '../../stores/inventory';
import { AGENT, defaultClusterName, defaultLogin, loginChoices, type SshSetup } from './new-cluster';
import { PasteOutcome } from '../inventory/PasteOutcome';

/**
 * A new cluster in one dialog: its name and its machines (ranges as on Paste a list), logging in as ~/.ssh/config
 * and the agent suggest. The hosts are probed at once (host-key prompts as everywhere), and the Topology screen
 * shows their facts. In import mode it asks for the name only and opens the kubeasz import.
 */
export function NewClusterDialog({ mode, onClose }: { mode: 'hosts' | 'import'; onClose: () => void }) {
  const t = useT();
  const id = useId();
  const list = useClusters((s) => s.list);
  const [name, setName] = useState(() => defaultClusterName(list.map((c) => c.name)));
  const [text, setText] = useState('');
  const [setup, setSetup] = useState<SshSetup>();
  const [user, setUser] = useState<string>();
  const [login, setLogin] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call('hosts.sshConfigAliases', {})
      .then(setSetup)
      .catch(() => setSetup({ aliases: [] }));
  }, []);
  const parsed = useMemo(() => parseHostList(text, { names: [], addresses: [] }), [text]);
  const userValue = user ?? setup?.defaults?.user ?? 'root';
  const loginValue = login ?? defaultLogin(setup);
  const hostsOk = mode === 'import' || (parsed.hosts.length > 0 && parsed.errors.length === 0);
  const canCreate = name.trim() !== '' && hostsOk && userValue.trim() !== '' && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canCreate) return;
    setBusy(true);
    setError(undefined);
    try {
      const clusterName = name.trim();
      await createOrReuse(clusterName);
      if (mode === 'import') {
        onClose();
        window.location.hash = `${hrefFor('inventory')}/import`;
        return;
      }
      const outcome = await useInventory
        .getState()
        .paste(text, { user: userValue.trim(), ...(loginValue !== AGENT ? { keyPath: loginValue } : {}) });
      if (!outcome.ok) {
        setError(outcome.error);
        return;
      }
      onClose();
      window.location.hash = hrefFor('topology');
      const inventory = useInventory.getState();
      void inventory.load(clusterName);
      void inventory.probeAll(useClusters.getState().current?.hosts.map((h) => h.id) ?? []);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop">
      <form
        className="modal new-cluster"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onSubmit={submit}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id={`${id}-title`}>{t(mode === 'import' ? 'newCluster.importTitle' : 'newCluster.title')}</h2>
        <label className="field">
          <span>{t('newCluster.name')}</span>
          <input value={name} autoFocus={mode === 'import'} onChange={(e) => setName(e.target.value)} spellCheck={false} />
        </label>
        {mode === 'hosts' && (
          <>
            <label className="field">
              <span>{t('newCluster.hosts')}</span>
              <textarea
                rows={5}
                autoFocus
                spellCheck={false}
                value={text}
                placeholder={'192.168.50.10-17\nnas 192.168.50.30'}
                aria-describedby={`${id}-help ${id}-result`}
                onChange={(e) => setText(e.target.value)}
              />
            </label>
            <p className="form-note" id={`${id}-help`}>
              {t('paste.help')}
            </p>
            <PasteOutcome id={`${id}-result`} text={text} parsed={parsed} />
            <div className="form-grid">
              <label className="field field-narrow">
                <span>{t('newCluster.user')}</span>
                <input value={userValue} onChange={(e) => setUser(e.target.value)} />
              </label>
              <label className="field">
                <span>{t('newCluster.login')}</span>
                <select value={loginValue} onChange={(e) => setLogin(e.target.value)}>
                  {loginChoices(setup).map((choice) => (
                    <option key={choice} value={choice}>
                      {choice === AGENT ? t('newCluster.agent') : t('newCluster.keyFile', { path: choice })}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <p className="form-note">{t(setup?.found ? 'newCluster.fromConfig' : 'newCluster.noConfig')}</p>
          </>
        )}
        {error && (
          <p className="form-error" role="alert" data-error-name={error.name}>
            {error.message} {error.hint}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('cluster.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!canCreate}>
            {t(mode === 'import' ? 'newCluster.createImport' : 'newCluster.create', { count: parsed.hosts.length })}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A second try after a failed paste finds the cluster already made, still empty: it is used, not refused. */
async function createOrReuse(name: string): Promise<void> {
  const clusters = useClusters.getState();
  if (clusters.current?.name === name && clusters.current.hosts.length === 0) return;
  const current = await call('clusters.create', { name });
  useClusters.getState().adopt(current, await call('clusters.list', {}));
}
