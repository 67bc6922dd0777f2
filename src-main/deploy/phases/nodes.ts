import { stringify } from 'yaml';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { renderFlags } from '../flags';
import { renderKubeconfig } from '../kubeconfig';
import { BIN_DIR, CONTAINERD_SOCKET, K8S_DIR, KUBELET_DIR, KUBE_PROXY_DIR, LOCAL_API_URL, PKI_DIR, UNIT_DIR } from '../layout';
import { renderUnit } from '../render/systemd-unit';
import { commandStep, fileStep, unitStep, variantFileStep } from '../steps';
import { clusterDnsIp } from './control-plane';
import { programSteps } from './binaries';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';

/**
 * The resolv.conf the kubelet hands to pods with `dnsPolicy: Default` (CoreDNS among them). Where systemd-resolved
 * runs, /etc/resolv.conf names its stub 127.0.0.53, which inside a pod is the pod itself: CoreDNS would forward to
 * itself and its loop plugin stops it. kubeadm then points the kubelet at resolved's list of the real upstream
 * servers (kubernetes/kubernetes cmd/kubeadm/app/componentconfigs/kubelet_unix.go mutateResolverConfig, with
 * initsystem's ServiceIsActive: `systemctl is-active` says "active" or "activating"). The same test runs on each
 * host at deploy time (`chooseBy`), so every host gets the file that fits it.
 */
export const RESOLV_CONF = { resolved: '/run/systemd/resolve/resolv.conf', plain: '/etc/resolv.conf' } as const;
export const RESOLVED_ACTIVE = '^(active|activating)$';

export function renderKubeletConfig(ctx: PlanContext, resolvConf: string = RESOLV_CONF.plain): string {
  const s = ctx.cluster.settings;
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: `${PKI_DIR}/ca.crt` } },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'systemd',
    containerRuntimeEndpoint: CONTAINERD_SOCKET,
    clusterDNS: [clusterDnsIp(ctx)],
    clusterDomain: s.clusterDomain,
    resolvConf,
    // Kubesmith issues the kubelet's certificates itself: no rotation, no TLS bootstrap.
    rotateCertificates: false,
    serverTLSBootstrap: false,
    tlsCertFile: `${KUBELET_DIR}/pki/kubelet.crt`,
    tlsPrivateKeyFile: `${KUBELET_DIR}/pki/kubelet.key`,
    failSwapOn: true,
    readOnlyPort: 0,
    protectKernelDefaults: false,
  });
}

/** The kubelet config, one variant per resolver setup; the host's `systemctl is-active systemd-resolved` picks. */
export function kubeletConfigStep(ctx: PlanContext, host: Host): PlanStep {
  return variantFileStep(ctx.stepId('nodes', host, 'kubelet-config'), 'kubelet config (resolvConf chosen on the host)', {
    path: `${KUBELET_DIR}/config.yaml`,
    chooseBy: raw('systemctl is-active systemd-resolved 2>/dev/null'),
    variants: [
      {
        match: RESOLVED_ACTIVE,
        label: `systemd-resolved active: ${RESOLV_CONF.resolved}`,
        text: renderKubeletConfig(ctx, RESOLV_CONF.resolved),
      },
      // Anything else ("inactive", "failed", "unknown", no output when the unit does not exist).
      {
        match: `^(?!(active|activating)$)`,
        label: `no systemd-resolved: ${RESOLV_CONF.plain}`,
        text: renderKubeletConfig(ctx, RESOLV_CONF.plain),
      },
    ],
  });
}

export function renderKubeProxyConfig(ctx: PlanContext, host: Host): string {
  const s = ctx.cluster.settings;
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: `${K8S_DIR}/kube-proxy.conf` },
    clusterCIDR: s.podCidr,
    hostnameOverride: host.name,
    mode: s.proxyMode,
    bindAddress: '0.0.0.0',
    metricsBindAddress: '127.0.0.1:10249',
  });
}

export function renderKubeletUnit(ctx: PlanContext, host: Host): string {
  return renderUnit({
    description: `Kubernetes kubelet ${ctx.release.kubernetes} (Kubesmith)`,
    after: ['containerd.service'],
    requires: ['containerd.service'],
    execStart: [
      `${BIN_DIR}/kubelet`,
      ...renderFlags(ctx.version, 'kubelet', [
        ['config', `${KUBELET_DIR}/config.yaml`],
        ['kubeconfig', `${K8S_DIR}/kubelet.conf`],
        ['hostname-override', host.name],
        ['node-ip', host.address],
        ['root-dir', KUBELET_DIR],
        ['v', 2],
      ]),
    ],
  });
}

export function renderKubeProxyUnit(ctx: PlanContext): string {
  return renderUnit({
    description: `Kubernetes kube-proxy ${ctx.release.kubernetes} (Kubesmith)`,
    after: ['network-online.target'],
    wants: ['network-online.target'],
    execStart: [
      `${BIN_DIR}/kube-proxy`,
      ...renderFlags(ctx.version, 'kube-proxy', [
        ['config', `${KUBE_PROXY_DIR}/config.yaml`],
        ['v', 2],
      ]),
    ],
    limitNoFile: 65536,
  });
}

/** How long a unit must have been active, without a restart, to count as running (a bad flag or config exits at once). */
export const KEEPS_RUNNING_SECONDS = 3;

