import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../src-shared/errors';
import { parseHostList } from '../../../../src-shared/inventory/paste-hosts';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useInventory } from '../../stores/inventory';
import { PasteOutcome } from './PasteOutcome';

/** Paste many machines at once; every line's problem is shown as you type, and nothing is added while one stands. */
export function PasteHosts({ onDone }: { onDone: () => void }) {
  const t = useT();
  const id = useId();
  const hosts = useClusters((s) => s.current?.hosts ?? []);
  const paste = useInventory((s) => s.paste);
  const [text, setText] = useState('');
  const [user, setUser] = useState('root');
  const [port, setPort] = useState('22');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(
    () => parseHostList(text, { names: hosts.map((h) => h.name), addresses: hosts.map((h) => h.address) }),
    [text, hosts],
  );
  const portNumber = Number(port);
  const portOk = /^[0-9]{1,5}$/.test(port) && portNumber >= 1 && portNumber <= 65535;
  const canAdd = parsed.hosts.length > 0 && parsed.errors.length === 0 && portOk && user.trim() !== '' && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canAdd) return;
    setBusy(true);
    const outcome = await paste(text, { user: user.trim(), port: portNumber });
    setBusy(false);
    if (outcome.ok) onDone();
    else setError(outcome.error);
  };

  return (
    <form className="paste-hosts" onSubmit={submit} aria-label={t('paste.title')}>
      <h3>{t('paste.title')}</h3>
      <label className="field">
        <span>{t('paste.label')}</span>
        <textarea
          rows={8}
          value={text}
          autoFocus
          spellCheck={false}
          placeholder={'192.168.50.20-22\netcd-1 192.168.50.23\nnode1.home.lab\nadmin@[fd00::10]:2222'}
          aria-describedby={`${id}-help ${id}-result`}
          onChange={(e) => {
            setText(e.target.value);
            setError(undefined);
          }}
        />
      </label>
      <p className="form-note" id={`${id}-help`}>
        {t('paste.help')}
      </p>
      <div className="form-grid">
        <label className="field field-narrow">
          <span>{t('paste.defaultUser')}</span>
          <input value={user} onChange={(e) => setUser(e.target.value)} />
        </label>
        <label className="field field-narrow">
          <span>{t('paste.defaultPort')}</span>
          <input value={port} inputMode="numeric" onChange={(e) => setPort(e.target.value)} aria-invalid={!portOk} />
        </label>
      </div>
      <PasteOutcome id={`${id}-result`} text={text} parsed={parsed} />
      {error && (
        <p className="form-error" data-error-name={error.name}>
          {error.message} {error.hint}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!canAdd}>
          {t('paste.add', { count: parsed.hosts.length })}
        </button>
        <button type="button" onClick={onDone}>
          {t('hostForm.cancel')}
        </button>
      </div>
    </form>
  );
}
