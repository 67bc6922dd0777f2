import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { BIN_DIR, ETCD_CLIENT_PORT, ETCD_DATA_DIR, ETCD_PEER_PORT, ETCD_PKI_DIR, UNIT_DIR } from '../layout';
import { renderUnit } from '../render/systemd-unit';
import { commandStep, fileStep, unitStep } from '../steps';

export const etcdClientUrl = (h: Host): string => `https://${h.address}:${ETCD_CLIENT_PORT}`;
export const etcdEndpoints = (ctx: PlanContext): string => ctx.etcdHosts.map(etcdClientUrl).join(',');

/** etcdctl with the healthcheck client certificate, against every member. */
export function etcdctl(ctx: PlanContext, args: string): string {
  return `ETCDCTL_API=3 ${BIN_DIR}/etcdctl --endpoints=${etcdEndpoints(ctx)} --cacert=${ETCD_PKI_DIR}/ca.crt --cert=${ETCD_PKI_DIR}/healthcheck-client.crt --key=${ETCD_PKI_DIR}/healthcheck-client.key ${args}`;
}

export function renderEtcdUnit(ctx: PlanContext, host: Host): string {
  const initialCluster = ctx.etcdHosts.map((h) => `${h.name}=https://${h.address}:${ETCD_PEER_PORT}`).join(',');
  return renderUnit({
    description: 'etcd key-value store (Kubesmith)',
    documentation: 'https://etcd.io/docs/',
    after: ['network-online.target'],
    wants: ['network-online.target'],
    type: 'notify',
    limitNoFile: 65536,
    execStart: [
      `${BIN_DIR}/etcd`,
      `--name=${host.name}`,
      `--data-dir=${ETCD_DATA_DIR}`,
      `--listen-client-urls=https://${host.address}:${ETCD_CLIENT_PORT},https://127.0.0.1:${ETCD_CLIENT_PORT}`,
      `--advertise-client-urls=${etcdClientUrl(host)}`,
      `--listen-peer-urls=https://${host.address}:${ETCD_PEER_PORT}`,
      `--initial-advertise-peer-urls=https://${host.address}:${ETCD_PEER_PORT}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-token=kubesmith-${ctx.cluster.name}`,
      '--initial-cluster-state=new',
      `--cert-file=${ETCD_PKI_DIR}/server.crt`,
      `--key-file=${ETCD_PKI_DIR}/server.key`,
      `--trusted-ca-file=${ETCD_PKI_DIR}/ca.crt`,
      '--client-cert-auth=true',
      `--peer-cert-file=${ETCD_PKI_DIR}/peer.crt`,
      `--peer-key-file=${ETCD_PKI_DIR}/peer.key`,
      `--peer-trusted-ca-file=${ETCD_PKI_DIR}/ca.crt`,
      '--peer-client-cert-auth=true',
      '--snapshot-count=10000',
    ],
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
    fileStep(id('unit'), 'etcd unit', { path: `${UNIT_DIR}/etcd.service`, text: renderEtcdUnit(ctx, host) }),
  ];
  return [
    ...files,
    commandStep(id('data-dir'), `Data folder ${ETCD_DATA_DIR} (0700)`, {
      skipIf: `[ "$(stat -c %a ${ETCD_DATA_DIR} 2>/dev/null)" = 700 ]`,
      run: `install -d -m 0700 ${ETCD_DATA_DIR} && chmod 0700 ${ETCD_DATA_DIR}`,
    }),
    // --no-block: a member's start waits for its peers, and all of them start at the same time.
    unitStep(id('start'), { unit: 'etcd', inputs: files, noBlock: true }),
    commandStep(id('healthy'), `etcd quorum: at least ${quorum(ctx)} of ${ctx.etcdHosts.length} members healthy over TLS`, {
      // Counted per member rather than with --cluster, so one member down still passes while a quorum stands.
      run: `out=$(${etcdctl(ctx, 'endpoint health')} 2>&1); echo "$out"; [ "$(echo "$out" | grep -c 'is healthy')" -ge ${quorum(ctx)} ]`,
      retry: { attempts: 45, intervalMs: 2000 },
      unit: 'etcd',
      timeoutMs: 20_000,
    }),
  ];
}

export function etcdJobs(ctx: PlanContext): PlanJob[] {
  return ctx.etcdHosts.map((host) => ({ phase: 'etcd', hostId: host.id, hostName: host.name, steps: etcdSteps(ctx, host), needs: [] }));
}
