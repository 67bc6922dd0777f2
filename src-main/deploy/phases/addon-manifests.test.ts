import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, KUBERNETES_VERSIONS, type ClusterSettings } from '../../../src-shared/model/cluster';
import { planContext } from '../context';
import { fileTemplates, findTemplatesDir } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import {
  containersOf,
  nameOf,
  namespaceOf,
  parseManifest,
  podTemplates,
  type ManifestObject,
} from '../../../test/support/deploy/manifests';
import { RELEASES, type ReleaseSet } from '../versions';
import { addonVars, ROLLOUTS } from './addons';

const templatesDir = findTemplatesDir();
const templates = fileTemplates(templatesDir);

/** Every add-on template there is: the common ones and any a Kubernetes version overrides. */
function addonTemplateNames(): string[] {
  const dirs = ['common', ...KUBERNETES_VERSIONS].map((d) => join(templatesDir, d, 'addons')).filter((d) => existsSync(d));
  return [...new Set(dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml'))))].map((f) => f.replace(/\.yaml$/, '')).sort();
}

function renderText(name: string, settings: Partial<ClusterSettings>, hosts = 6): string {
  const ctx = planContext({ cluster: labCluster(hosts, settings), pki: fakePki(), binaries: fakeBinaries(), templates });
  return templates.render(ctx.version, `addons/${name}.yaml`, addonVars(ctx));
}

const render = (name: string, settings: Partial<ClusterSettings>, hosts = 6): ManifestObject[] =>
  parseManifest(renderText(name, settings, hosts));

const seed = ClusterSettingsSchema.parse({});

/** The pinned images each add-on runs, by their names in versions.ts. */
const IMAGES: Record<string, Array<keyof ReleaseSet>> = {
  calico: ['calicoCniImage', 'calicoNodeImage', 'calicoKubeControllersImage'],
  cilium: ['ciliumImage', 'ciliumOperatorImage'],
  coredns: ['corednsImage'],
  flannel: ['flannelCniPluginImage', 'flannelImage'],
  headlamp: ['headlampImage'],
  'metrics-server': ['metricsServerImage'],
};

describe('add-on manifests', () => {
  it('exist for every network add-on the settings offer, and every add-on has its images and rollouts named', () => {
    const names = addonTemplateNames();
    for (const cni of ClusterSettingsSchema.shape.cni.unwrap().options) expect(names).toContain(cni);
    expect(Object.keys(IMAGES).sort()).toEqual(names);
    expect(Object.keys(ROLLOUTS).sort()).toEqual(names);
  });

  for (const version of KUBERNETES_VERSIONS) {
    for (const name of addonTemplateNames()) {
      it(`${version} ${name}: renders from the seed settings into objects that are whole`, () => {
        const text = renderText(name, { ...seed, kubernetesVersion: version });
        expect(text).not.toContain('{{');
        const objects = parseManifest(text);
        expect(objects.length).toBeGreaterThan(0);
        for (const o of objects) {
          expect(typeof o.apiVersion, JSON.stringify(o).slice(0, 80)).toBe('string');
          expect(typeof o.kind).toBe('string');
          expect(nameOf(o)).not.toBe('');
        }
        const keys = objects.map((o) => `${String(o.kind)} ${namespaceOf(o)}/${nameOf(o)}`);
        expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
      });
    }
  }

  for (const name of addonTemplateNames()) {
    it(`${name}: runs exactly its pinned images from versions.ts`, () => {
      const release = RELEASES[seed.kubernetesVersion]!;
      const used = podTemplates(render(name, seed)).flatMap(({ pod }) => containersOf(pod).map((c) => c.image));
      expect(new Set(used)).toEqual(new Set(IMAGES[name]!.map((k) => release[k])));
      for (const image of used) expect(image).toMatch(/^[a-z0-9.-]+\/[a-z0-9/_.-]+:[\w.-]+$/);
    });

    it(`${name}: every reference inside a pod resolves within the manifest`, () => {
      const objects = render(name, seed);
      const find = (kind: string, n: string, ns: string) =>
        objects.find((o) => o.kind === kind && nameOf(o) === n && namespaceOf(o) === ns);
      for (const { owner, pod } of podTemplates(objects)) {
        const ns = namespaceOf(owner);
        const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
        if (pod.serviceAccountName) expect(find('ServiceAccount', pod.serviceAccountName, ns), pod.serviceAccountName).toBeDefined();
        for (const v of pod.volumes ?? []) if (v.configMap) expect(find('ConfigMap', v.configMap.name, ns), v.configMap.name).toBeDefined();
        for (const c of containersOf(pod)) {
          for (const m of c.volumeMounts ?? []) expect(volumes, `${c.name} mounts ${m.name}`).toContain(m.name);
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.configMapKeyRef;
            if (!ref || ref.optional) continue;
            expect(Object.keys(find('ConfigMap', ref.name, ns)?.data ?? {}), `${c.name} ${e.name}`).toContain(ref.key);
          }
        }
      }
    });

    it(`${name}: has every workload its ready step waits for`, () => {
      const objects = render(name, seed);
      for (const { namespace, workload } of ROLLOUTS[name]!) {
        const [kind, workloadName] = workload.split('/');
        const found = objects.find(
          (o) => String(o.kind).toLowerCase() === kind && nameOf(o) === workloadName && namespaceOf(o) === namespace,
        );
        expect(found, `${namespace} ${workload}`).toBeDefined();
      }
    });
  }

  it('hand the pod CIDR from the settings to the network add-ons', () => {
    const podCidr = '10.100.0.0/16';
    const calicoNode = podTemplates(render('calico', { podCidr })).find(({ owner }) => nameOf(owner) === 'calico-node')!;
    const env = calicoNode.pod.containers.find((c) => c.name === 'calico-node')!.env ?? [];
    expect(env.find((e) => e.name === 'CALICO_IPV4POOL_CIDR')?.value).toBe(podCidr);

    const ciliumConfig = render('cilium', { podCidr }).find((o) => o.kind === 'ConfigMap' && nameOf(o) === 'cilium-config')!;
    expect(ciliumConfig.data!['cluster-pool-ipv4-cidr']).toBe(podCidr);
    expect(ciliumConfig.data!['ipam']).toBe('cluster-pool');
    expect(ciliumConfig.data!['kube-proxy-replacement']).toBe('false');

    const flannelConfig = render('flannel', { podCidr }).find((o) => o.kind === 'ConfigMap')!;
    expect(JSON.parse(String(flannelConfig.data!['net-conf.json'])).Network).toBe(podCidr);
  });

  it("turn Calico's nftables mode on exactly when kube-proxy runs nftables", () => {
    // ipvs is refused from 1.37 on, so the modes are compared on 1.36, where all three still deploy.
    const felixMode = (proxyMode: ClusterSettings['proxyMode']) =>
      podTemplates(render('calico', { proxyMode, kubernetesVersion: '1.36' }))
        .flatMap(({ pod }) => pod.containers)
        .flatMap((c) => c.env ?? [])
        .find((e) => e.name === 'FELIX_NFTABLESMODE')?.value;
    expect(felixMode('nftables')).toBe('Enabled');
    expect(felixMode('iptables')).toBe('Disabled');
    expect(felixMode('ipvs')).toBe('Disabled');
  });

  it('run one Cilium operator on a one-node cluster and two on larger ones, as its anti-affinity allows', () => {
    const replicas = (hosts: number) =>
      render('cilium', {}, hosts).find((o) => o.kind === 'Deployment' && nameOf(o) === 'cilium-operator')!.spec as { replicas?: number };
    expect(replicas(1).replicas).toBe(1);
    expect(replicas(6).replicas).toBe(2);
  });

  it('declare every CustomResourceDefinition Calico watches', () => {
    const objects = render('calico', seed);
    const crds = new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map(nameOf));
    const role = objects.find((o) => o.kind === 'ClusterRole' && nameOf(o) === 'calico-node')!;
    const rules = role.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    const watched = rules
      .filter(
        (r) => r.verbs.includes('watch') && r.apiGroups.some((g) => g === 'crd.projectcalico.org' || g === 'policy.networking.k8s.io'),
      )
      .flatMap((r) => r.resources.map((res) => `${res}.${r.apiGroups[0]}`))
      // Names Calico keeps in its role for clusters upgraded from v2, never served as CRDs today.
      .filter((n) => !/^global(felix|bgp)configs\./.test(n));
    expect(watched.length).toBeGreaterThan(20);
    for (const n of watched) expect(crds, n).toContain(n);
  });
});
