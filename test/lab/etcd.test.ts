import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './exec';
import { labDown, labUp, type LabHost } from './lab';
import { labSkipReason, sshAs, suiteName } from './support';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** etcd's v3 JSON gateway, straight from the test runner to a member's client port. */
async function etcd<T>(host: LabHost, path: string, body: unknown): Promise<T> {
  const res = await fetch(`http://${host.address}:2379${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`etcd ${path} on ${host.name}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function etcdConfig(host: LabHost, all: LabHost[]): string {
  const peers = all.map((h) => `${h.name}=http://${h.address}:2380`).join(',');
  return [
    `ETCD_NAME=${host.name}`,
    `ETCD_LISTEN_PEER_URLS=http://${host.address}:2380`,
    `ETCD_LISTEN_CLIENT_URLS=http://${host.address}:2379,http://127.0.0.1:2379`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=http://${host.address}:2380`,
    `ETCD_ADVERTISE_CLIENT_URLS=http://${host.address}:2379`,
    `ETCD_INITIAL_CLUSTER=${peers}`,
    'ETCD_INITIAL_CLUSTER_STATE=new',
    'ETCD_INITIAL_CLUSTER_TOKEN=kubesmith-lab',
  ].join('\n');
}

describe.skipIf(labSkipReason !== undefined)(suiteName('etcd across lab hosts'), () => {
  let hosts: LabHost[] = [];

  beforeAll(async () => {
    // Hosts as the image made them: another suite may have left its own etcd configuration behind.
    await labDown();
    hosts = await labUp(3);
  });
  afterAll(() => labDown());

  it('forms a 3-member cluster that the test runner can write to and read from', async () => {
    await Promise.all(
      hosts.map(async (h) => {
        const res = await sshAs(
          h,
          h.users.root,
          `cat > /etc/default/etcd <<'EOF'\n${etcdConfig(h, hosts)}\nEOF\nsystemctl start --no-block etcd.service`,
        );
        expect(res.code, res.stderr).toBe(0);
      }),
    );
    for (const h of hosts) {
      await waitFor(
        `etcd on ${h.name} to be healthy`,
        60_000,
        async () => {
          const res = await fetch(`http://${h.address}:2379/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
          const body = res?.ok ? ((await res.json()) as { health?: string }) : undefined;
          return body?.health === 'true' ? true : undefined;
        },
        500,
      );
    }
    const [first, , last] = hosts as [LabHost, LabHost, LabHost];

    const members = await etcd<{ members: { name: string }[] }>(first, '/v3/cluster/member/list', {});
    expect(members.members.map((m) => m.name).sort()).toEqual(['node1', 'node2', 'node3']);

    await etcd(first, '/v3/kv/put', { key: b64('/kubesmith/lab'), value: b64('hello from the test runner') });
    const got = await etcd<{ kvs?: { value: string }[] }>(last, '/v3/kv/range', { key: b64('/kubesmith/lab') });
    expect(Buffer.from(got.kvs?.[0]?.value ?? '', 'base64').toString()).toBe('hello from the test runner');
  });
});
