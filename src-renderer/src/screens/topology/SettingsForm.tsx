import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import {
  CniSchema,
  isUpgradeSourceOnly,
  MIRRORED_REGISTRIES,
  ProxyModeSchema,
  type Cluster,
  type ClusterSettings,
} from '../../../../src-shared/model/cluster';
import { mirrorField, validateSettings, type SettingsField, type SettingsProblem } from '../../../../src-shared/model/validate-settings';
import { call } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { draftFromSettings, settingsFromDraft, versionOptions, type SettingsDraft } from './settings-draft';

/** The settings picked from a list; the list holds only valid values. */
const choiceFields = (current: ClusterSettings['kubernetesVersion']) =>
  [
    { field: 'kubernetesVersion', label: 'settingsForm.version', options: versionOptions(current) },
    { field: 'proxyMode', label: 'settingsForm.proxyMode', options: ProxyModeSchema.options },
    { field: 'cni', label: 'settingsForm.cni', options: CniSchema.options },
  ] as const;

/** The free-text network settings, checked as the user types. */
const TEXT_FIELDS = ['podCidr', 'serviceCidr', 'clusterDomain'] as const;

/** Typing pauses this long before a save, so cluster.yaml is not rewritten on every key. */
const TEXT_DEBOUNCE_MS = 400;

type SaveState = 'saved' | 'saving' | 'invalid';

