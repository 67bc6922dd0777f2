import { KubesmithError, toApiError } from '../../src-shared/errors';
import type { Host } from '../../src-shared/model/cluster';
import type { EtcdMemberState, EtcdState } from '../../src-shared/contract/operations';
import type { HostTransport } from '../deploy/engine/transport';
import { etcdctlAt, etcdctlOn } from '../deploy/phases/etcd';
import { raw, sh, type Shell } from '../ssh/shell';

/** etcd's ids are 64-bit: read as numbers they lose digits, so they are quoted before parsing. */
function parseWithIds(text: string): unknown {
  return JSON.parse(text.replace(/("(?:ID|cluster_id|member_id|leader)"\s*:\s*)(\d+)/g, '$1"$2"'));
}

const hex = (id: unknown): string => BigInt(String(id)).toString(16);

interface RawMember {
  ID: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

/** `etcdctl member list -w json`. A member added but not yet started has no name and no client URL. */
export function parseMemberList(text: string): { clusterId: string; members: EtcdMemberState[] } {
  const raw = parseWithIds(text) as { header: { cluster_id: string }; members?: RawMember[] };
  return {
    clusterId: hex(raw.header.cluster_id),
    members: (raw.members ?? []).map((m) => ({
      id: hex(m.ID),
      name: m.name ?? '',
      peerUrl: m.peerURLs?.[0] ?? '',
      clientUrl: m.clientURLs?.[0] ?? '',
      started: (m.clientURLs?.length ?? 0) > 0,
    })),
  };
}

/** `etcdctl endpoint status -w json`: per endpoint, its member id, version, size and whether it leads. */
export function parseEndpointStatus(
  text: string,
): Array<{ endpoint: string; memberId: string; version: string; dbSize: number; leader: boolean; revision: number }> {
  const raw = parseWithIds(text) as Array<{
    Endpoint: string;
    Status: { header: { member_id: string; revision?: number }; version: string; dbSize: number; leader: string };
  }>;
  return raw.map((e) => ({
    endpoint: e.Endpoint,
    memberId: hex(e.Status.header.member_id),
    version: e.Status.version,
    dbSize: e.Status.dbSize,
    leader: e.Status.leader === e.Status.header.member_id,
    revision: e.Status.header.revision ?? 0,
  }));
}

/** `etcdctl endpoint health -w json` (it exits 1 when any endpoint is unhealthy, and still prints them all). */
export function parseEndpointHealth(text: string): Map<string, { healthy: boolean; error?: string }> {
  const start = text.indexOf('[');
  const out = new Map<string, { healthy: boolean; error?: string }>();
  if (start < 0) return out;
  const raw = JSON.parse(text.slice(start, text.lastIndexOf(']') + 1)) as Array<{ endpoint: string; health: boolean; error?: string }>;
  for (const e of raw) out.set(e.endpoint, { healthy: e.health, ...(e.error ? { error: e.error } : {}) });
  return out;
}

const SHORT = raw('--dial-timeout=3s --command-timeout=5s');

/**
 * The etcd cluster as it runs now, read from the first member host that answers (with the healthcheck
 * certificate the deploy put there): members, which are healthy, the leader, versions and sizes.
 */
export async function readEtcdState(candidates: readonly Host[], transportFor: (h: Host) => HostTransport): Promise<EtcdState> {
  const errors: string[] = [];
  for (const host of candidates) {
    try {
      const t = transportFor(host);
      const list = await t.exec(etcdctlOn(candidates, sh`${SHORT} member list -w json`).command, { timeoutMs: 20_000 });
      if (list.code !== 0) {
        errors.push(`${host.name}: ${(list.stderr || list.stdout).trim().split('\n').pop() ?? `exit ${list.code}`}`);
        continue;
      }
      const { clusterId, members } = parseMemberList(list.stdout);
      const endpoints = members.filter((m) => m.clientUrl).map((m) => m.clientUrl);
      const byEndpoint = (args: Shell) => etcdctlAt(endpoints, sh`${SHORT} ${args}`);
      const [health, status] = await Promise.all([
        t.exec(sh`${byEndpoint(sh`endpoint health -w json`)} 2>/dev/null`.command, { timeoutMs: 20_000 }),
        t.exec(sh`${byEndpoint(sh`endpoint status -w json`)} 2>/dev/null`.command, { timeoutMs: 20_000 }),
      ]);
      const healthy = parseEndpointHealth(health.stdout);
      const statuses = status.stdout.trim().startsWith('[') ? parseEndpointStatus(status.stdout) : [];
      return {
        ok: true,
        readFrom: host.name,
        clusterId,
        members: members.map((m) => {
          const h = healthy.get(m.clientUrl);
          const s = statuses.find((x) => x.memberId === m.id);
          return {
            ...m,
            healthy: h?.healthy ?? false,
            ...(h?.error ? { error: h.error } : !m.started ? { error: 'added, not started yet' } : {}),
            ...(s ? { leader: s.leader, version: s.version, dbSize: s.dbSize, revision: s.revision } : {}),
          };
        }),
      };
    } catch (e) {
      errors.push(`${host.name}: ${toApiError(e).message}`);
    }
  }
  return { ok: false, members: [], error: errors.join('; ') || 'The cluster has no etcd host.' };
}

/** The live state, or a refusal that says why it could not be read (an operation never guesses membership). */
export async function requireEtcdState(candidates: readonly Host[], transportFor: (h: Host) => HostTransport): Promise<EtcdState> {
  const state = await readEtcdState(candidates, transportFor);
  if (!state.ok) {
    throw new KubesmithError(
      'EtcdUnreachable',
      `No etcd member answered: ${state.error}`,
      'etcd has to be running (with a quorum) for this; check the hosts on the Operations screen or in a terminal.',
    );
  }
  return state;
}
