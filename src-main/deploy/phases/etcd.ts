import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import {
  BIN_DIR,
  ETCD_BOOTSTRAP_ENV,
  ETCD_CLIENT_PORT,
  ETCD_DATA_DIR,
  ETCD_METRICS_PORT,
  ETCD_PEER_PORT,
  ETCD_PKI_DIR,
  UNIT_DIR,
} from '../layout';
import { envFileLine } from '../render/systemd-escape';
import { renderUnit } from '../render/systemd-unit';
import { sh, type Shell } from '../../ssh/shell';
import { hostPort } from '../net';
import { commandStep, fileStep, unitStep, variantFileStep } from '../steps';
import { programSteps } from './binaries';
import { HOST_POLL_MS } from '../engine/poll-on-host';

export const etcdClientUrl = (h: Host): string => `https://${hostPort(h.address, ETCD_CLIENT_PORT)}`;
export const etcdPeerUrl = (h: Host): string => `https://${hostPort(h.address, ETCD_PEER_PORT)}`;
export const etcdEndpoints = (ctx: PlanContext): string => ctx.etcdHosts.map(etcdClientUrl).join(',');

/** etcdctl with the healthcheck client certificate, against the given members. */
export function etcdctlOn(members: readonly Host[], args: Shell): Shell {
  return etcdctlAt(members.map(etcdClientUrl), args);
}

export function etcdctlAt(endpoints: readonly string[], args: Shell): Shell {
  return sh`ETCDCTL_API=3 ${BIN_DIR}/etcdctl --endpoints=${endpoints.join(',')} --cacert=${ETCD_PKI_DIR}/ca.crt --cert=${ETCD_PKI_DIR}/healthcheck-client.crt --key=${ETCD_PKI_DIR}/healthcheck-client.key ${args}`;
}

export function etcdctl(ctx: PlanContext, args: Shell): Shell {
  return etcdctlOn(ctx.etcdHosts, args);
}

/**
 * The bootstrap variables of a member of a new cluster (every planned member at once). Only variables without a
 * flag in the unit: etcd 3.5+ refuses to start when a variable and a flag say the same thing.
 */
export function newClusterBootstrap(ctx: PlanContext): string {
  return [
    envFileLine('ETCD_INITIAL_CLUSTER', ctx.etcdHosts.map((h) => `${h.name}=${etcdPeerUrl(h)}`).join(',')),
    envFileLine('ETCD_INITIAL_CLUSTER_TOKEN', `kubesmith-${ctx.cluster.name}`),
    'ETCD_INITIAL_CLUSTER_STATE=new',
    '',
  ].join('\n');
}

/**
 * Writes the bootstrap file of a member that has no data yet. A host that is not a member of an etcd cluster already
 * running (one added on the canvas after the deploy) is refused: it has to join through the etcd membership
 * operation, or it would start a second cluster of its own.
 */
export function bootstrapStep(ctx: PlanContext, host: Host): PlanStep {
  const others = ctx.etcdHosts.filter((h) => h.id !== host.id);
  // Asked only when some other member accepts a connection on its client port (curl's exit 7: could not connect):
  // on a new cluster none runs yet, and etcdctl would spend its whole dial timeout on members that refuse at once.
  const guard =
    others.length === 0
      ? sh``
      : sh`ks_up=0; for u in ${others.map(etcdClientUrl)}; do curl -s -o /dev/null -k --connect-timeout 2 --max-time 3 "$u/health"; [ $? = 7 ] || ks_up=1; done; if [ $ks_up = 1 ] && list=$(${etcdctlOn(others, sh`--dial-timeout=2s --command-timeout=4s member list`)} 2>/dev/null) && ! echo "$list" | grep -qF ${`, ${etcdPeerUrl(host)}`}; then echo ${`${host.name} is not a member of the etcd cluster already running on ${others.map((h) => h.name).join(', ')}: add it with Operations → etcd membership.`} >&2; exit 3; fi; `;
  return commandStep(ctx.stepId('etcd', host, 'bootstrap'), `etcd bootstrap settings for a new member (${ETCD_BOOTSTRAP_ENV})`, {
    skipIf: sh`[ -d ${ETCD_DATA_DIR}/member ]`,
    run: sh`${guard}printf %s ${newClusterBootstrap(ctx)} > ${ETCD_BOOTSTRAP_ENV}.tmp && mv ${ETCD_BOOTSTRAP_ENV}.tmp ${ETCD_BOOTSTRAP_ENV}`,
  });
}

