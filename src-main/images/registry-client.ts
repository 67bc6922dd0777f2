import { KubesmithError } from '../../src-shared/errors';
import { basicAuth, parseChallenge, type Challenge, type Credentials } from './auth';
import { formatReference, registryApiBase, type ImageReference } from './reference';

/** How to reach registries: a mirror prefix and credentials per registry, by the name references use (docker.io …). */
export interface RegistryAccess {
  /** registry → URL whose path prefixes every repository: http://127.0.0.1:5000/mirror/docker.io */
  mirrors?: Record<string, string>;
  credentials?: Record<string, Credentials>;
  signal?: AbortSignal;
}

interface Endpoint {
  origin: string;
  /** Repository path on that endpoint (the mirror's prefix, then the repository). */
  repository: string;
  label: string;
}

/**
 * Speaks the OCI distribution API (https://github.com/opencontainers/distribution-spec/blob/main/spec.md) to a
 * registry or its mirror: answers a 401 with the challenge's scheme — a bearer token from the realm (anonymous, or
 * with the registry's credentials) or basic credentials — and tries once more.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly access: RegistryAccess = {}) {}

  endpoint(ref: ImageReference): Endpoint {
    const mirror = this.access.mirrors?.[ref.registry];
    if (!mirror) return { origin: registryApiBase(ref.registry), repository: ref.repository, label: ref.registry };
    const url = new URL(mirror);
    const prefix = url.pathname.replace(/^\/+|\/+$/g, '');
    return {
      origin: url.origin,
      repository: prefix ? `${prefix}/${ref.repository}` : ref.repository,
      label: `${ref.registry} (mirror ${mirror})`,
    };
  }

  /** GET /v2/<repository>/<kind>/<reference>, authenticated as the registry asks. */
  async get(ref: ImageReference, kind: 'manifests' | 'blobs', target: string, headers: Record<string, string> = {}): Promise<Response> {
    const ep = this.endpoint(ref);
    const url = `${ep.origin}/v2/${ep.repository}/${kind}/${target}`;
    const key = `${ep.origin}/${ep.repository}`;
    let auth = this.tokens.get(key);
    let res = await this.send(url, ep, { ...headers, ...(auth ? { authorization: auth } : {}) });
    if (res.status === 401) {
      await res.body?.cancel();
      auth = await this.authorize(parseChallenge(res.headers.get('www-authenticate')), ref, ep);
      this.tokens.set(key, auth);
      res = await this.send(url, ep, { ...headers, authorization: auth });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new KubesmithError(
        'RegistryDenied',
        `${ep.label} refused ${formatReference(ref)} (${res.status}).`,
        'The image may be private: give credentials for this registry, or check the mirror.',
        { registry: ref.registry, status: res.status },
      );
    }
    return res;
  }

  private async send(url: string, ep: Endpoint, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(url, { headers, redirect: 'follow', ...(this.access.signal ? { signal: this.access.signal } : {}) });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      throw new KubesmithError(
        'RegistryUnreachable',
        `Could not reach ${ep.label}: ${cause}.`,
        "Check this computer's network, or set a mirror for this registry.",
        { url },
      );
    }
  }

  private credentialsFor(ref: ImageReference): Credentials | undefined {
    return this.access.credentials?.[ref.registry];
  }

  private async authorize(challenge: Challenge | undefined, ref: ImageReference, ep: Endpoint): Promise<string> {
    const creds = this.credentialsFor(ref);
    if (challenge?.scheme === 'basic') {
      if (!creds) throw denied(ep, ref, 'it asks for a user name and password');
      return basicAuth(creds);
    }
    const realm = challenge?.params.realm;
    if (challenge?.scheme !== 'bearer' || !realm) throw denied(ep, ref, 'its 401 answer names no token service');
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw denied(ep, ref, `its token realm "${realm}" is not a URL`);
    }
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${ep.repository}:pull`);
    const res = await this.send(tokenUrl.toString(), ep, creds ? { authorization: basicAuth(creds) } : {});
    if (!res.ok) {
      await res.body?.cancel();
      throw denied(ep, ref, `its token service answered ${res.status}`);
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw denied(ep, ref, 'its token service answered something that is not JSON');
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw denied(ep, ref, 'its token service gave no token');
    return `Bearer ${token}`;
  }
}

function denied(ep: Endpoint, ref: ImageReference, why: string): KubesmithError {
  return new KubesmithError('RegistryDenied', `${ep.label} did not let Kubesmith read ${formatReference(ref)}: ${why}.`, undefined, {
    registry: ref.registry,
  });
}
