import { KubesmithError } from '../../../src-shared/errors';
import { MIRRORED_REGISTRIES, type Host } from '../../../src-shared/model/cluster';
import { isRegistry } from '../../../src-shared/model/validate-settings';
import type { PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { fileStep } from '../steps';

/** Where containerd reads per-registry hosts.toml (config_path in both config versions). */
export const CERTS_D = '/etc/containerd/certs.d';

/** A TOML basic string; the value was checked by isRegistry, so no quote or control character reaches here. */
const tomlString = (text: string): string => JSON.stringify(text);

/** Docker Hub's API lives at registry-1.docker.io; the rest at their own names. */
const upstream = (registry: string): string => (registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`);

/**
 * A mirror as containerd's hosts.toml takes it (containerd docs/hosts.md): scheme added when missing (https), and a
 * mirror with a path (a proxy project, `mirror.lab/docker.io`) gets `/v2` in front of the path and override_path, so
 * containerd asks `<mirror>/v2/<path>/<repository>/…` — the same URLs the bundle builder's mirror prefix uses.
 */
export function mirrorHost(mirror: string): { url: string; overridePath: boolean } {
  if (!isRegistry(mirror))
    throw new KubesmithError('RegistryMirrorInvalid', `"${mirror}" is not a registry mirror.`, 'Fix it in Cluster settings.');
  const url = new URL(/^https?:\/\//.test(mirror) ? mirror : `https://${mirror}`);
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  return path === '' ? { url: url.origin, overridePath: false } : { url: `${url.origin}/v2/${path}`, overridePath: true };
}

export function registryHostsSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const mirrors = ctx.cluster.settings.registryMirrors;
  return MIRRORED_REGISTRIES.filter((r) => mirrors[r]).map((registry) => {
    const mirror = mirrors[registry]!;
    const { url, overridePath } = mirrorHost(mirror);
    return fileStep(ctx.stepId('runtime', host, `mirror-${registry}`), `Registry mirror ${mirror} for ${registry}`, {
      path: `${CERTS_D}/${registry}/hosts.toml`,
      text: ctx.templates.render(ctx.version, 'containerd-hosts.toml', {
        registry,
        server: tomlString(upstream(registry)),
        mirror: tomlString(url),
        overridePath: String(overridePath),
      }),
    });
  });
}
