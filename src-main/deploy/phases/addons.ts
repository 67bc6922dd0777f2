import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { ADDONS_DIR, BIN_DIR, K8S_DIR } from '../layout';
import { commandStep, fileStep } from '../steps';
import { clusterDnsIp } from './control-plane';

export const kubectl = (args: string): string => `${BIN_DIR}/kubectl --kubeconfig=${K8S_DIR}/admin.conf ${args}`;

/** Which add-on manifests the settings ask for, and the warnings for the ones this build cannot apply. */
export function chosenAddons(ctx: PlanContext): { names: string[]; warnings: string[] } {
  const s = ctx.cluster.settings;
  const names: string[] = [];
  const warnings: string[] = [];
  if (s.cni === 'flannel') names.push('flannel');
  else
    warnings.push(
      `The ${s.cni} network add-on has no template in this build yet: no pod network is applied and nodes stay NotReady. Pick flannel in the cluster settings, or apply ${s.cni} yourself after the deploy.`,
    );
  if (s.addons.coredns) names.push('coredns');
  if (s.addons.metricsServer) names.push('metrics-server');
  if (s.addons.dashboard) warnings.push('The dashboard add-on has no template in this build yet; it is left out.');
  return { names, warnings };
}

export function addonVars(ctx: PlanContext): Record<string, string> {
  const s = ctx.cluster.settings;
  const r = ctx.release;
  return {
    podCidr: s.podCidr,
    clusterDomain: s.clusterDomain,
    dnsIp: clusterDnsIp(ctx),
    corednsImage: r.corednsImage,
    metricsServerImage: r.metricsServerImage,
    flannelImage: r.flannelImage,
    flannelCniPluginImage: r.flannelCniPluginImage,
  };
}

const ROLLOUTS: Record<string, string> = {
  flannel: '-n kube-flannel rollout status daemonset/kube-flannel-ds',
  coredns: '-n kube-system rollout status deployment/coredns',
  'metrics-server': '-n kube-system rollout status deployment/metrics-server',
};

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
        skipIf: `${kubectl(`diff --server-side -f ${path}`)} >/dev/null 2>&1`,
        run: kubectl(`apply --server-side --force-conflicts -f ${path}`),
        retry: { attempts: 10, intervalMs: 3000 },
      }),
    );
  }
  for (const name of chosenAddons(ctx).names) {
    const rollout = ROLLOUTS[name];
    if (rollout)
      steps.push(commandStep(id(`${name}-ready`), `${name} ready`, { run: kubectl(`${rollout} --timeout=300s`), timeoutMs: 320_000 }));
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
  const image = ctx.release.verifyImage;
  const steps: PlanStep[] = [
    commandStep(id('nodes-ready'), `All ${ctx.kubeletHosts.length} nodes Ready`, {
      run: `${kubectl('wait --for=condition=Ready node --all --timeout=10s')} && [ "$(${kubectl('get nodes --no-headers')} | wc -l)" -eq ${ctx.kubeletHosts.length} ]`,
      retry: { attempts: 30, intervalMs: 5000 },
    }),
  ];
  if (ctx.cluster.settings.addons.coredns) {
    steps.push(
      commandStep(id('dns'), 'CoreDNS answers (kubernetes.default from a test pod)', {
        run: `${kubectl(`-n default delete pod kubesmith-verify --ignore-not-found --wait`)} && ${kubectl(
          `-n default run kubesmith-verify --image=${image} --restart=Never --rm -i --quiet --pod-running-timeout=180s -- nslookup kubernetes.default.svc.${ctx.cluster.settings.clusterDomain}`,
        )}`,
        timeoutMs: 240_000,
      }),
    );
  } else {
    steps.push(
      commandStep(id('pod'), 'A test pod runs', {
        run: `${kubectl(`-n default delete pod kubesmith-verify --ignore-not-found --wait`)} && ${kubectl(`-n default run kubesmith-verify --image=${image} --restart=Never --rm -i --quiet --pod-running-timeout=180s -- true`)}`,
        timeoutMs: 240_000,
      }),
    );
  }
  return [
    { phase: 'verify', hostId: host.id, hostName: host.name, steps, needs: [{ phase: 'addons', hostIds: [host.id], quantity: 'all' }] },
  ];
}
