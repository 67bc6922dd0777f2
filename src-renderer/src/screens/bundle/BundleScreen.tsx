import { useId } from 'react';
import { KUBERNETES_VERSIONS, MIRRORED_REGISTRIES } from '../../../../src-shared/model/cluster';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useT } from '../../i18n/i18n';
import type { FormField } from './bundle-form';
import { useBundle } from './bundle-store';

const CNIS = ['calico', 'flannel', 'cilium'];
const ARCHES = ['amd64', 'arm64'];

/** Check boxes for a list of choices, kept in the form as the chosen values. */
function Choices({
  legend,
  options,
  chosen,
  onChange,
  error,
}: {
  legend: string;
  options: readonly string[];
  chosen: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="form-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(o)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o))}
          />{' '}
          {o}
        </label>
      ))}
      {error && (
        <p className="field-problem" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function BundleScreen() {
  const t = useT();
  const id = useId();
  const { form, problems, progress, built, edit, make } = useBundle();
  const problem = (field: FormField) => {
    const p = problems.find((x) => x.field === field);
    return p ? t(p.key, p.params) : undefined;
  };
  const errorProps = (field: FormField) => (problem(field) ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${field}` } : {});
  const busy = progress !== undefined;
  return (
    <ScreenFrame title="nav.bundle" intro="screen.bundle.intro">
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <Choices
          legend={t('bundle.versions')}
          options={KUBERNETES_VERSIONS}
          chosen={form.versions}
          onChange={(versions) => edit({ versions })}
          error={problem('versions')}
        />
        <Choices legend={t('bundle.cni')} options={CNIS} chosen={form.cni} onChange={(cni) => edit({ cni })} error={problem('cni')} />
        <fieldset className="form-group">
          <legend>{t('bundle.addons')}</legend>
          {(['coredns', 'metricsServer', 'headlamp'] as const).map((a) => (
            <label key={a} className="check">
              <input type="checkbox" checked={form[a]} onChange={(e) => edit({ [a]: e.target.checked })} /> {a}
            </label>
          ))}
        </fieldset>
        <Choices
          legend={t('bundle.arches')}
          options={ARCHES}
          chosen={form.arches}
          onChange={(arches) => edit({ arches })}
          error={problem('arches')}
        />
        <label className="field">
          <span>{t('bundle.out')}</span>
          <input
            value={form.out}
            spellCheck={false}
            placeholder="/srv/kubesmith-bundle"
            onChange={(e) => edit({ out: e.target.value })}
            {...errorProps('out')}
          />
          {problem('out') && (
            <span id={`${id}-out`} className="field-problem">
              {problem('out')}
            </span>
          )}
        </label>
        <fieldset className="form-group">
          <legend>{t('bundle.mirrors')}</legend>
          <span className="form-note">{t('bundle.mirrorsHelp')}</span>
          {MIRRORED_REGISTRIES.map((registry) => (
            <label key={registry} className="field">
              <span>{registry}</span>
              <input
                value={form.mirrors[registry]}
                spellCheck={false}
                placeholder={`http://mirror.lab:5000/${registry}`}
                onChange={(e) => edit({ mirrors: { ...form.mirrors, [registry]: e.target.value } })}
                {...errorProps(`mirror.${registry}`)}
              />
              {problem(`mirror.${registry}`) && (
                <span id={`${id}-mirror.${registry}`} className="field-problem">
                  {problem(`mirror.${registry}`)}
                </span>
              )}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('bundle.binaryMirror')}</span>
          <input
            value={form.binaryMirror}
            spellCheck={false}
            placeholder="https://mirror.lab/k8s"
            onChange={(e) => edit({ binaryMirror: e.target.value })}
            {...errorProps('binaryMirror')}
          />
          {problem('binaryMirror') && (
            <span id={`${id}-binaryMirror`} className="field-problem">
              {problem('binaryMirror')}
            </span>
          )}
        </label>
        <button type="submit" disabled={busy}>
          {t('bundle.make')}
        </button>
      </form>
      {progress && (
        <div role="status" data-testid="bundle-progress">
          <progress max={Math.max(progress.total, 1)} value={progress.done} />{' '}
          {t('bundle.making', { done: progress.done, total: progress.total, label: progress.label })}
        </div>
      )}
      {built && (
        <ul data-testid="bundle-built">
          {built.map((b) => (
            <li key={b.folder}>
              {t('bundle.made', { folder: b.folder, version: b.version, arch: b.arch, images: b.images, files: b.files })}
            </li>
          ))}
        </ul>
      )}
    </ScreenFrame>
  );
}
