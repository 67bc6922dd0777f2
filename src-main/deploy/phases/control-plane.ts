import { stringify } from 'yaml';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { renderFlags, type Flag } from '../flags';
import { renderKubeconfig } from '../kubeconfig';
import {
  APISERVER_PORT,
  BIN_DIR,
  CONTROLLER_MANAGER_PORT,
  ETCD_PKI_DIR,
  K8S_DIR,
  LOCAL_API_URL,
  PKI_DIR,
  SCHEDULER_PORT,
  UNIT_DIR,
} from '../layout';
import { hostPort, nthAddress, SERVICE_NODE_PORTS } from '../net';
import { sh } from '../../ssh/shell';
import { renderUnit } from '../render/systemd-unit';
import { commandStep, fileStep, unitStep } from '../steps';
import { etcdClientUrl } from './etcd';
import { programSteps } from './binaries';
import { HOST_POLL_MS } from '../engine/poll-on-host';

/** Where the apiserver's structured authentication configuration lives on a master. */
export const AUTHENTICATION_CONFIG = `${K8S_DIR}/authentication-config.yaml`;

/** The paths a load balancer or a monitor may probe without credentials. */
export const ANONYMOUS_HEALTH_PATHS = ['/livez', '/readyz', '/healthz'] as const;

/**
 * Anonymous requests are allowed for the health endpoints only, everything else needs a credential. From the
 * kubernetes/website reference, access-authn-authz/authentication.md "Anonymous authenticator configuration" and
 * config-api/apiserver-config.v1.md (AuthenticationConfiguration, apiserver.config.k8s.io/v1, `anonymous.enabled`,
 * `anonymous.conditions[].path`; "If present --anonymous-auth must not be set"). The feature gates behind it,
 * AnonymousAuthConfigurableEndpoints and StructuredAuthenticationConfiguration, are GA and locked on from 1.34
 * (feature-gates/*.md), so every version Kubesmith deploys (1.34 only as an upgrade source) takes it. RBAC's
 * default system:public-info-viewer role already lets system:unauthenticated read exactly these paths.
 */
export function renderAuthenticationConfig(): string {
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: ANONYMOUS_HEALTH_PATHS.map((path) => ({ path })) },
  });
}

export function apiserverFlags(ctx: PlanContext, host: Host): Flag[] {
  const s = ctx.cluster.settings;
  return [
    ['advertise-address', host.address],
    ['bind-address', host.address],
    ['secure-port', APISERVER_PORT],
    ['allow-privileged', true],
    // Instead of --anonymous-auth=false (the two are mutually exclusive): anonymous only for the health paths.
    ['authentication-config', AUTHENTICATION_CONFIG],
    ['authorization-mode', 'Node,RBAC'],
    ['enable-admission-plugins', 'NodeRestriction'],
    ['client-ca-file', `${PKI_DIR}/ca.crt`],
    ['tls-cert-file', `${PKI_DIR}/apiserver.crt`],
    ['tls-private-key-file', `${PKI_DIR}/apiserver.key`],
    ['etcd-servers', ctx.etcdHosts.map(etcdClientUrl).join(',')],
    ['etcd-cafile', `${ETCD_PKI_DIR}/ca.crt`],
    ['etcd-certfile', `${PKI_DIR}/apiserver-etcd-client.crt`],
    ['etcd-keyfile', `${PKI_DIR}/apiserver-etcd-client.key`],
    ['kubelet-client-certificate', `${PKI_DIR}/apiserver-kubelet-client.crt`],
    ['kubelet-client-key', `${PKI_DIR}/apiserver-kubelet-client.key`],
    ['kubelet-certificate-authority', `${PKI_DIR}/ca.crt`],
    ['kubelet-preferred-address-types', 'InternalIP,Hostname'],
    ['service-account-issuer', `https://kubernetes.default.svc.${s.clusterDomain}`],
    ['service-account-key-file', `${PKI_DIR}/sa.pub`],
    ['service-account-signing-key-file', `${PKI_DIR}/sa.key`],
    ['service-cluster-ip-range', s.serviceCidr],
    ['service-node-port-range', `${SERVICE_NODE_PORTS.first}-${SERVICE_NODE_PORTS.last}`],
    ['proxy-client-cert-file', `${PKI_DIR}/front-proxy-client.crt`],
    ['proxy-client-key-file', `${PKI_DIR}/front-proxy-client.key`],
    ['requestheader-client-ca-file', `${PKI_DIR}/front-proxy-ca.crt`],
    ['requestheader-allowed-names', 'front-proxy-client'],
    ['requestheader-extra-headers-prefix', 'X-Remote-Extra-'],
    ['requestheader-group-headers', 'X-Remote-Group'],
    ['requestheader-username-headers', 'X-Remote-User'],
    ['enable-aggregator-routing', true],
    ['v', 2],
  ];
}

