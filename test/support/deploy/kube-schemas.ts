import type { ManifestObject } from './manifests';

/**
 * Test-side helper: the kubernetes-models class for an object's apiVersion/kind, which validates it against the
 * JSON schema generated from Kubernetes' OpenAPI document (types, required fields, enums, formats).
 */
interface Validating {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validating;

/** kubernetes-models lays its classes out as <group>/<version>/<Kind>; the core group is `v1`. */
export async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const path = `kubernetes-models/${apiVersion}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const cls = mod[kind];
  return typeof cls === 'function' ? (cls as ModelClass) : undefined;
}

/** The schema errors of one object, as `Kind ns/name: message`; none when it validates. */
export async function schemaErrors(o: ManifestObject): Promise<string[]> {
  const label = `${String(o.kind)} ${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name ?? '')}`;
  const Model = await modelFor(String(o.apiVersion), String(o.kind));
  if (!Model) return [`${label}: no schema for ${String(o.apiVersion)} ${String(o.kind)}`];
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [`${label}: ${(e as Error).message}`];
  }
}
