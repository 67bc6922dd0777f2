import { describe, expect, it } from 'vitest';
import { FLAGS_BY_VERSION, FLAG_COMPONENTS, flagsOnCommandLine, renderFlags } from './index';

describe('per-version flag lists', () => {
  it('have every component for every supported version', () => {
    for (const v of ['1.34', '1.35', '1.36']) for (const c of FLAG_COMPONENTS) expect(FLAGS_BY_VERSION[v]![c].length).toBeGreaterThan(3);
  });

  it('refuse removed and misspelt flags with the component and version named', () => {
    expect(() => renderFlags('1.36', 'kube-apiserver', [['insecure-port', 0]])).toThrow(/kube-apiserver 1.36 has no flag --insecure-port/);
    expect(() => renderFlags('1.34', 'kubelet', [['container-runtime', 'remote']])).toThrow(/--container-runtime/);
    expect(() => renderFlags('1.30', 'kubelet', [])).toThrow(/not supported/);
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