/**
 * The flags kubeadm gives etcd beyond membership and TLS, by etcd release line. etcd 3.6 turned the experimental
 * flags into a feature gate and a plain flag, and etcd 3.5 and older refuse both new spellings ("flag provided but
 * not defined"), so the unit is written for the etcd the host runs (`etcd --version`).
 * - 3.6 on: kubeadm's own list, kubernetes/kubernetes cmd/kubeadm/app/phases/etcd/local.go getEtcdCommand
 *   (`--feature-gates=InitialCorruptCheck=true`, `--watch-progress-notify-interval=5s`,
 *   `--listen-metrics-urls=http://127.0.0.1:2381`); etcd-io/etcd server/features/etcd_features.go maps
 *   `experimental-initial-corrupt-check` to the InitialCorruptCheck gate.
 * - 3.4 and 3.5: the experimental spellings kubeadm used before (`--experimental-initial-corrupt-check=true`,
 *   `--experimental-watch-progress-notify-interval=5s`), both listed by Debian bookworm's etcd 3.4.23 `--help`.
 */
export const ETCD_FLAG_LINES = {
  'etcd 3.6 and later': {
    match: 'Version:\\s+3\\.([6-9]|[1-9][0-9])\\.',
    flags: ['--feature-gates=InitialCorruptCheck=true', '--watch-progress-notify-interval=5s'],
  },
  'etcd 3.4 and 3.5': {
    match: 'Version:\\s+3\\.[45]\\.',
    flags: ['--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s'],
  },
} as const;

export function renderEtcdUnit(ctx: PlanContext, host: Host, versionFlags: readonly string[]): string {
  return renderUnit({
    description: 'etcd key-value store (Kubesmith)',
    documentation: 'https://etcd.io/docs/',
    after: ['network-online.target'],
    wants: ['network-online.target'],
    type: 'notify',
    limitNoFile: 65536,
    environmentFile: ETCD_BOOTSTRAP_ENV,
    execStart: [
      `${BIN_DIR}/etcd`,
      `--name=${host.name}`,
      `--data-dir=${ETCD_DATA_DIR}`,
      `--listen-client-urls=${etcdClientUrl(host)},https://127.0.0.1:${ETCD_CLIENT_PORT}`,
      `--advertise-client-urls=${etcdClientUrl(host)}`,
      `--listen-peer-urls=${etcdPeerUrl(host)}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl(host)}`,
      `--cert-file=${ETCD_PKI_DIR}/server.crt`,
      `--key-file=${ETCD_PKI_DIR}/server.key`,
      `--trusted-ca-file=${ETCD_PKI_DIR}/ca.crt`,
      '--client-cert-auth=true',
      `--peer-cert-file=${ETCD_PKI_DIR}/peer.crt`,
      `--peer-key-file=${ETCD_PKI_DIR}/peer.key`,
      `--peer-trusted-ca-file=${ETCD_PKI_DIR}/ca.crt`,
      '--peer-client-cert-auth=true',
      '--snapshot-count=10000',
      // Metrics and /health over plain HTTP on loopback: a local health check needs no client certificate.
      `--listen-metrics-urls=http://127.0.0.1:${ETCD_METRICS_PORT}`,
      ...versionFlags,
    ],
  });
}

