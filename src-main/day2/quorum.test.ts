import { describe, expect, it } from 'vitest';
import type { EtcdMemberState } from '../../src-shared/contract/operations';
import { labCluster } from '../../test/support/deploy/fixtures';
import { checkQuorum, membershipChanges, quorumOf } from './quorum';

const member = (n: number, healthy = true): EtcdMemberState => ({
  id: `m${n}`,
  name: `node${n}`,
  peerUrl: `https://10.231.0.${10 + n}:2380`,
  clientUrl: `https://10.231.0.${10 + n}:2379`,
  started: true,
  healthy,
});

describe('etcd membership changes', () => {
  const cluster = labCluster(5);
  const hosts = cluster.hosts;

  it('needs a majority', () => {
    expect([1, 2, 3, 4, 5].map(quorumOf)).toEqual([1, 2, 2, 3, 3]);
  });

  it('lists additions before removals, matching members to hosts by peer URL', () => {
    const members = [member(1), member(2), member(3)];
    const wanted = [hosts[0]!, hosts[1]!, hosts[3]!];
    const changes = membershipChanges(wanted, hosts, members);
    expect(changes.map((c) => (c.kind === 'add' ? `+${c.host.name}` : `-${c.member.name}`))).toEqual(['+node4', '-node3']);
    const removal = changes[1]!;
    expect(removal.kind === 'remove' && removal.host?.id).toBe('h3');
    expect(membershipChanges(hosts.slice(0, 3), hosts, members)).toEqual([]);
  });

  it('allows adding a fourth member to three healthy ones, and refuses it with one down, naming it', () => {
    const add = { kind: 'add' as const, host: hosts[3]! };
    expect(() => checkQuorum(add, [member(1), member(2), member(3)])).not.toThrow();
    expect(() => checkQuorum(add, [member(1), member(2), member(3, false)])).toThrow(
      /Adding node4 would make 4 members, which need 3 for a quorum; only 2 are healthy now \(node3 is not\)/,
    );
  });

  it('refuses removing the last member, and a removal that leaves too few healthy members', () => {
    expect(() => checkQuorum({ kind: 'remove', member: member(1) }, [member(1)])).toThrow(/only etcd member/);
    // 3 members, one down: removing a healthy one leaves 2 that need 2, and only 1 is healthy.
    expect(() => checkQuorum({ kind: 'remove', member: member(1) }, [member(1), member(2), member(3, false)])).toThrow(
      /would leave 2 members, which need 2 for a quorum; only 1 of them are healthy \(node3 is not\)/,
    );
    // Removing the broken one is what fixes it.
    expect(() => checkQuorum({ kind: 'remove', member: member(3, false) }, [member(1), member(2), member(3, false)])).not.toThrow();
    expect(() =>
      checkQuorum(
        { kind: 'remove', member: member(4) },
        [1, 2, 3, 4].map((n) => member(n)),
      ),
    ).not.toThrow();
  });
});