export function controllerManagerFlags(ctx: PlanContext): Flag[] {
  const s = ctx.cluster.settings;
  const kubeconfig = `${K8S_DIR}/controller-manager.conf`;
  return [
    ['kubeconfig', kubeconfig],
    ['authentication-kubeconfig', kubeconfig],
    ['authorization-kubeconfig', kubeconfig],
    ['bind-address', '127.0.0.1'],
    ['secure-port', CONTROLLER_MANAGER_PORT],
    ['leader-elect', true],
    ['allocate-node-cidrs', true],
    ['cluster-cidr', s.podCidr],
    ['node-cidr-mask-size', 24],
    ['cluster-name', ctx.cluster.name],
    ['cluster-signing-cert-file', `${PKI_DIR}/ca.crt`],
    ['cluster-signing-key-file', `${PKI_DIR}/ca.key`],
    // No bootstrapsigner/tokencleaner (kubeadm adds them, cmd/kubeadm/app/phases/controlplane/manifests.go): they
    // serve bootstrap tokens, and Kubesmith has none — every kubelet gets its certificate from the desktop PKI, and
    // the apiserver runs without --enable-bootstrap-token-auth. The default set ("*") leaves both off.
    ['controllers', '*'],
    ['root-ca-file', `${PKI_DIR}/ca.crt`],
    ['client-ca-file', `${PKI_DIR}/ca.crt`],
    ['requestheader-client-ca-file', `${PKI_DIR}/front-proxy-ca.crt`],
    ['service-account-private-key-file', `${PKI_DIR}/sa.key`],
    ['service-cluster-ip-range', s.serviceCidr],
    ['use-service-account-credentials', true],
    ['v', 2],
  ];
}

export function schedulerFlags(): Flag[] {
  const kubeconfig = `${K8S_DIR}/scheduler.conf`;
  return [
    ['kubeconfig', kubeconfig],
    ['authentication-kubeconfig', kubeconfig],
    ['authorization-kubeconfig', kubeconfig],
    ['bind-address', '127.0.0.1'],
    ['secure-port', SCHEDULER_PORT],
    ['leader-elect', true],
    ['v', 2],
  ];
}

export function renderComponentUnit(
  ctx: PlanContext,
  component: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler',
  flags: Flag[],
  after: string[],
): string {
  return renderUnit({
    description: `Kubernetes ${component} ${ctx.release.kubernetes} (Kubesmith)`,
    documentation: 'https://kubernetes.io/docs/reference/command-line-tools-reference/',
    after: ['network-online.target', ...after],
    wants: ['network-online.target'],
    execStart: [`${BIN_DIR}/${component}`, ...renderFlags(ctx.version, component, flags)],
    limitNoFile: 65536,
  });
}

