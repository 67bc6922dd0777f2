import { KubesmithError } from '../../../src-shared/errors';
import type { EtcdMemberState } from '../../../src-shared/contract/operations';
import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanStep } from '../../../src-shared/model/plan';
import type { PlanInputs } from '../../deploy/context';
import { ETCD_BOOTSTRAP_ENV } from '../../deploy/layout';
import { etcdctlAt, etcdPeerUrl } from '../../deploy/phases/etcd';
import { buildPlan } from '../../deploy/plan-builder';
import { sh, shJoin, type Shell } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';
import { checkQuorum, membershipChanges, quorumOf, type MembershipChange } from '../quorum';
import { retireMemberStep } from './etcd-data';
import { job, operationPlan, type OperationPhase } from './operation-plan';

const describe = (c: MembershipChange): string => (c.kind === 'add' ? `add ${c.host.name}` : `remove ${c.member.name || c.member.peerUrl}`);

/** Counts the healthy members among `endpoints` on the host, and fails unless at least `need` are. */
function healthGuard(endpoints: readonly string[], need: number, what: string): Shell {
  return sh`n=$(${etcdctlAt(endpoints, sh`--dial-timeout=3s --command-timeout=5s endpoint health`)} 2>&1 | grep -c 'is healthy'); if [ "$n" -lt ${need} ]; then echo ${`${what} needs ${need} healthy members for a quorum;`} "only $n are healthy: nothing was changed." >&2; exit 3; fi`;
}

/**
 * Writes the joining member's etcd bootstrap file from `member list`: every member by name (the unstarted one, which
 * has none yet, as `me`), as `member add` itself prints it. awk -v decodes backslash escapes, so the name and URL go
 * in through the environment instead, exactly as they are. Other members' names come from the cluster, not from
 * Kubesmith: the line is written as envFileLine writes one (in double quotes with backslash, double quote, backquote
 * and dollar escaped: systemd.exec(5), "EnvironmentFile="), and a control character refuses it.
 */
export function bootstrapEnvFromMembers(list: Shell, me: string, peer: string, target: string): Shell {
  return sh`${list} | me=${me} peer=${peer} awk -F', ' '{ n = ($4 == ENVIRON["peer"]) ? ENVIRON["me"] : $3; s = s (i++ ? "," : "") n "=" $4 } END { if (s ~ /[[:cntrl:]]/) { print "etcd member list: a member name or URL holds a control character" > "/dev/stderr"; exit 1 } gsub(/[\\\\"\`$]/, "\\\\\\\\&", s); printf "ETCD_INITIAL_CLUSTER=\\"%s\\"\\nETCD_INITIAL_CLUSTER_STATE=existing\\n", s }' > ${target}`;
}

/** Adds one member: the host is prepared as a deploy would, joins with `member add`, then starts and catches up. */
function addPhases(inputs: PlanInputs, host: Host, members: readonly EtcdMemberState[]): OperationPhase[] {
  const deploy = buildPlan({ ...inputs, allowEvenEtcd: true });
  const jobsOf = (phase: string) => deploy.phases.find((p) => p.id === phase)?.jobs.filter((j) => j.hostId === host.id) ?? [];
  const etcdJob = jobsOf('etcd')[0];
  if (!etcdJob) throw new Error(`membership: the deploy plan has no etcd job for ${host.name}`);
  const byName = (name: string): PlanStep => {
    const step = etcdJob.steps.find((s) => s.id === `etcd/${host.id}/${name}`);
    if (!step) throw new Error(`membership: no etcd step ${name}`);
    return step;
  };
  const endpoints = members.filter((m) => m.clientUrl).map((m) => m.clientUrl);
  const peer = etcdPeerUrl(host);
  const list = etcdctlAt(endpoints, sh`member list`);
  const join = commandStep(`etcd-member/${host.id}/member-add`, `Join etcd as a new member (etcdctl member add ${host.name})`, {
    skipIf: sh`${list} | grep -qF ${`, ${peer},`} && [ -f ${ETCD_BOOTSTRAP_ENV} ]`,
    run: shJoin(
      [
        healthGuard(endpoints, quorumOf(members.length + 1), `Adding ${host.name} (${members.length + 1} members)`),
        sh`{ ${list} | grep -qF ${`, ${peer},`} || ${etcdctlAt(endpoints, sh`member add ${host.name} --peer-urls=${peer}`)}; }`,
        bootstrapEnvFromMembers(list, host.name, peer, `${ETCD_BOOTSTRAP_ENV}.tmp`),
        sh`mv ${ETCD_BOOTSTRAP_ENV}.tmp ${ETCD_BOOTSTRAP_ENV}`,
        sh`cat ${ETCD_BOOTSTRAP_ENV}`,
      ],
      ' && ',
    ),
    unit: 'etcd',
    timeoutMs: 60_000,
    // etcd refuses a change ("unhealthy cluster") until every member has been connected for a few seconds.
    retry: { attempts: 10, intervalMs: 3000 },
  });
  const files = etcdJob.steps.filter((s) => s.action.kind === 'file');
  const memberSteps = [...files, join, byName('data-dir'), byName('start'), byName('healthy')];
  return [
    ...(['preflight', 'prepare', 'binaries'] as const).map((id) => ({ id, jobs: jobsOf(id) })),
    { id: 'etcd-member', jobs: [job('etcd-member', host, memberSteps)] },
  ];
}