/**
 * The unit is active, has not restarted, and has been active for the window. One `systemctl show` reads its state;
 * a unit active for longer than the window passes there. A unit started a moment ago is watched for the rest of the
 * window through its main process (`/proc/<MainPID>`, a shell test that starts no process), and read once more at
 * the end: it passes only if still active, never restarted (NRestarts) and the same run (MainPID and
 * ActiveEnterTimestamp unchanged, so a stop and start by someone else counts too). A main process that exits is seen
 * within a second and the unit read at once. On a host starting its kubelet and kube-proxy this was the largest share
 * of the nodes phase's CPU: two systemctl, a date and a sleep per look, once a second per unit (about 0.3 CPU-s per
 * worker); now two systemctl and two date in all, each its own process and no shell beside it.
 */
export function keepsRunningCommand(unit: string, windowSeconds = KEEPS_RUNNING_SECONDS): Shell {
  return shJoin(
    [
      sh`ks_unit=${unit}; nl='
'`,
      // One property of the last look: the text after "<newline>Name=" up to the next newline.
      raw('ks_prop() { v=${ks_s#*"$nl$1="}; [ "$v" != "$ks_s" ] || v=; v=${v%%"$nl"*}; }'),
      raw(
        'ks_look() { ks_s="$nl$(systemctl show -p ActiveState -p NRestarts -p MainPID -p ActiveEnterTimestamp "$ks_unit")$nl"; ks_prop ActiveState; st=$v; ks_prop NRestarts; nr=$v; ks_prop MainPID; pid=$v; ks_prop ActiveEnterTimestamp; at=$v; [ "$st" = active ] && [ "$nr" = 0 ]; }',
      ),
      raw('ks_down() { systemctl status --no-pager "$ks_unit" | head -5; exit 1; }'),
      raw('ks_look || ks_down'),
      // Each date runs as its command substitution's own process (no `|| echo 0` in it, which needed a shell there too).
      raw('since=$(date -d "$at" +%s 2>/dev/null)'),
      sh`left=$(( ${windowSeconds} - ( $(date +%s) - \${since:-0} ) ))`,
      raw('[ "$left" -gt 0 ] || exit 0'),
      raw('pid0=$pid; at0=$at'),
      raw('while [ "$left" -gt 0 ] && { [ "${pid:-0}" = 0 ] || [ -d "/proc/$pid" ]; }; do sleep 1; left=$((left - 1)); done'),
      raw('ks_look && [ "$pid" = "$pid0" ] && [ "$at" = "$at0" ] || ks_down'),
    ],
    '\n',
  );
}

export function nodeSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('nodes', host, name);
  const { pki } = ctx;
  const serving = pki.kubeletServing(host.id);
  const kubeconfig = (name: string, user: string, p: { cert: string; key: string }) =>
    fileStep(id(`${name}.conf`), `kubeconfig ${name}.conf`, {
      path: `${K8S_DIR}/${name}.conf`,
      text: renderKubeconfig({ cluster: ctx.cluster.name, server: LOCAL_API_URL, caCert: pki.ca.kubernetes, user, pair: p }),
      secret: true,
    });
  const ca = fileStep(id('ca.crt'), 'Kubernetes CA certificate', { path: `${PKI_DIR}/ca.crt`, text: pki.ca.kubernetes });
  const kubeletInputs = [
    ca,
    fileStep(id('kubelet.crt'), 'kubelet serving certificate', { path: `${KUBELET_DIR}/pki/kubelet.crt`, text: serving.cert }),
    fileStep(id('kubelet.key'), 'kubelet serving key', { path: `${KUBELET_DIR}/pki/kubelet.key`, text: serving.key, secret: true }),
    kubeconfig('kubelet', `system:node:${host.name}`, pki.kubelet(host.id)),
    kubeletConfigStep(ctx, host),
    fileStep(id('kubelet-unit'), 'kubelet unit', { path: `${UNIT_DIR}/kubelet.service`, text: renderKubeletUnit(ctx, host) }),
  ];
  const proxyInputs = [
    kubeconfig('kube-proxy', 'system:kube-proxy', pki.kubeProxy),
    fileStep(id('kube-proxy-config'), `kube-proxy config (${ctx.cluster.settings.proxyMode})`, {
      path: `${KUBE_PROXY_DIR}/config.yaml`,
      text: renderKubeProxyConfig(ctx, host),
    }),
    fileStep(id('kube-proxy-unit'), 'kube-proxy unit', { path: `${UNIT_DIR}/kube-proxy.service`, text: renderKubeProxyUnit(ctx) }),
  ];
  const running = (unit: string) =>
    commandStep(id(`${unit}-running`), `${unit} keeps running`, {
      check: true,
      run: keepsRunningCommand(unit),
      unit,
    });
  return [
    ...kubeletInputs,
    ...proxyInputs,
    unitStep(id('kubelet-start'), { unit: 'kubelet', inputs: [...kubeletInputs, ...programSteps(ctx, host, ['kubelet'])] }),
    unitStep(id('kube-proxy-start'), { unit: 'kube-proxy', inputs: [...proxyInputs, ...programSteps(ctx, host, ['kube-proxy'])] }),
    running('kubelet'),
    running('kube-proxy'),
  ];
}

export function nodeJobs(ctx: PlanContext): PlanJob[] {
  const masterIds = ctx.masters.map((h) => h.id);
  return ctx.kubeletHosts.map((host) => ({
    phase: 'nodes',
    hostId: host.id,
    hostName: host.name,
    steps: nodeSteps(ctx, host),
    needs: [{ phase: 'control-plane', hostIds: masterIds, quantity: 'any' }],
  }));
}