export function controlPlaneSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('control-plane', host, name);
  const { pki } = ctx;
  const pair = (name: string, title: string, p: { cert: string; key: string }): PlanStep[] => [
    fileStep(id(`${name}.crt`), `${title} certificate`, { path: `${PKI_DIR}/${name}.crt`, text: p.cert }),
    fileStep(id(`${name}.key`), `${title} key`, { path: `${PKI_DIR}/${name}.key`, text: p.key, secret: true }),
  ];
  const kubeconfig = (name: string, user: string, p: { cert: string; key: string }) =>
    fileStep(id(`${name}.conf`), `kubeconfig ${name}.conf`, {
      path: `${K8S_DIR}/${name}.conf`,
      text: renderKubeconfig({ cluster: ctx.cluster.name, server: LOCAL_API_URL, caCert: pki.ca.kubernetes, user, pair: p }),
      secret: true,
    });
  const authConfig = fileStep(
    id('authentication-config'),
    'apiserver authentication config (anonymous only for /livez, /readyz, /healthz)',
    {
      path: AUTHENTICATION_CONFIG,
      text: renderAuthenticationConfig(),
    },
  );
  const pkiFiles = [
    fileStep(id('ca.crt'), 'Kubernetes CA certificate', { path: `${PKI_DIR}/ca.crt`, text: pki.ca.kubernetes }),
    fileStep(id('ca.key'), 'Kubernetes CA key (signs kubelet certificates)', {
      path: `${PKI_DIR}/ca.key`,
      text: pki.kubernetesCaKey,
      secret: true,
    }),
    fileStep(id('etcd-ca.crt'), 'etcd CA certificate', { path: `${ETCD_PKI_DIR}/ca.crt`, text: pki.ca.etcd }),
    fileStep(id('front-proxy-ca.crt'), 'Front proxy CA certificate', { path: `${PKI_DIR}/front-proxy-ca.crt`, text: pki.ca.frontProxy }),
    fileStep(id('sa.key'), 'Service account signing key', { path: `${PKI_DIR}/sa.key`, text: pki.serviceAccount.key, secret: true }),
    fileStep(id('sa.pub'), 'Service account public key', { path: `${PKI_DIR}/sa.pub`, text: pki.serviceAccount.pub }),
    ...pair('apiserver', 'apiserver serving', pki.apiserver(host.id)),
    ...pair('apiserver-kubelet-client', 'apiserver → kubelet client', pki.apiserverKubeletClient),
    ...pair('apiserver-etcd-client', 'apiserver → etcd client', pki.apiserverEtcdClient),
    ...pair('front-proxy-client', 'Front proxy client', pki.frontProxyClient),
  ];
  const cmConf = kubeconfig('controller-manager', 'system:kube-controller-manager', pki.controllerManager);
  const schedConf = kubeconfig('scheduler', 'system:kube-scheduler', pki.scheduler);
  const adminConf = kubeconfig('admin', 'kubernetes-admin', pki.admin);
  const apiUnit = fileStep(id('apiserver-unit'), 'kube-apiserver unit', {
    path: `${UNIT_DIR}/kube-apiserver.service`,
    text: renderComponentUnit(ctx, 'kube-apiserver', apiserverFlags(ctx, host), []),
  });
  const cmUnit = fileStep(id('controller-manager-unit'), 'kube-controller-manager unit', {
    path: `${UNIT_DIR}/kube-controller-manager.service`,
    text: renderComponentUnit(ctx, 'kube-controller-manager', controllerManagerFlags(ctx), ['kube-apiserver.service']),
  });
  const schedUnit = fileStep(id('scheduler-unit'), 'kube-scheduler unit', {
    path: `${UNIT_DIR}/kube-scheduler.service`,
    text: renderComponentUnit(ctx, 'kube-scheduler', schedulerFlags(), ['kube-apiserver.service']),
  });
  const curlAs = (cert: string) =>
    sh`curl -sS --fail --max-time 5 --cacert ${PKI_DIR}/ca.crt --cert ${`${PKI_DIR}/${cert}.crt`} --key ${`${PKI_DIR}/${cert}.key`}`;
  return [
    ...pkiFiles,
    authConfig,
    cmConf,
    schedConf,
    adminConf,
    apiUnit,
    cmUnit,
    schedUnit,
    unitStep(id('apiserver-start'), {
      unit: 'kube-apiserver',
      inputs: [...pkiFiles, authConfig, apiUnit, ...programSteps(ctx, host, ['kube-apiserver'])],
    }),
    commandStep(id('apiserver-healthy'), `kube-apiserver answers /healthz on ${host.address}:${APISERVER_PORT}`, {
      check: true,
      run: sh`${curlAs('apiserver-kubelet-client')} ${`https://${hostPort(host.address, APISERVER_PORT)}/healthz`}`,
      retry: { attempts: 60, intervalMs: 2000, pollMs: HOST_POLL_MS },
      unit: 'kube-apiserver',
    }),
    unitStep(id('controller-manager-start'), {
      unit: 'kube-controller-manager',
      inputs: [...pkiFiles, cmConf, cmUnit, ...programSteps(ctx, host, ['kube-controller-manager'])],
    }),
    unitStep(id('scheduler-start'), {
      unit: 'kube-scheduler',
      inputs: [schedConf, schedUnit, ...programSteps(ctx, host, ['kube-scheduler'])],
    }),
    commandStep(id('controller-manager-healthy'), 'kube-controller-manager answers /healthz', {
      check: true,
      run: sh`curl -sS --fail --max-time 5 -k https://127.0.0.1:${CONTROLLER_MANAGER_PORT}/healthz`,
      retry: { attempts: 60, intervalMs: 2000, pollMs: HOST_POLL_MS },
      unit: 'kube-controller-manager',
    }),
    commandStep(id('scheduler-healthy'), 'kube-scheduler answers /healthz', {
      check: true,
      run: sh`curl -sS --fail --max-time 5 -k https://127.0.0.1:${SCHEDULER_PORT}/healthz`,
      retry: { attempts: 60, intervalMs: 2000, pollMs: HOST_POLL_MS },
      unit: 'kube-scheduler',
    }),
  ];
}

export function controlPlaneJobs(ctx: PlanContext): PlanJob[] {
  const etcdIds = ctx.etcdHosts.map((h) => h.id);
  return ctx.masters.map((host) => ({
    phase: 'control-plane',
    hostId: host.id,
    hostName: host.name,
    steps: controlPlaneSteps(ctx, host),
    needs: [{ phase: 'etcd', hostIds: etcdIds, quantity: 'majority' }],
  }));
}

/** The cluster DNS service address: the tenth of the service range, as kubeadm picks it. */
export const clusterDnsIp = (ctx: PlanContext): string => nthAddress(ctx.cluster.settings.serviceCidr, 10);
