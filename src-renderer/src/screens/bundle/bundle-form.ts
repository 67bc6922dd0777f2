import type { BundleMakeInput } from '../../../../src-shared/contract/bundle';
import { MIRRORED_REGISTRIES, type MirroredRegistry } from '../../../../src-shared/model/cluster';
import type { MessageKey } from '../../i18n/en';

export interface BundleForm {
  versions: string[];
  cni: string[];
  coredns: boolean;
  metricsServer: boolean;
  headlamp: boolean;
  arches: string[];
  out: string;
  mirrors: Record<MirroredRegistry, string>;
  binaryMirror: string;
}

export const emptyForm = (): BundleForm => ({
  versions: ['1.36'],
  cni: ['calico'],
  coredns: true,
  metricsServer: true,
  headlamp: false,
  arches: ['amd64'],
  out: '',
  mirrors: { 'docker.io': '', 'registry.k8s.io': '', 'quay.io': '', 'ghcr.io': '' },
  binaryMirror: '',
});

export type FormField = 'versions' | 'cni' | 'arches' | 'out' | 'binaryMirror' | `mirror.${MirroredRegistry}`;
export interface FormProblem {
  field: FormField;
  key: MessageKey;
  params?: Record<string, string>;
}

const isUrl = (text: string) => /^https?:\/\/[^\s"\\/]+/.test(text);
const isAbsolute = (text: string) => text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text);

/** What is wrong with the form, field by field; the request only when nothing is. */
export function readForm(form: BundleForm, taskId: string): { problems: FormProblem[]; input?: BundleMakeInput } {
  const problems: FormProblem[] = [];
  for (const field of ['versions', 'cni', 'arches'] as const)
    if (form[field].length === 0) problems.push({ field, key: 'bundle.problem.pickOne' });
  if (!isAbsolute(form.out.trim())) problems.push({ field: 'out', key: 'bundle.problem.out' });
  const mirrors: Partial<Record<MirroredRegistry, string>> = {};
  for (const registry of MIRRORED_REGISTRIES) {
    const value = form.mirrors[registry].trim();
    if (value === '') continue;
    if (!isUrl(value)) problems.push({ field: `mirror.${registry}`, key: 'bundle.problem.url', params: { value } });
    mirrors[registry] = value;
  }
  const binaryMirror = form.binaryMirror.trim();
  if (binaryMirror !== '' && !isUrl(binaryMirror))
    problems.push({ field: 'binaryMirror', key: 'bundle.problem.url', params: { value: binaryMirror } });
  if (problems.length > 0) return { problems };
  return {
    problems,
    input: {
      taskId,
      versions: form.versions as BundleMakeInput['versions'],
      cni: form.cni as BundleMakeInput['cni'],
      addons: { coredns: form.coredns, metricsServer: form.metricsServer, headlamp: form.headlamp },
      arches: form.arches as BundleMakeInput['arches'],
      out: form.out.trim(),
      mirrors,
      ...(binaryMirror !== '' ? { binaryMirror } : {}),
    },
  };
}
