import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { ADDONS_DIR, BIN_DIR, K8S_DIR } from '../layout';
import { commandStep, fileStep } from '../steps';
import { clusterDnsIp } from './control-plane';
import { sh, shJoin, type Shell } from '../../ssh/shell';
import { imageRef } from './images';

export const kubectl = (args: Shell): Shell => sh`${BIN_DIR}/kubectl --kubeconfig=${K8S_DIR}/admin.conf ${args}`;

/**
 * Which add-on manifests the settings ask for, in the order they are applied (the pod network first), and
 * the warnings for choices that work but lose something.
 */
export function chosenAddons(ctx: PlanContext): { names: string[]; warnings: string[] } {
  const s = ctx.cluster.settings;
  const names: string[] = [s.cni];
  const warnings: string[] = [];
  if (s.addons.coredns) names.push('coredns');
  if (s.addons.metricsServer) names.push('metrics-server');
  if (s.addons.headlamp) {
    names.push('headlamp');
    if (!s.addons.metricsServer)
      warnings.push(
        'Headlamp shows no CPU or memory use without metrics-server. Turn metrics-server on in the cluster settings to get them.',
      );
  }
  return { names, warnings };
}

export function addonVars(ctx: PlanContext): Record<string, string> {
  const s = ctx.cluster.settings;
  const r = ctx.release;
  return {
    podCidr: s.podCidr,
    clusterDomain: s.clusterDomain,
    dnsIp: clusterDnsIp(ctx),
    corednsImage: imageRef(ctx, 'corednsImage', r.corednsImage),
    metricsServerImage: imageRef(ctx, 'metricsServerImage', r.metricsServerImage),
    flannelImage: imageRef(ctx, 'flannelImage', r.flannelImage),
    flannelCniPluginImage: imageRef(ctx, 'flannelCniPluginImage', r.flannelCniPluginImage),
    calicoNodeImage: imageRef(ctx, 'calicoNodeImage', r.calicoNodeImage),
    calicoCniImage: imageRef(ctx, 'calicoCniImage', r.calicoCniImage),
    calicoKubeControllersImage: imageRef(ctx, 'calicoKubeControllersImage', r.calicoKubeControllersImage),
    // Calico documents its nftables mode for clusters whose kube-proxy runs nftables, and iptables otherwise.
    calicoNftablesMode: s.proxyMode === 'nftables' ? 'Enabled' : 'Disabled',
    ciliumImage: imageRef(ctx, 'ciliumImage', r.ciliumImage),
    ciliumOperatorImage: imageRef(ctx, 'ciliumOperatorImage', r.ciliumOperatorImage),
    // Operator replicas refuse to share a node; a second one on a one-node cluster would never start.
    ciliumOperatorReplicas: String(Math.min(2, ctx.kubeletHosts.length)),
    headlampImage: imageRef(ctx, 'headlampImage', r.headlampImage),
  };
}

/** The workloads each manifest runs: the add-on is ready when `kubectl rollout status` says so for all of them. */
export const ROLLOUTS: Record<string, ReadonlyArray<{ namespace: string; workload: string }>> = {
  flannel: [{ namespace: 'kube-flannel', workload: 'daemonset/kube-flannel-ds' }],
  calico: [
    { namespace: 'kube-system', workload: 'daemonset/calico-node' },
    { namespace: 'kube-system', workload: 'deployment/calico-kube-controllers' },
  ],
  cilium: [
    { namespace: 'kube-system', workload: 'daemonset/cilium' },
    { namespace: 'kube-system', workload: 'deployment/cilium-operator' },
  ],
  coredns: [{ namespace: 'kube-system', workload: 'deployment/coredns' }],
  'metrics-server': [{ namespace: 'kube-system', workload: 'deployment/metrics-server' }],
  headlamp: [{ namespace: 'headlamp', workload: 'deployment/headlamp' }],
};

const ROLLOUT_TIMEOUT_S = 300;

export function addonJobs(ctx: PlanContext): PlanJob[] {
  const host = ctx.addonHost;
  const id = (name: string) => ctx.stepId('addons', host, name);
  const vars = addonVars(ctx);
  const steps: PlanStep[] = [];
  for (const name of chosenAddons(ctx).names) {
    const path = `${ADDONS_DIR}/${name}.yaml`;
    steps.push(
      fileStep(id(`${name}-manifest`), `${name} manifest`, { path, text: ctx.templates.render(ctx.version, `addons/${name}.yaml`, vars) }),
      commandStep(id(`${name}-apply`), `Apply ${name}`, {
        // kubectl diff exits 0 when the cluster already matches the manifest.
        skipIf: sh`${kubectl(sh`diff --server-side -f ${path}`)} >/dev/null 2>&1`,
        run: kubectl(sh`apply --server-side --force-conflicts -f ${path}`),
        retry: { attempts: 10, intervalMs: 3000 },
      }),
    );
  }
  for (const name of chosenAddons(ctx).names) {
    const rollouts = ROLLOUTS[name] ?? [];
    if (rollouts.length === 0) continue;
    const run = shJoin(
      rollouts.map(({ namespace, workload }) => kubectl(sh`-n ${namespace} rollout status ${workload} --timeout=${ROLLOUT_TIMEOUT_S}s`)),
      ' && ',
    );
    steps.push(commandStep(id(`${name}-ready`), `${name} ready`, { run, timeoutMs: rollouts.length * ROLLOUT_TIMEOUT_S * 1000 + 20_000 }));
  }
  return [
    {
      phase: 'addons',
      hostId: host.id,
      hostName: host.name,
      steps,
      needs: [{ phase: 'nodes', hostIds: ctx.kubeletHosts.map((h) => h.id), quantity: 'any' }],
    },
  ];
}

export function verifyJobs(ctx: PlanContext): PlanJob[] {
  const host = ctx.addonHost;
  const id = (name: string) => ctx.stepId('verify', host, name);
  const image = imageRef(ctx, 'verifyImage', ctx.release.verifyImage);
  const steps: PlanStep[] = [
    commandStep(id('nodes-ready'), `All ${ctx.kubeletHosts.length} nodes Ready`, {
      run: sh`${kubectl(sh`wait --for=condition=Ready node --all --timeout=10s`)} && [ "$(${kubectl(sh`get nodes --no-headers`)} | wc -l)" -eq ${ctx.kubeletHosts.length} ]`,
      retry: { attempts: 30, intervalMs: 5000 },
    }),
  ];
  if (ctx.cluster.settings.addons.coredns) {
    steps.push(
      commandStep(id('dns'), 'CoreDNS answers (kubernetes.default from a test pod)', {
        run: sh`${kubectl(sh`-n default delete pod kubesmith-verify --ignore-not-found --wait`)} && ${kubectl(
          sh`-n default run kubesmith-verify --image=${image} --restart=Never --rm -i --quiet --pod-running-timeout=180s -- nslookup ${`kubernetes.default.svc.${ctx.cluster.settings.clusterDomain}`}`,
        )}`,
        timeoutMs: 240_000,
      }),
    );
  } else {
    steps.push(
      commandStep(id('pod'), 'A test pod runs', {
        run: sh`${kubectl(sh`-n default delete pod kubesmith-verify --ignore-not-found --wait`)} && ${kubectl(sh`-n default run kubesmith-verify --image=${image} --restart=Never --rm -i --quiet --pod-running-timeout=180s -- true`)}`,
        timeoutMs: 240_000,
      }),
    );
  }
  return [
    { phase: 'verify', hostId: host.id, hostName: host.name, steps, needs: [{ phase: 'addons', hostIds: [host.id], quantity: 'all' }] },
  ];
}