/** The etcd unit, one variant per etcd release line; the host's `etcd --version` picks. */
export function etcdUnitStep(ctx: PlanContext, host: Host): PlanStep {
  return variantFileStep(ctx.stepId('etcd', host, 'unit'), 'etcd unit', {
    path: `${UNIT_DIR}/etcd.service`,
    chooseBy: sh`${BIN_DIR}/etcd --version`,
    chooseByReads: `${BIN_DIR}/etcd`,
    variants: Object.entries(ETCD_FLAG_LINES).map(([label, line]) => ({
      match: line.match,
      label,
      text: renderEtcdUnit(ctx, host, line.flags),
    })),
  });
}

/** Members needed for quorum: a majority. */
export const quorum = (ctx: PlanContext): number => Math.floor(ctx.etcdHosts.length / 2) + 1;

export function etcdSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('etcd', host, name);
  const { pki } = ctx;
  const server = pki.etcdServer(host.id);
  const peer = pki.etcdPeer(host.id);
  const files = [
    fileStep(id('ca.crt'), 'etcd CA certificate', { path: `${ETCD_PKI_DIR}/ca.crt`, text: pki.ca.etcd }),
    fileStep(id('server.crt'), 'etcd server certificate', { path: `${ETCD_PKI_DIR}/server.crt`, text: server.cert }),
    fileStep(id('server.key'), 'etcd server key', { path: `${ETCD_PKI_DIR}/server.key`, text: server.key, secret: true }),
    fileStep(id('peer.crt'), 'etcd peer certificate', { path: `${ETCD_PKI_DIR}/peer.crt`, text: peer.cert }),
    fileStep(id('peer.key'), 'etcd peer key', { path: `${ETCD_PKI_DIR}/peer.key`, text: peer.key, secret: true }),
    fileStep(id('healthcheck.crt'), 'etcd healthcheck client certificate', {
      path: `${ETCD_PKI_DIR}/healthcheck-client.crt`,
      text: pki.etcdHealthcheckClient.cert,
    }),
    fileStep(id('healthcheck.key'), 'etcd healthcheck client key', {
      path: `${ETCD_PKI_DIR}/healthcheck-client.key`,
      text: pki.etcdHealthcheckClient.key,
      secret: true,
    }),
    etcdUnitStep(ctx, host),
  ];
  return [
    ...files,
    bootstrapStep(ctx, host),
    commandStep(id('data-dir'), `Data folder ${ETCD_DATA_DIR} (0700)`, {
      skipIf: sh`[ "$(stat -c %a ${ETCD_DATA_DIR} 2>/dev/null)" = 700 ]`,
      run: sh`install -d -m 0700 ${ETCD_DATA_DIR} && chmod 0700 ${ETCD_DATA_DIR}`,
    }),
    // --no-block: a member's start waits for its peers, and all of them start at the same time.
    unitStep(id('start'), { unit: 'etcd', inputs: [...files, ...programSteps(ctx, host, ['etcd'])], noBlock: true }),
    commandStep(id('metrics-health'), `etcd answers /health on its local metrics port ${ETCD_METRICS_PORT}, no client certificate`, {
      check: true,
      run: sh`curl -sS --fail --max-time 5 http://127.0.0.1:${ETCD_METRICS_PORT}/health`,
      retry: { attempts: 45, intervalMs: 2000, pollMs: HOST_POLL_MS },
      unit: 'etcd',
    }),
    commandStep(id('healthy'), `etcd quorum: at least ${quorum(ctx)} of ${ctx.etcdHosts.length} members healthy over TLS`, {
      check: true,
      // Counted per member rather than with --cluster, so one member down still passes while a quorum stands.
      run: sh`out=$(${etcdctl(ctx, sh`endpoint health`)} 2>&1); echo "$out"; [ "$(echo "$out" | grep -c 'is healthy')" -ge ${quorum(ctx)} ]`,
      retry: { attempts: 45, intervalMs: 2000, pollMs: HOST_POLL_MS },
      unit: 'etcd',
      timeoutMs: 20_000,
    }),
  ];
}

export function etcdJobs(ctx: PlanContext): PlanJob[] {
  return ctx.etcdHosts.map((host) => ({ phase: 'etcd', hostId: host.id, hostName: host.name, steps: etcdSteps(ctx, host), needs: [] }));
}
