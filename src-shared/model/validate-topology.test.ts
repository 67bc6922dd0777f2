import { describe, expect, it } from 'vitest';
import { ClusterSchema, type Cluster, type Host, type ProbeResult, type Role } from './cluster';
import { ipvsSupport, validateTopology } from './validate-topology';

let nextId = 0;
function host(address: string, roles: Role[], extra: Partial<Host> = {}): Host {
  nextId++;
  return { id: `h${nextId}`, name: address, address, port: 22, user: 'root', auth: { kind: 'agent' }, sudo: 'none', roles, ...extra };
}
const cluster = (hosts: Host[], settings: Partial<Cluster['settings']> = {}): Cluster => {
  const c = ClusterSchema.parse({ name: 't', hosts });
  return { ...c, settings: { ...c.settings, ...settings } };
};
const okProbe = (cpus: number, memoryGiB: number): ProbeResult => ({
  at: '2025-01-01T00:00:00Z',
  ok: true,
  cpus,
  memoryBytes: memoryGiB * 1024 ** 3,
});

/** The seed: 3 etcd on .20-.22, 2 control planes on .10-.11, 3 workers on .40-.42. */
function seed(): Host[] {
  return [
    ...['20', '21', '22'].map((n) => host(`192.168.50.${n}`, ['etcd'])),
    ...['10', '11'].map((n) => host(`192.168.50.${n}`, ['master'])),
    ...['40', '41', '42'].map((n) => host(`192.168.50.${n}`, ['node'])),
  ];
}
const codes = (c: Cluster) => validateTopology(c).findings.map((f) => `${f.severity}:${f.code}`);

