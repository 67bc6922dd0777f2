import { describe, expect, it } from 'vitest';
import { changes as changes135 } from './1.35';
import { changes as changes136 } from './1.36';
import { changes as changes137 } from './1.37';
import { KUBERNETES_VERSIONS } from '../../../src-shared/model/cluster';
import { derive, FLAGS_1_34, type FlagChanges } from './common';
import { FLAGS_BY_VERSION, FLAG_COMPONENTS, flagsOnCommandLine, renderFlags } from './index';

const diffs: Array<[from: string, to: string, changes: FlagChanges]> = [
  ['1.34', '1.35', changes135],
  ['1.35', '1.36', changes136],
  ['1.36', '1.37', changes137],
];

describe('per-version flag lists', () => {
  it('have every component for every supported version', () => {
    for (const v of ['1.34', '1.35', '1.36', '1.37'])
      for (const c of FLAG_COMPONENTS) expect(FLAGS_BY_VERSION[v]![c].length).toBeGreaterThan(3);
  });

  it('refuse removed and misspelt flags with the component and version named', () => {
    expect(() => renderFlags('1.36', 'kube-apiserver', [['insecure-port', 0]])).toThrow(/kube-apiserver 1.36 has no flag --insecure-port/);
    expect(() => renderFlags('1.34', 'kubelet', [['container-runtime', 'remote']])).toThrow(/--container-runtime/);
    expect(() => renderFlags('1.30', 'kubelet', [])).toThrow(/not supported/);
  });

  it('refuse --pod-infra-container-image from 1.35 on, the release that removed it from the kubelet', () => {
    const flag = ['pod-infra-container-image', 'registry.k8s.io/pause:3.10.1'] as const;
    expect(renderFlags('1.34', 'kubelet', [flag])).toEqual(['--pod-infra-container-image=registry.k8s.io/pause:3.10.1']);
    for (const v of ['1.35', '1.36', '1.37'])
      expect(() => renderFlags(v, 'kubelet', [flag])).toThrow(`kubelet ${v} has no flag --pod-infra-container-image`);
  });

  for (const [from, to, changes] of diffs) {
    it(`${to} differs from ${from} exactly by its changelog diff`, () => {
      let checked = 0;
      for (const c of FLAG_COMPONENTS) {
        for (const f of changes.removed?.[c] ?? []) {
          expect(renderFlags(from, c, [[f, 1]])).toEqual([`--${f}=1`]);
          expect(() => renderFlags(to, c, [[f, 1]])).toThrow(`${c} ${to} has no flag --${f}`);
          checked++;
        }
        for (const f of changes.added?.[c] ?? []) {
          expect(() => renderFlags(from, c, [[f, 1]])).toThrow(`${c} ${from} has no flag --${f}`);
          expect(renderFlags(to, c, [[f, 1]])).toEqual([`--${f}=1`]);
          checked++;
        }
        const touched = new Set([...(changes.removed?.[c] ?? []), ...(changes.added?.[c] ?? [])]);
        const kept = (v: string) => FLAGS_BY_VERSION[v]![c].filter((f) => !touched.has(f));
        expect(kept(to), c).toEqual(kept(from));
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('list a flag for every supported version, and no version the model does not know', () => {
    expect(Object.keys(FLAGS_BY_VERSION).sort()).toEqual([...KUBERNETES_VERSIONS].sort());
  });

  it('refuse a diff that does not fit the list it applies to', () => {
    expect(() => derive(FLAGS_1_34, { removed: { kubelet: ['container-runtime'] } })).toThrow(/kubelet: --container-runtime does not fit/);
    expect(() => derive(FLAGS_1_34, { added: { 'kube-scheduler': ['config'] } })).toThrow(/kube-scheduler: --config does not fit/);
  });

  it('render --name=value and read flags back off a command line', () => {
    const line = renderFlags('1.35', 'kube-scheduler', [
      ['leader-elect', true],
      ['v', 2],
    ]).join(' ');
    expect(line).toBe('--leader-elect=true --v=2');
    expect(flagsOnCommandLine(`/usr/local/bin/x ${line} --foo`)).toEqual(['leader-elect', 'v', 'foo']);
  });
});
