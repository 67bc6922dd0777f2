import { describe, expect, it } from 'vitest';
import { parseEndpointHealth, parseEndpointStatus, parseMemberList } from './etcd-state';

// Output of etcdctl 3.4.23 against a two-member cluster, one member added but not started.
const MEMBERS =
  '{"header":{"cluster_id":324952591200643719,"member_id":3319814642761637952,"raft_term":2},"members":[{"ID":3319814642761637952,"name":"a","peerURLs":["https://10.231.0.11:2380"],"clientURLs":["https://10.231.0.11:2379"]},{"ID":13423881680245771875,"peerURLs":["https://10.231.0.14:2380"],"isLearner":false}]}';
const STATUS =
  '[{"Endpoint":"https://10.231.0.11:2379","Status":{"header":{"cluster_id":324952591200643719,"member_id":3319814642761637952,"revision":7,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":3319814642761637952,"raftIndex":4,"raftTerm":2,"raftAppliedIndex":4,"dbSizeInUse":16384}}]';
const HEALTH =
  '[{"endpoint":"https://10.231.0.11:2379","health":true,"took":"1.7ms"},{"endpoint":"https://10.231.0.12:2379","health":false,"took":"2.0s","error":"context deadline exceeded"}]\n{"level":"warn","msg":"retrying of unary invoker failed"}\nError: unhealthy cluster';

describe('etcdctl output', () => {
  it('keeps every digit of 64-bit member ids (as hex, like etcdctl prints them)', () => {
    const { clusterId, members } = parseMemberList(MEMBERS);
    expect(clusterId).toBe(324952591200643719n.toString(16));
    expect(members[0]).toEqual({
      id: '2e1259d415f2a040',
      name: 'a',
      peerUrl: 'https://10.231.0.11:2380',
      clientUrl: 'https://10.231.0.11:2379',
      started: true,
    });
    expect(members[1]).toMatchObject({ id: 'ba4b3543f1ec4e63', name: '', started: false, clientUrl: '' });
  });

  it('reads the leader, version and size per endpoint', () => {
    expect(parseEndpointStatus(STATUS)).toEqual([
      { endpoint: 'https://10.231.0.11:2379', memberId: '2e1259d415f2a040', version: '3.4.23', dbSize: 20480, leader: true, revision: 7 },
    ]);
  });

  it('reads health even when etcdctl adds warnings and exits 1', () => {
    const h = parseEndpointHealth(HEALTH);
    expect(h.get('https://10.231.0.11:2379')).toEqual({ healthy: true });
    expect(h.get('https://10.231.0.12:2379')).toEqual({ healthy: false, error: 'context deadline exceeded' });
    expect(parseEndpointHealth('Error: context deadline exceeded').size).toBe(0);
  });
});
