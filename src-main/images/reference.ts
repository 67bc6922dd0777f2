import { KubesmithError } from '../../src-shared/errors';

/** An image reference taken apart: registry as people write it, repository, and a tag and/or digest. */
export interface ImageReference {
  /** docker.io, registry.k8s.io, quay.io, ghcr.io, host:port … */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
// Repository path components: lower-case alphanumerics with single separators (distribution's reference grammar).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Reads "busybox", "kubernetesui/dashboard:v2.7.0", "registry.k8s.io/pause:3.10.1" or "repo@sha256:…".
 * A first component with a dot, a colon or "localhost" is a registry; otherwise the image is on Docker Hub, and
 * a one-component name there lives under library/ (the grammar of github.com/distribution/reference).
 */
export function parseReference(text: string): ImageReference {
  const bad = (why: string) =>
    new KubesmithError('ImageReferenceInvalid', `"${text}" is not an image reference: ${why}.`, 'Write it as registry/repository:tag.');
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('the digest is not sha256:<64 hex digits>');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag "${tag}" has characters a tag cannot have`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p)))
    throw bad('the repository name is not lower-case letters, digits and separators');
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: parts.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The reference written out in full (registry/repository[:tag][@digest]). */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Docker Hub's API is not served at docker.io but at registry-1.docker.io; every other registry at its own name. */
export function registryApiBase(registry: string): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  return `https://${registry}`;
}
