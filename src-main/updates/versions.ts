// Semantic versions as the release feed carries them (https://semver.org/#spec-item-11 for the order of pre-releases).
export type UpdateChannel = 'latest' | 'beta';

interface Parsed {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): Parsed | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length; // a release ranks above its pre-releases
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    const [xn, yn] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (xn && yn && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Negative, zero or positive like a sort comparator; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const [pa, pb] = [parse(a), parse(b)];
  if (!pa || !pb) return undefined;
  for (let i = 0; i < 3; i++) if (pa.core[i] !== pb.core[i]) return pa.core[i]! - pb.core[i]!;
  return comparePre(pa.pre, pb.pre);
}

/** The channel a version was released on: no pre-release tag is `latest`, `-beta.N` is `beta`, anything else none. */
export function channelOf(version: string): UpdateChannel | undefined {
  const parsed = parse(version);
  if (!parsed) return undefined;
  if (parsed.pre.length === 0) return 'latest';
  return parsed.pre[0] === 'beta' ? 'beta' : undefined;
}

/** The beta channel takes betas and releases; the latest channel only releases. */
export function channelAccepts(channel: UpdateChannel, version: string): boolean {
  const of = channelOf(version);
  return of === 'latest' || (of === 'beta' && channel === 'beta');
}

/** Whether `candidate` should replace `current` for a user on `channel`: strictly newer, and on that channel. */
export function isWantedUpdate(current: string, candidate: string, channel: UpdateChannel): boolean {
  const order = compareVersions(candidate, current);
  return order !== undefined && order > 0 && channelAccepts(channel, candidate);
}
