import { classifyAddress } from '../net/host-address';
import { parseIPv6 } from '../net/ip';
import { isLoginName } from '../model/names';

/**
 * Whether text is an OpenSSH ProxyJump value: one or more "[user@]host[:port]" hops separated by
 * commas, IPv6 hosts in brackets ("admin@[fd00::1]:2222").
 */
export function isJumpSpec(text: string): boolean {
  const hops = text.split(',').map((h) => h.trim());
  return hops.length > 0 && hops.every(isHop);
}

function isHop(hop: string): boolean {
  const at = hop.lastIndexOf('@');
  if (at === 0 || (at > 0 && !isLoginName(hop.slice(0, at)))) return false;
  const rest = at > 0 ? hop.slice(at + 1) : hop;
  const bracketed = /^\[([^\]]+)\](?::([0-9]{1,5}))?$/.exec(rest);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : (rest.split(':') as [string, string | undefined]);
  if (!bracketed && rest.split(':').length > 2) return false;
  if (bracketed && parseIPv6(host) === undefined) return false;
  if (port !== undefined && (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return false;
  return classifyAddress(host) !== undefined;
}