/** Removes one member through a member that stays, then stops the removed one on its host (when it is ours). */
function removePhases(
  cluster: Cluster,
  change: Extract<MembershipChange, { kind: 'remove' }>,
  members: readonly EtcdMemberState[],
): OperationPhase[] {
  const remaining = members.filter((m) => m.id !== change.member.id);
  const via = remaining
    .filter((m) => m.healthy)
    .map((m) => cluster.hosts.find((h) => etcdPeerUrl(h) === m.peerUrl))
    .find((h): h is Host => h !== undefined);
  if (!via) {
    throw new KubesmithError(
      'EtcdUnhealthy',
      'No healthy member that stays is in the inventory to run the removal from.',
      'Check etcd health first; nothing was changed.',
    );
  }
  const endpoints = remaining.filter((m) => m.clientUrl).map((m) => m.clientUrl);
  const peer = change.member.peerUrl;
  const list = etcdctlAt(endpoints, sh`member list`);
  const name = change.member.name || peer;
  const remove = commandStep(`etcd-member/${via.id}/member-remove`, `Remove ${name} from etcd (etcdctl member remove)`, {
    skipIf: sh`! ${list} | grep -qF ${`, ${peer},`}`,
    run: shJoin(
      [
        healthGuard(endpoints, quorumOf(remaining.length), `Removing ${name} (${remaining.length} members left)`),
        sh`id=$(${list} | grep -F ${`, ${peer},`} | cut -d, -f1)`,
        etcdctlAt(endpoints, sh`member remove "$id"`),
      ],
      ' && ',
    ),
    unit: 'etcd',
    timeoutMs: 60_000,
    retry: { attempts: 10, intervalMs: 3000 },
  });
  const phases: OperationPhase[] = [{ id: 'etcd-member', jobs: [job('etcd-member', via, [remove])] }];
  if (change.host) {
    phases.push({
      id: 'reset',
      jobs: [
        job(
          'reset',
          change.host,
          [retireMemberStep(`reset/${change.host.id}/retire-etcd`, 'removed')],
          [{ phase: 'etcd-member', hostIds: [via.id], quantity: 'all' }],
        ),
      ],
    });
  }
  return phases;
}

/** The next membership change that makes etcd match the canvas, refused when it would cost the quorum. */
export function nextMembershipChange(cluster: Cluster, members: readonly EtcdMemberState[]): { change: MembershipChange; later: string[] } {
  const etcdHosts = cluster.hosts.filter((h) => h.roles.includes('etcd'));
  const changes = membershipChanges(etcdHosts, cluster.hosts, members);
  const change = changes[0];
  if (!change) {
    throw new KubesmithError(
      'NothingToChange',
      `etcd's members already match the canvas (${members.map((m) => m.name || m.peerUrl).join(', ')}).`,
      'Drag a host onto or off the etcd lane first.',
    );
  }
  checkQuorum(change, members);
  return { change, later: changes.slice(1).map(describe) };
}

export function membershipPlan(inputs: PlanInputs, members: readonly EtcdMemberState[]): { plan: Plan; change: MembershipChange } {
  const { cluster } = inputs;
  const { change, later } = nextMembershipChange(cluster, members);
  const phases = change.kind === 'add' ? addPhases(inputs, change.host, members) : removePhases(cluster, change, members);
  const warnings = [
    `etcd changes one member at a time: this run will ${describe(change)}.${later.length ? ` Run it again afterwards to ${later.join(', then ')}.` : ''}`,
    'Then deploy again (Resume) so the apiservers list the new set of etcd members.',
  ];
  if ((members.length + (change.kind === 'add' ? 1 : -1)) % 2 === 0)
    warnings.push(
      'etcd will have an even number of members: that tolerates no more failures than one fewer. Add or remove one more when you can.',
    );
  return { plan: operationPlan(cluster, 'etcd-membership', phases, warnings), change };
}