describe('validateTopology', () => {
  it('passes the seed topology as HA with nothing to say', () => {
    const report = validateTopology(cluster(seed()));
    expect(report).toEqual({ findings: [], counts: { etcd: 3, master: 2, node: 3, unassigned: 0 }, ha: true, blocked: false });
  });

  it('makes an even etcd count an error that blocks, with keys, params and the hosts concerned', () => {
    const hosts = seed();
    hosts[2]!.roles = [];
    const report = validateTopology(cluster(hosts));
    expect(report.blocked).toBe(true);
    expect(report.ha).toBe(false);
    expect(report.findings[0]).toEqual({
      severity: 'error',
      code: 'etcdEven',
      messageKey: 'finding.etcdEven',
      params: { count: 2, fewer: 1, more: 3 },
      fixKey: 'fix.etcdEven',
      hostIds: [hosts[0]!.id, hosts[1]!.id],
    });
    expect(codes(cluster(hosts))).toEqual(['error:etcdEven', 'warning:noRole']);
  });

  it('accepts 1, 3, 5 and 7 etcd members and warns past 7', () => {
    for (const n of [1, 3, 5, 7]) {
      const hosts = [...Array.from({ length: n }, (_, i) => host(`10.0.0.${i + 1}`, ['etcd', 'master', 'node']))];
      expect(codes(cluster(hosts)).filter((c) => c.includes('etcd'))).toEqual([]);
    }
    const nine = Array.from({ length: 9 }, (_, i) => host(`10.0.1.${i + 1}`, ['etcd', 'master', 'node']));
    expect(codes(cluster(nine))).toEqual(['warning:etcdMany']);
  });

  it('needs an etcd member and a control plane, and says when the cluster is not HA', () => {
    expect(codes(cluster([]))).toEqual(['error:etcdNone', 'error:masterNone']);
    expect(codes(cluster([host('10.0.0.1', ['etcd', 'master'])]))).toEqual(['warning:workerNone', 'warning:notHa']);
    const report = validateTopology(cluster([host('10.0.0.1', ['etcd', 'master', 'node']), host('10.0.0.2', ['master', 'node'])]));
    expect(report.ha).toBe(false);
    expect(report.blocked).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'notHa', params: { masters: 2, etcd: 1 } })]);
  });

  it('finds duplicate addresses in any spelling and duplicate names', () => {
    const hosts = [...seed(), host('FD00::1', ['node'], { name: 'v6' }), host('fd00::0001', ['node'], { name: 'V6' })];
    const report = validateTopology(cluster(hosts));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'duplicateAddress', params: { address: 'FD00::1', names: 'v6, V6' } }),
      expect.objectContaining({ code: 'duplicateName', params: { name: 'v6', count: 2 } }),
    ]);
  });

  it('makes a failed probe an error only for hosts with a role', () => {
    const failed: ProbeResult = { at: 'x', ok: false, error: { name: 'ConnectTimeout', message: 'No answer from 192.168.50.10.' } };
    const hosts = seed();
    hosts[3]!.probe = failed;
    const spare = host('192.168.50.99', [], { probe: failed });
    expect(validateTopology(cluster([...hosts, spare])).findings.filter((f) => f.code === 'probeFailed')).toEqual([
      expect.objectContaining({
        severity: 'error',
        params: { name: '192.168.50.10', error: 'No answer from 192.168.50.10.' },
        hostIds: [hosts[3]!.id],
      }),
    ]);
  });

  it('warns about control planes below 2 CPUs or 2 GiB, tolerating what the kernel keeps', () => {
    const hosts = seed();
    hosts[3]!.probe = okProbe(1, 4);
    hosts[4]!.probe = okProbe(2, 1.9);
    hosts[5]!.probe = okProbe(1, 1); // a worker: no minimum here
    const report = validateTopology(cluster(hosts));
    expect(report.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'lowResources',
        params: { name: '192.168.50.10', cpus: 1, memoryGiB: '4.0', minCpus: 2, minMemoryGiB: 2 },
      }),
    ]);
    hosts[4]!.probe = okProbe(2, 1.5);
    expect(codes(cluster(hosts))).toEqual(['warning:lowResources', 'warning:lowResources']);
  });

  it('flags a jump host that is not in the inventory', () => {
    const hosts = seed();
    hosts[0]!.jump = { kind: 'host', hostId: 'gone' };
    expect(codes(cluster(hosts))).toEqual(['error:jumpMissing']);
  });

  it('warns that ipvs is deprecated from 1.35 on, without blocking', () => {
    expect(codes(cluster(seed(), { proxyMode: 'ipvs', kubernetesVersion: '1.34' }))).toEqual([]);
    for (const kubernetesVersion of ['1.35', '1.36'] as const) {
      const report = validateTopology(cluster(seed(), { proxyMode: 'ipvs', kubernetesVersion }));
      expect(report.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['warning:proxyIpvsDeprecated']);
      expect(report.findings[0]!.params).toEqual({ version: kubernetesVersion });
      expect(report.blocked).toBe(false);
    }
    expect(codes(cluster(seed(), { proxyMode: 'nftables', kubernetesVersion: '1.36' }))).toEqual([]);
  });

  it('refuses ipvs from 1.37 on, by minor number, blocking the deploy', () => {
    for (const kubernetesVersion of ['1.37', '1.38']) {
      // '1.37' may not be offered yet; the rule goes by minor number, so it holds once it is.
      const settings = { proxyMode: 'ipvs', kubernetesVersion } as unknown as Partial<Cluster['settings']>;
      const report = validateTopology(cluster(seed(), settings));
      expect(report.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['error:proxyIpvsRefused']);
      expect(report.findings[0]!.params).toEqual({ version: kubernetesVersion });
      expect(report.blocked).toBe(true);
    }
    expect(ipvsSupport('1.36')).toBe('deprecated');
    expect(ipvsSupport('1.34')).toBe('supported');
  });

  it('blocks on invalid settings, such as a service network over the hosts', () => {
    expect(codes(cluster(seed(), { serviceCidr: '192.168.0.0/16' }))).toEqual(['error:settingsInvalid']);
  });
});
