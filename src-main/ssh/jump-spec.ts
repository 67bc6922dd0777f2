import { KubesmithError } from '../../src-shared/errors';

export interface JumpHop {
  user: string | undefined;
  host: string;
  port: number;
}

/**
 * Parses an OpenSSH ProxyJump value: one or more "[user@]host[:port]" hops
 * separated by commas, first hop first. IPv6 hosts go in brackets: "[fd00::1]:22".
 */
export function parseJumpSpec(spec: string): JumpHop[] {
  const hops = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (hops.length === 0) throw badSpec(spec, 'it is empty');
  return hops.map((hop) => parseHop(spec, hop));
}

function parseHop(spec: string, hop: string): JumpHop {
  const text = hop.replace(/^ssh:\/\//, '');
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user === '') throw badSpec(spec, `"${hop}" has an empty user name`);
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed !== null) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) throw badSpec(spec, `"${hop}": put IPv6 addresses in brackets, like [fd00::1]:22`);
    host = parts[0] ?? '';
    portText = parts[1];
  }
  if (host === '' || /\s/.test(host)) throw badSpec(spec, `"${hop}" has no host`);
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badSpec(spec, `"${hop}" has an invalid port`);
  return { user, host, port };
}

function badSpec(spec: string, why: string): KubesmithError {
  return new KubesmithError(
    'InvalidJumpHost',
    `The jump host "${spec}" cannot be used: ${why}.`,
    'Write it as user@host:port, several hops separated by commas.',
    {
      spec,
    },
  );
}

export function formatHop(hop: JumpHop): string {
  const host = hop.host.includes(':') ? `[${hop.host}]` : hop.host;
  return `${hop.user !== undefined ? `${hop.user}@` : ''}${host}:${hop.port}`;
}
