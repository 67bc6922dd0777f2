import { KubesmithError } from '../../src-shared/errors';
import type { Host } from '../../src-shared/model/cluster';
import type { EtcdMemberState } from '../../src-shared/contract/operations';
import { etcdPeerUrl } from '../deploy/phases/etcd';

/** Members that must agree for etcd to work: a majority. */
export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

export type MembershipChange = { kind: 'add'; host: Host } | { kind: 'remove'; member: EtcdMemberState; host?: Host };

/**
 * What it takes to make etcd's members match the canvas, one change at a time (etcd's own rule: every change is
 * agreed by a quorum before the next). Additions come first, so a swap never passes through fewer members.
 */
export function membershipChanges(
  etcdHosts: readonly Host[],
  allHosts: readonly Host[],
  members: readonly EtcdMemberState[],
): MembershipChange[] {
  const byPeer = new Map(members.map((m) => [m.peerUrl, m]));
  const wanted = new Set(etcdHosts.map(etcdPeerUrl));
  const adds: MembershipChange[] = etcdHosts.filter((h) => !byPeer.has(etcdPeerUrl(h))).map((host) => ({ kind: 'add', host }));
  const removes: MembershipChange[] = members
    .filter((m) => !wanted.has(m.peerUrl))
    .map((member) => {
      const host = allHosts.find((h) => etcdPeerUrl(h) === member.peerUrl);
      return host ? { kind: 'remove', member, host } : { kind: 'remove', member };
    });
  return [...adds, ...removes];
}

const names = (ms: readonly EtcdMemberState[]): string => ms.map((m) => m.name || m.peerUrl).join(', ');

/**
 * Refuses a change that would leave etcd without a quorum: a new member counts only once it has started and
 * caught up, and a removed one stops counting at once.
 */
export function checkQuorum(change: MembershipChange, members: readonly EtcdMemberState[]): void {
  const healthy = members.filter((m) => m.healthy);
  const down = members.filter((m) => !m.healthy);
  if (change.kind === 'add') {
    const after = members.length + 1;
    if (healthy.length < quorumOf(after)) {
      throw new KubesmithError(
        'QuorumAtRisk',
        `Adding ${change.host.name} would make ${after} members, which need ${quorumOf(after)} for a quorum; only ${healthy.length} are healthy now (${names(down)} ${down.length === 1 ? 'is' : 'are'} not).`,
        `Bring ${names(down)} back first, or remove ${down.length === 1 ? 'it' : 'them'} from etcd; nothing was changed.`,
      );
    }
    return;
  }
  const remaining = members.filter((m) => m.id !== change.member.id);
  if (remaining.length === 0) {
    throw new KubesmithError(
      'LastEtcdMember',
      `${change.member.name || change.member.peerUrl} is the only etcd member; removing it would delete the cluster's data.`,
      'Keep at least one etcd host on the canvas, or reset the whole cluster instead; nothing was changed.',
    );
  }
  const healthyLeft = remaining.filter((m) => m.healthy).length;
  if (healthyLeft < quorumOf(remaining.length)) {
    const sick = remaining.filter((m) => !m.healthy);
    throw new KubesmithError(
      'QuorumAtRisk',
      `Removing ${change.member.name || change.member.peerUrl} would leave ${remaining.length} members, which need ${quorumOf(remaining.length)} for a quorum; only ${healthyLeft} of them are healthy (${names(sick)} ${sick.length === 1 ? 'is' : 'are'} not).`,
      `Bring ${names(sick)} back first; nothing was changed.`,
    );
  }
}
