import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Which Host and Origin the server answers to. A page on a rebinding DNS name (rebind.example → 127.0.0.1) reaches the
 * port, but its requests carry that name as Host: only the address the server is bound to is served, so such a page
 * gets 421 and never the app or the API.
 *
 * - Bound to one address: exactly that address and port; on a loopback address also `localhost:PORT`, which only this
 *   machine's resolver answers and which the user may type.
 * - Bound to every address (0.0.0.0, ::): any IP literal with the bound port, plus `localhost:PORT`. An IP literal cannot
 *   be rebound; any other name can, so names are refused.
 */
export interface HostPolicy {
  allowsHost(host: string | undefined): boolean;
  /** An Origin header: http, exactly scheme://host[:port], and a host the server answers to. */
  allowsOrigin(origin: string): boolean;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

export function hostPolicy(boundHost: string, port: number): HostPolicy {
  const bound = unbracket(boundHost.toLowerCase());
  const loopback = bound === 'localhost' || bound === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bound);
  const names = new Set([bound]);
  if (loopback) names.add('localhost');
  if (bound === 'localhost') ['127.0.0.1', '::1'].forEach((n) => names.add(n));
  const wildcard = WILDCARDS.has(bound);
  const allowsHost = (host: string | undefined): boolean => {
    const authority = host === undefined ? undefined : parseAuthority(host.toLowerCase());
    if (!authority || authority.port !== port) return false;
    return names.has(authority.name) || (wildcard && (isIP(authority.name) !== 0 || authority.name === 'localhost'));
  };
  return {
    allowsHost,
    allowsOrigin: (origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      return url.protocol === 'http:' && url.origin === origin.toLowerCase() && allowsHost(url.port ? url.host : `${url.host}:80`);
    },
  };
}

/** host[:port] or [v6]:port; a missing port is HTTP's 80. Undefined for anything else. */
function parseAuthority(authority: string): { name: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  return { name: unbracket(match[1]!), port: match[2] === undefined ? 80 : Number(match[2]) };
}

function unbracket(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/**
 * The request's path and query. Only origin-form targets ("/…") are served; anything the URL parser refuses is
 * undefined, never a throw.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    // Prefixing an origin keeps "//name/…" a path: new URL(target, base) would read it as another host.
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}

/**
 * A Location that stays on this server: a path with exactly one leading slash. Browsers read "//name" and "/\name"
 * as another host, so every run of leading slashes and backslashes becomes one slash.
 */
export function sameOriginPath(pathname: string): string {
  return `/${pathname.replace(/^[/\\]+/, '')}`;
}
