import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSIONS } from '../../src-shared/model/cluster';
import { planSteps, type FileAction, type PlanStep } from '../../src-shared/model/plan';
import { FLAGS_BY_VERSION, flagsOnCommandLine, type FlagComponent } from './flags';
import { buildPlan } from './plan-builder';
import { execStartOf } from './render/systemd-unit';
import { fileTemplates } from './templates';
import { fakeBinaries, fakePki, labCluster } from '../../test/support/deploy/fixtures';

const templates = fileTemplates();
const plan = (n = 6, settings = {}) =>
  buildPlan({ cluster: labCluster(n, settings), pki: fakePki(), binaries: fakeBinaries(), templates, now: new Date(0) });
const file = (s: PlanStep): FileAction => {
  if (s.action.kind !== 'file') throw new Error(`${s.id} is not a file step`);
  return s.action;
};
const find = (p: ReturnType<typeof plan>, id: string) => {
  const step = planSteps(p).find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
};

describe('buildPlan', () => {
  it('lists every phase in order, with a job per host that has the role', () => {
    const p = plan();
    expect(p.phases.map((x) => x.id)).toEqual([
      'preflight',
      'prepare',
      'binaries',
      'etcd',
      'runtime',
      'load-balancer',
      'control-plane',
      'nodes',
      'addons',
      'verify',
    ]);
    const hostsOf = (id: string) => p.phases.find((x) => x.id === id)!.jobs.map((j) => j.hostName);
    expect(hostsOf('etcd')).toEqual(['node1', 'node2', 'node3']);
    expect(hostsOf('control-plane')).toEqual(['node1', 'node2', 'node3']);
    expect(hostsOf('nodes')).toHaveLength(6);
    expect(hostsOf('addons')).toEqual(['node1']);
  });

  it('is deterministic: the same cluster gives the same hash; a changed setting changes it', () => {
    expect(plan().hash).toBe(plan().hash);
    expect(plan(6, { podCidr: '10.100.0.0/16' }).hash).not.toBe(plan().hash);
  });

  it('declares cross-host needs: control plane on an etcd majority, nodes on any apiserver', () => {
    const p = plan();
    const cp = p.phases.find((x) => x.id === 'control-plane')!.jobs[0]!;
    expect(cp.needs).toEqual([{ phase: 'etcd', hostIds: ['h1', 'h2', 'h3'], quantity: 'majority' }]);
    const node = p.phases.find((x) => x.id === 'nodes')!.jobs[5]!;
    expect(node.needs).toEqual([{ phase: 'control-plane', hostIds: ['h1', 'h2', 'h3'], quantity: 'any' }]);
  });

  for (const version of KUBERNETES_VERSIONS) {
    it(`${version}: every flag of every generated Kubernetes unit exists in that version's checked list`, () => {
      const p = plan(6, { kubernetesVersion: version });
      const units: Record<string, FlagComponent> = {
        'kube-apiserver.service': 'kube-apiserver',
        'kube-controller-manager.service': 'kube-controller-manager',
        'kube-scheduler.service': 'kube-scheduler',
        'kubelet.service': 'kubelet',
        'kube-proxy.service': 'kube-proxy',
      };
      const seen = new Set<string>();
      for (const s of planSteps(p)) {
        if (s.action.kind !== 'file') continue;
        const component = units[s.action.path.split('/').pop() ?? ''];
        if (!component) continue;
        seen.add(component);
        const flags = flagsOnCommandLine(execStartOf(s.action.text ?? ''));
        expect(flags.length).toBeGreaterThan(0);
        for (const f of flags) expect(FLAGS_BY_VERSION[version]![component], `${component} --${f}`).toContain(f);
      }
      expect(seen.size).toBe(5);
    });
  }

  it('configures the apiserver as the issue asks: Node,RBAC, anonymous only for health paths, etcd over TLS, SA keys, front proxy', () => {
    const unit = file(find(plan(), 'control-plane/h2/apiserver-unit')).text!;
    for (const expected of [
      '--authorization-mode=Node,RBAC',
      '--authentication-config=/etc/kubernetes/authentication-config.yaml',
      '--etcd-servers=https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.13:2379',
      '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
      '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
      '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
      '--bind-address=10.231.0.12',
    ]) {
      expect(unit).toContain(expected);
    }
    expect(unit).not.toMatch(/--insecure-port|--cloud-provider/);
  });

  it('points kubelet, kube-proxy, controller-manager and scheduler at the local load balancer', () => {
    const p = plan();
    for (const id of [
      'nodes/h4/kubelet.conf',
      'nodes/h4/kube-proxy.conf',
      'control-plane/h1/controller-manager.conf',
      'control-plane/h1/scheduler.conf',
    ]) {
      const step = find(p, id);
      expect(file(step).secret).toBe(true);
      expect(file(step).text).toContain('server: https://127.0.0.1:6443');
    }
  });

  it('writes a kubelet config with the systemd cgroup driver, webhook auth, cluster DNS and no rotation', () => {
    const text = file(find(plan(), 'nodes/h5/kubelet-config')).text!;
    expect(text).toContain('cgroupDriver: systemd');
    expect(text).toContain('containerRuntimeEndpoint: unix:///run/containerd/containerd.sock');
    expect(text).toMatch(/clusterDNS:\n\s+- 10\.96\.0\.10/);
    expect(text).toContain('rotateCertificates: false');
    expect(text).toMatch(/webhook:\n\s+enabled: true/);
    expect(text).toContain('mode: Webhook');
    expect(file(find(plan(), 'nodes/h5/kube-proxy-config')).text).toContain('mode: nftables');
  });

  it('gives containerd both config versions and picks by `containerd --version` on the host', () => {
    const a = file(find(plan(), 'runtime/h4/config'));
    expect(a.chooseBy).toContain('containerd --version');
    const [v30, v3, v2] = a.variants!;
    expect(new RegExp(v3!.match).test('containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7')).toBe(true);
    expect(new RegExp(v30!.match).test('containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7')).toBe(false);
    expect(new RegExp(v2!.match).test('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3')).toBe(true);
    expect(new RegExp(v3!.match).test('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3')).toBe(false);
    expect(v30!.text).toMatch(/^version = 3$/m);
    expect(v3!.text).toMatch(/^version = 3$/m);
    expect(v2!.text).toMatch(/^version = 2$/m);
    for (const v of [v2!, v30!, v3!]) {
      expect(v.text).toContain('SystemdCgroup = true');
      expect(v.text).toContain('registry.k8s.io/pause:');
    }
  });

  it('writes a hosts.toml for each registry with a mirror, and none for the others', () => {
    const p = plan(6, { registryMirrors: { 'docker.io': 'https://mirror.lab:5000', 'quay.io': 'mirror.lab/quay.io' } });
    const docker = file(find(p, 'runtime/h1/mirror-docker.io'));
    expect(docker.path).toBe('/etc/containerd/certs.d/docker.io/hosts.toml');
    expect(docker.text).toContain('server = "https://registry-1.docker.io"');
    expect(docker.text).toContain('[host."https://mirror.lab:5000"]');
    expect(docker.text).toContain('override_path = false');
    const quay = file(find(p, 'runtime/h1/mirror-quay.io'));
    expect(quay.text).toContain('server = "https://quay.io"');
    expect(quay.text).toContain('[host."https://mirror.lab/v2/quay.io"]');
    expect(quay.text).toContain('override_path = true');
    expect(
      planSteps(p)
        .filter((s) => s.id.startsWith('runtime/h1/mirror-'))
        .map((s) => s.id),
    ).toEqual(['runtime/h1/mirror-docker.io', 'runtime/h1/mirror-quay.io']);
    expect(() => plan(6, { registryMirrors: { 'ghcr.io': 'x" ]\n[host."evil' } })).toThrow(
      /not a registry mirror|registryMirrors\.ghcr\.io/,
    );
  });

  it('load balancer on every kubelet host to every apiserver, on 127.0.0.1:6443', () => {
    const a = file(find(plan(), 'load-balancer/h6/config'));
    for (const v of a.variants!) {
      expect(v.text).toContain('listen 127.0.0.1:6443;');
      for (const ip of ['10.231.0.11', '10.231.0.12', '10.231.0.13']) expect(v.text).toContain(`server ${ip}:6443`);
    }
    expect(a.variants![0]!.text).toContain('load_module');
    // Debian's `nginx -V` lists the stream_* modules before --with-stream=dynamic; chooseBy must not pick those.
    const debian = '--with-stream_ssl_module --with-stream_realip_module --with-stream=dynamic --with-stream_geoip_module=dynamic';
    const picked = spawnSync('sh', ['-c', a.chooseBy!.replace('nginx -V 2>&1', `echo '${debian}'`)], { encoding: 'utf8' }).stdout.trim();
    expect(a.variants!.find((v) => new RegExp(v.match).test(picked))!.label).toMatch(/loadable/);
    expect(a.variants![1]!.text).not.toContain('load_module');
  });

  it('etcd: a static three-member cluster over TLS, started without blocking, then checked with the healthcheck cert', () => {
    const p = plan();
    const unit = file(find(p, 'etcd/h2/unit')).variants![0]!.text!;
    // Bootstrap settings live outside the unit, written only while the member has no data.
    expect(unit).toContain('EnvironmentFile=-/etc/kubernetes/etcd-bootstrap.env');
    expect(unit).not.toContain('--initial-cluster');
    const bootstrap = find(p, 'etcd/h2/bootstrap');
    if (bootstrap.action.kind !== 'command') throw new Error('bootstrap is a command');
    expect(bootstrap.action.skipIf).toBe('[ -d /var/lib/etcd/member ]');
    expect(bootstrap.action.run).toContain(
      'ETCD_INITIAL_CLUSTER=node1=https://10.231.0.11:2380,node2=https://10.231.0.12:2380,node3=https://10.231.0.13:2380',
    );
    expect(bootstrap.action.run).toContain('ETCD_INITIAL_CLUSTER_STATE=new');
    // A host the running cluster does not list is refused rather than left to start a cluster of its own.
    expect(bootstrap.action.run).toMatch(/--endpoints=https:\/\/10\.231\.0\.11:2379,https:\/\/10\.231\.0\.13:2379 .*member list/);
    expect(bootstrap.action.run).toContain('etcd membership');
    expect(unit).toContain('--client-cert-auth=true');
    expect(unit).toContain('--peer-client-cert-auth=true');
    const start = find(p, 'etcd/h2/start');
    expect(start.action.kind === 'command' && start.action.run).toContain('--no-block');
    const health = find(p, 'etcd/h2/healthy');
    expect(health.action.kind === 'command' && health.action.run).toMatch(/healthcheck-client\.key endpoint health.*-ge 2/);
  });

  it('a new binary restarts the unit that runs it, and only that one (an upgrade takes effect)', () => {
    const before = buildPlan({ cluster: labCluster(6), pki: fakePki(), binaries: fakeBinaries(), templates });
    const bins = fakeBinaries();
    const newer = { ...bins, files: bins.files.map((f) => (f.name === 'kube-apiserver' ? { ...f, sha256: 'sha-newer' } : f)) };
    const after = buildPlan({ cluster: labCluster(6), pki: fakePki(), binaries: newer, templates });
    const hash = (p: ReturnType<typeof plan>, id: string) => find(p, id).hash;
    expect(hash(after, 'control-plane/h1/apiserver-start')).not.toBe(hash(before, 'control-plane/h1/apiserver-start'));
    expect(hash(after, 'control-plane/h1/scheduler-start')).toBe(hash(before, 'control-plane/h1/scheduler-start'));
    expect(hash(after, 'nodes/h4/kubelet-start')).toBe(hash(before, 'nodes/h4/kubelet-start'));
  });

  it('keeps secrets out of the renderer copy of the plan', async () => {
    const { planForView } = await import('../../src-shared/model/plan');
    const view = planForView(plan());
    const key = planSteps(view).find((s) => s.id === 'etcd/h1/server.key')!;
    expect(file(key).text).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(view)).not.toContain('/cache/');
  });

  it('refuses kube-proxy ipvs for 1.37 on, and still plans it (with the warning elsewhere) for 1.35 and 1.36', () => {
    const ipvs137 = labCluster(3, { proxyMode: 'ipvs' });
    // Set past the schema: the rule goes by minor number, so it holds whether or not 1.37 is offered yet.
    (ipvs137.settings as { kubernetesVersion: string }).kubernetesVersion = '1.37';
    expect(() => buildPlan({ cluster: ipvs137, pki: fakePki(), binaries: fakeBinaries(), templates })).toThrow(
      expect.objectContaining({ name: 'ProxyModeRefused' }),
    );
    for (const kubernetesVersion of ['1.35', '1.36'] as const)
      expect(file(find(plan(3, { proxyMode: 'ipvs', kubernetesVersion }), 'nodes/h3/kube-proxy-config')).text).toContain('mode: ipvs');
  });

  it('refuses topologies that cannot work, with the reason', () => {
    const cluster = labCluster(6);
    cluster.hosts[2]!.roles = ['master'];
    expect(() => buildPlan({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates })).toThrow(/odd number/);
    const dup = labCluster(3);
    dup.hosts[1]!.name = 'node1';
    expect(() => buildPlan({ cluster: dup, pki: fakePki(), binaries: fakeBinaries(), templates })).toThrow(/Two hosts are named/);
  });

  it('refuses binaries labelled with another minor version, and takes those of the same one', () => {
    const labelled = (kubernetes: string) => ({ ...fakeBinaries(), versions: { kubernetes } });
    expect(() =>
      buildPlan({
        cluster: labCluster(3, { kubernetesVersion: '1.35' }),
        pki: fakePki(),
        binaries: labelled('1.36.1 (bundle)'),
        templates,
      }),
    ).toThrow(
      expect.objectContaining({ name: 'BinariesMismatch', message: 'The binary source holds Kubernetes 1.36.1 (bundle), not 1.35.' }),
    );
    const patched = buildPlan({
      cluster: labCluster(3, { kubernetesVersion: '1.35' }),
      pki: fakePki(),
      binaries: labelled('v1.35.6'),
      templates,
    });
    expect(patched.kubernetesVersion).toBe('v1.35.6');
    expect(plan(3, { kubernetesVersion: '1.35' }).kubernetesVersion).toBe('1.35.9');
    expect(
      buildPlan({ cluster: labCluster(3, { kubernetesVersion: '1.35' }), pki: fakePki(), binaries: labelled('my build'), templates }).phases
        .length,
    ).toBeGreaterThan(0);
  });

  it('names a missing binary', () => {
    const binaries = fakeBinaries();
    binaries.files = binaries.files.filter((f) => f.name !== 'kubelet');
    expect(() => buildPlan({ cluster: labCluster(3), pki: fakePki(), binaries, templates })).toThrow(/no kubelet/);
  });

  it('every unit start step restarts only when its inputs changed (marker check)', () => {
    const start = find(plan(), 'control-plane/h1/apiserver-start');
    if (start.action.kind !== 'command') throw new Error('not a command');
    expect(start.action.skipIf).toMatch(/is-active --quiet kube-apiserver .*\/var\/lib\/kubesmith\/applied\/kube-apiserver/);
    const changed = buildPlan({
      cluster: labCluster(6, { serviceCidr: '10.97.0.0/16' }),
      pki: fakePki(),
      binaries: fakeBinaries(),
      templates,
    });
    expect(find(changed, 'control-plane/h1/apiserver-start').hash).not.toBe(start.hash);
    expect(find(changed, 'control-plane/h1/scheduler-start').hash).toBe(find(plan(), 'control-plane/h1/scheduler-start').hash);
  });
});
