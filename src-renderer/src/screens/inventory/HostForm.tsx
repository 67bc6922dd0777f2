import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../../../src-shared/errors';
import type { Host } from '../../../../src-shared/model/cluster';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useConnection } from '../../stores/connection';
import { useInventory } from '../../stores/inventory';
import { applyAlias, checkForm, formFromHost, formToRequest, HOST_FORM_FIELDS, type HostFormField, type HostFormState } from './host-form';

/** Add a host (no `host`) or edit one. Secrets typed here go to the backend's secret store and never come back. */
export function HostForm({ host, onDone }: { host?: Host; onDone: () => void }) {
  const t = useT();
  const id = useId();
  const hosts = useClusters((s) => s.current?.hosts ?? []);
  const { upsert, secrets, aliases, loadAliases } = useInventory();
  const encrypted = useConnection((s) => s.info?.secretsEncryptedAtRest ?? false);
  const [state, setState] = useState<HostFormState>(() => formFromHost(host));
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const stored = host ? secrets[host.id] : undefined;
  const problems = checkForm(state, hosts);
  const shownProblems = touched ? problems : {};

  useEffect(() => {
    if (!host && !aliases) void loadAliases();
  }, [host, aliases, loadAliases]);

  const update = (patch: Partial<HostFormState>) => setState((s) => ({ ...s, ...patch }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    const { host: input, secrets: typed } = formToRequest(state);
    const outcome = await upsert(input, typed);
    setSaving(false);
    if (outcome.ok) onDone();
    else setServerError(outcome.error);
  };
  const serverField = serverError?.details?.field as HostFormField | undefined;
  const fieldError = (field: HostFormField): ReactNode => {
    const problem = shownProblems[field];
    const message = problem ? t(`hostForm.problem.${problem}`) : serverField === field ? serverError?.message : undefined;
    return message ? (
      <span className="field-error" id={`${id}-${field}-error`}>
        {message}
      </span>
    ) : null;
  };
  const invalid = (field: HostFormField) =>
    shownProblems[field] || serverField === field ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-error` } : {};
  const secretPlaceholder = (has: boolean | undefined) => (has ? t('hostForm.secretStored') : t('hostForm.secretNone'));

  return (
    <form
      className="host-form"
      onSubmit={submit}
      aria-label={host ? t('hostForm.editTitle', { name: host.name }) : t('hostForm.addTitle')}
      noValidate
    >
      <h3>{host ? t('hostForm.editTitle', { name: host.name }) : t('hostForm.addTitle')}</h3>
      {!host && aliases && (
        <div className="form-row">
          {aliases.aliases.length > 0 ? (
            <label className="field">
              <span>{t('hostForm.fromSshConfig')}</span>
              <select
                value=""
                onChange={(e) => {
                  const alias = aliases.aliases.find((a) => a.alias === e.target.value);
                  if (alias) setState((s) => applyAlias(s, alias, hosts));
                }}
              >
                <option value="">{t('hostForm.pickAlias', { count: aliases.aliases.length })}</option>
                {aliases.aliases.map((a) => (
                  <option key={a.alias} value={a.alias}>
                    {a.alias}
                    {a.hostName ? ` (${a.hostName})` : ''}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="form-note">{t(aliases.found ? 'hostForm.noAliases' : 'hostForm.noSshConfig', { path: aliases.path })}</p>
          )}
        </div>
      )}
      <div className="form-grid">
        <label className="field">
          <span>{t('hostForm.name')}</span>
          <input
            value={state.name}
            placeholder={state.address || t('hostForm.namePlaceholder')}
            onChange={(e) => update({ name: e.target.value })}
            {...invalid('name')}
          />
          {fieldError('name')}
        </label>
        <label className="field">
          <span>{t('hostForm.address')}</span>
          <input
            value={state.address}
            placeholder="192.168.50.20"
            autoFocus={!host}
            onChange={(e) => update({ address: e.target.value })}
            {...invalid('address')}
          />
          {fieldError('address')}
        </label>
        <label className="field field-narrow">
          <span>{t('hostForm.port')}</span>
          <input value={state.port} inputMode="numeric" onChange={(e) => update({ port: e.target.value })} {...invalid('port')} />
          {fieldError('port')}
        </label>
        <label className="field field-narrow">
          <span>{t('hostForm.user')}</span>
          <input value={state.user} onChange={(e) => update({ user: e.target.value })} {...invalid('user')} />
          {fieldError('user')}
        </label>
      </div>

      <fieldset className="form-group">
        <legend>{t('hostForm.auth')}</legend>
        {(['key', 'agent', 'password'] as const).map((kind) => (
          <label key={kind} className="radio">
            <input type="radio" name={`${id}-auth`} checked={state.authKind === kind} onChange={() => update({ authKind: kind })} />
            {t(`hostForm.auth.${kind}`)}
          </label>
        ))}
        {state.authKind === 'key' && (
          <div className="form-grid">
            <label className="field">
              <span>{t('hostForm.keyPath')}</span>
              <input
                value={state.keyPath}
                placeholder="~/.ssh/id_ed25519"
                onChange={(e) => update({ keyPath: e.target.value })}
                {...invalid('keyPath')}
              />
              {fieldError('keyPath')}
            </label>
            <label className="field">
              <span>{t('hostForm.passphrase')}</span>
              <input
                type="password"
                autoComplete="new-password"
                value={state.passphrase}
                placeholder={secretPlaceholder(stored?.passphrase)}
                onChange={(e) => update({ passphrase: e.target.value })}
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={state.hasPassphrase || state.passphrase !== ''}
                onChange={(e) => update({ hasPassphrase: e.target.checked })}
              />
              {t('hostForm.hasPassphrase')}
            </label>
          </div>
        )}
        {state.authKind === 'agent' && <p className="form-note">{t('hostForm.agentNote')}</p>}
        {state.authKind === 'password' && (
          <label className="field">
            <span>{t('hostForm.password')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={state.password}
              placeholder={secretPlaceholder(stored?.password)}
              onChange={(e) => update({ password: e.target.value })}
            />
          </label>
        )}
      </fieldset>

      <fieldset className="form-group">
        <legend>{t('hostForm.sudo')}</legend>
        {(['none', 'passwordless', 'password'] as const).map((mode) => (
          <label key={mode} className="radio">
            <input type="radio" name={`${id}-sudo`} checked={state.sudo === mode} onChange={() => update({ sudo: mode })} />
            {t(`hostForm.sudo.${mode}`)}
          </label>
        ))}
        {state.sudo === 'password' && (
          <label className="field">
            <span>{t('hostForm.sudoPassword')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={state.sudoPassword}
              placeholder={secretPlaceholder(stored?.sudoPassword)}
              onChange={(e) => update({ sudoPassword: e.target.value })}
            />
          </label>
        )}
      </fieldset>

      <fieldset className="form-group">
        <legend>{t('hostForm.jump')}</legend>
        <label className="field">
          <span className="visually-hidden">{t('hostForm.jump')}</span>
          <select
            value={state.jumpKind === 'host' ? `host:${state.jumpHostId}` : state.jumpKind}
            onChange={(e) => {
              const value = e.target.value;
              update(value.startsWith('host:') ? { jumpKind: 'host', jumpHostId: value.slice(5) } : { jumpKind: value as 'none' | 'spec' });
            }}
            {...invalid('jump')}
          >
            <option value="none">{t('hostForm.jump.none')}</option>
            {hosts
              .filter((h) => h.id !== state.id)
              .map((h) => (
                <option key={h.id} value={`host:${h.id}`}>
                  {h.name} ({h.address})
                </option>
              ))}
            <option value="spec">{t('hostForm.jump.spec')}</option>
          </select>
        </label>
        {state.jumpKind === 'spec' && (
          <label className="field">
            <span>{t('hostForm.jumpSpec')}</span>
            <input
              value={state.jumpSpec}
              placeholder="admin@bastion.lab:22"
              onChange={(e) => update({ jumpSpec: e.target.value })}
              {...invalid('jump')}
            />
          </label>
        )}
        {fieldError('jump')}
      </fieldset>

      {(state.authKind !== 'agent' || state.sudo === 'password') && (
        <p className="form-note" data-testid="secret-note">
          {t(encrypted ? 'inventory.secretsEncrypted' : 'inventory.secretsInMemory')}
        </p>
      )}
      {serverError && !HOST_FORM_FIELDS.includes(serverField as HostFormField) && (
        <p className="form-error" data-error-name={serverError.name}>
          {serverError.message} {serverError.hint}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {t('hostForm.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('hostForm.cancel')}
        </button>
      </div>
    </form>
  );
}
