import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig';
import { mergeKubeconfig } from './kubeconfig-export';

describe('mergeKubeconfig', () => {
  const ours = renderKubeconfig({
    cluster: 'lab',
    server: 'https://10.231.0.11:6443',
    caCert: 'CA',
    user: 'kubernetes-admin',
    pair: { cert: 'C', key: 'K' },
  });

  it('adds the cluster next to existing ones and makes it current', () => {
    const existing =
      'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: https://x}\ncontexts:\n- name: o\n  context: {cluster: other}\ncurrent-context: o\n';
    const merged = parse(mergeKubeconfig(existing, ours));
    expect(merged.clusters.map((c: { name: string }) => c.name)).toEqual(['other', 'lab']);
    expect(merged['current-context']).toBe('kubernetes-admin@lab');
  });

  it('replaces an entry of the same name instead of duplicating it', () => {
    const merged = parse(mergeKubeconfig(mergeKubeconfig(undefined, ours), ours));
    expect(merged.clusters).toHaveLength(1);
    expect(merged.users).toHaveLength(1);
  });
});
