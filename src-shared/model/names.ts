/**
 * The names a cluster is made of, each with the one rule every way in (form, paste, import, API, cluster.yaml) uses.
 */

/**
 * Host ids end up in file names, secret-store keys and maps keyed by id. Besides the pattern, the names of
 * Object.prototype's members are refused: an id like "constructor" would read a function out of a plain object.
 */
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const RESERVED_IDS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A host name becomes the Kubernetes node name, which must be a DNS subdomain (RFC 1123): labels of letters, digits
 * and dashes joined by dots, 253 characters at most. Upper case is accepted here and lower-cased where it is used.
 */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i;

/**
 * A login name as useradd accepts it (letters, digits, dots, dashes, underscores; not starting with a dash or dot;
 * a trailing $ for machine accounts). It reaches ssh's command line and sudo, so nothing else passes.
 */
const LOGIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/;

export function isHostId(id: string): boolean {
  return HOST_ID.test(id) && !RESERVED_IDS.has(id);
}

export function isNodeName(name: string): boolean {
  return name.length <= 253 && NODE_NAME.test(name);
}

export function isLoginName(text: string): boolean {
  return LOGIN_NAME.test(text);
}