/** The cluster settings, saved as the user works; values the shared validation refuses are shown with the reason and not saved. */
export function SettingsForm({ cluster }: { cluster: Cluster }) {
  const t = useT();
  const id = useId();
  const change = useClusters((s) => s.change);
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(cluster.settings));
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<ClusterSettings | undefined>(undefined);
  const lastSave = useRef(0);
  const settings = settingsFromDraft(draft);
  const problems = validateSettings(settings, cluster.hosts);
  const name = cluster.name;
  // Hosts added since the last save can make saved settings wrong (a service network over a new host's address).
  const shownState: SaveState = problems.length > 0 ? 'invalid' : saveState;

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const next = pending.current;
    pending.current = undefined;
    if (!next) return;
    setSaveState('saving');
    const seq = ++lastSave.current;
    void change(
      () => call('clusterSettings.save', { cluster: name, settings: next }),
      (c) => ({ ...c, settings: next }),
    ).then((ok) => {
      if (seq === lastSave.current && pending.current === undefined) setSaveState(ok ? 'saved' : 'invalid');
    });
  }, [change, name]);

  // Leaving the screen within the debounce still saves what was typed.
  useEffect(() => flush, [flush]);

  const update = (patch: Partial<SettingsDraft>, debounce: boolean) => {
    const nextDraft = { ...draft, ...patch };
    setDraft(nextDraft);
    const next = settingsFromDraft(nextDraft);
    if (validateSettings(next, cluster.hosts).length > 0) {
      pending.current = undefined;
      clearTimeout(timer.current);
      setSaveState('invalid');
      return;
    }
    pending.current = next;
    setSaveState('saving');
    clearTimeout(timer.current);
    if (debounce) timer.current = setTimeout(flush, TEXT_DEBOUNCE_MS);
    else flush();
  };

  const problemsOf = (field: SettingsField) => problems.filter((p) => p.field === field);
  const errorId = (field: SettingsField) => `${id}-${field}-error`;
  const fieldProps = (field: SettingsField) =>
    problemsOf(field).length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};
  const errors = (field: SettingsField): ReactNode => <FieldProblems id={errorId(field)} problems={problemsOf(field)} />;

  return (
    <form className="settings-form" onSubmit={(e) => e.preventDefault()} aria-label={t('topology.tab.settings')}>
      <div className="form-grid">
        {choiceFields(cluster.settings.kubernetesVersion).map(({ field, label, options }) => (
          <label key={field} className="field">
            <span>{t(label)}</span>
            <select value={draft[field]} onChange={(e) => update({ [field]: e.target.value }, false)}>
              {options.map((v) => (
                <option key={v} value={v}>
                  {field === 'kubernetesVersion' && isUpgradeSourceOnly(v) ? t('settingsForm.versionUpgradeOnly', { version: v }) : v}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <p className="form-note">{t('settingsForm.cidrHelp')}</p>
      <div className="form-grid">
        {TEXT_FIELDS.map((field) => (
          <label key={field} className="field">
            <span>{t(`settingsForm.${field}`)}</span>
            <input
              value={draft[field]}
              spellCheck={false}
              onChange={(e) => update({ [field]: e.target.value }, true)}
              {...fieldProps(field)}
            />
            {errors(field)}
          </label>
        ))}
      </div>
      <fieldset className="form-group">
        <legend>{t('settingsForm.addons')}</legend>
        {(['coredns', 'metricsServer', 'headlamp'] as const).map((addon) => (
          <label key={addon} className="checkbox">
            <input type="checkbox" checked={draft[addon]} onChange={(e) => update({ [addon]: e.target.checked }, false)} />
            {t(`settingsForm.${addon}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('settingsForm.extraSans')}</span>
        <textarea
          rows={3}
          spellCheck={false}
          value={draft.extraSans}
          onChange={(e) => update({ extraSans: e.target.value }, true)}
          placeholder={'api.home.lab\n192.168.50.100'}
          {...fieldProps('extraSans')}
        />
        <span className="form-note">{t('settingsForm.extraSansHelp')}</span>
        {errors('extraSans')}
      </label>
      <fieldset className="form-group">
        <legend>{t('settingsForm.binarySource')}</legend>
        {(['official', 'mirror', 'offline'] as const).map((kind) => (
          <label key={kind} className="radio">
            <input
              type="radio"
              name={`${id}-binary`}
              checked={draft.binaryKind === kind}
              onChange={() => update({ binaryKind: kind }, false)}
            />
            {t(`settingsForm.binary.${kind}`)}
          </label>
        ))}
        {draft.binaryKind === 'mirror' && (
          <label className="field">
            <span>{t('settingsForm.mirrorPrefix')}</span>
            <input
              value={draft.mirrorPrefix}
              spellCheck={false}
              placeholder="https://mirror.home.lab/kubernetes"
              onChange={(e) => update({ mirrorPrefix: e.target.value }, true)}
              {...fieldProps('binarySource')}
            />
          </label>
        )}
        {draft.binaryKind === 'offline' && (
          <label className="field">
            <span>{t('settingsForm.offlineFolder')}</span>
            <input
              value={draft.offlineFolder}
              spellCheck={false}
              placeholder="/srv/kubesmith-bundle"
              onChange={(e) => update({ offlineFolder: e.target.value }, true)}
              {...fieldProps('binarySource')}
            />
          </label>
        )}
        {errors('binarySource')}
      </fieldset>
      <fieldset className="form-group">
        <legend>{t('settingsForm.artifactTransfer')}</legend>
        {(['fromComputer', 'hostsDownload'] as const).map((way) => (
          <label key={way} className="radio">
            <input
              type="radio"
              name={`${id}-transfer`}
              checked={draft.artifactTransfer === way}
              // An offline bundle is on this computer: there is nothing for the hosts to download from.
              disabled={way === 'hostsDownload' && draft.binaryKind === 'offline' && draft.artifactTransfer !== way}
              onChange={() => update({ artifactTransfer: way }, false)}
              {...(way === 'hostsDownload' ? fieldProps('artifactTransfer') : {})}
            />
            {t(`settingsForm.transfer.${way}`)}
          </label>
        ))}
        <span className="form-note">
          {t(draft.binaryKind === 'offline' ? 'settingsForm.transferOfflineNote' : 'settingsForm.transferHelp')}
        </span>
        {errors('artifactTransfer')}
      </fieldset>
      <fieldset className="form-group">
        <legend>{t('settingsForm.registryMirrors')}</legend>
        <span className="form-note">{t('settingsForm.registryMirrorsHelp')}</span>
        {MIRRORED_REGISTRIES.map((registry) => (
          <label key={registry} className="field">
            <span>{registry}</span>
            <input
              value={draft.registryMirrors[registry]}
              spellCheck={false}
              placeholder={`registry.home.lab:5000/${registry}`}
              onChange={(e) => update({ registryMirrors: { ...draft.registryMirrors, [registry]: e.target.value } }, true)}
              {...fieldProps(mirrorField(registry))}
            />
            {errors(mirrorField(registry))}
          </label>
        ))}
      </fieldset>
      <p className={`save-state save-${shownState}`} data-testid="settings-save-state" data-state={shownState} aria-live="polite">
        {t(shownState === 'saved' ? 'settingsForm.saved' : shownState === 'saving' ? 'settingsForm.saving' : 'settingsForm.invalid')}
      </p>
    </form>
  );
}

function FieldProblems({ id, problems }: { id: string; problems: SettingsProblem[] }) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <span className="field-error" id={id} data-testid="settings-problem">
      {problems.map((p) => t(`settingsProblem.${p.code}`, p.params)).join(' ')}
    </span>
  );
}
