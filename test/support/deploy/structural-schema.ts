import type { JSONSchemaProps } from '../../../src-main/deploy/addon-crds/schema';

/**
 * Test-side helper: the rules a CRD schema must follow to be structural, as Kubernetes states them in
 * "Specifying a structural schema"
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * 1. a non-empty `type` at the root, for every field of an object (`properties`, `additionalProperties`) and for
 *    array items, except nodes with `x-kubernetes-int-or-string: true` or `x-kubernetes-preserve-unknown-fields: true`;
 * 2. a field or item named inside `allOf`/`anyOf`/`oneOf`/`not` is also named outside them;
 * 3. no `description`, `type`, `default`, `additionalProperties` or `nullable` inside those junctors, except the two
 *    int-or-string patterns (`anyOf: [{type: integer}, {type: string}]`, optionally inside `allOf`);
 * 4. `metadata` may restrict only `metadata.name` and `metadata.generateName`.
 * Also from apiextensions.k8s.io/v1 validation: `properties` and `additionalProperties` are mutually exclusive, and
 * `additionalProperties: false` is refused. Returns each violation as `path: rule`.
 */
export function structuralErrors(root: JSONSchemaProps): string[] {
  const errors: string[] = [];
  if (root.type !== 'object') errors.push('(root): the root must be type object');
  walk(root, '', errors);
  const metadata = root.properties?.metadata;
  if (metadata) errors.push(...metadataErrors(metadata));
  return errors;
}

const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;
const FORBIDDEN_IN_JUNCTOR = ['description', 'type', 'default', 'additionalProperties', 'nullable'] as const;

const isIntOrStringPattern = (subs: JSONSchemaProps[]): boolean =>
  subs.length === 2 && subs.every((s) => Object.keys(s).length === 1) && subs[0]!.type === 'integer' && subs[1]!.type === 'string';

function walk(node: JSONSchemaProps, path: string, errors: string[]): void {
  const at = path || '(root)';
  const exempt = node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!exempt && !node.type) errors.push(`${at}: no type`);
  if (node.properties && node.additionalProperties !== undefined) errors.push(`${at}: properties and additionalProperties together`);
  if (node.additionalProperties === false) errors.push(`${at}: additionalProperties: false`);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path ? path + '.' : ''}${name}`, errors);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}[*]`, errors);
  if (node.items) walk(node.items, `${path}[]`, errors);
  if (node.type === 'array' && !node.items) errors.push(`${at}: an array without items`);
  for (const junctor of [...JUNCTORS, 'not'] as const) {
    const subs = junctor === 'not' ? (node.not ? [node.not] : []) : (node[junctor] ?? []);
    const intOrString = node['x-kubernetes-int-or-string'] === true && junctor === 'anyOf' && isIntOrStringPattern(subs);
    for (const sub of subs) junctorErrors(node, sub, `${at}.${junctor}`, intOrString, errors);
  }
}

function junctorErrors(owner: JSONSchemaProps, sub: JSONSchemaProps, at: string, intOrString: boolean, errors: string[]) {
  for (const key of FORBIDDEN_IN_JUNCTOR) {
    if (sub[key] !== undefined && !(intOrString && key === 'type')) errors.push(`${at}: ${key} inside a junctor`);
  }
  for (const name of Object.keys(sub.properties ?? {})) {
    if (!owner.properties?.[name]) errors.push(`${at}: field ${name} is not specified outside the junctor`);
  }
  if (sub.items && !owner.items) errors.push(`${at}: items are not specified outside the junctor`);
  for (const junctor of JUNCTORS) for (const inner of sub[junctor] ?? []) junctorErrors(owner, inner, `${at}.${junctor}`, false, errors);
}

function metadataErrors(metadata: JSONSchemaProps): string[] {
  const errors: string[] = [];
  const allowed = new Set(['type', 'properties', 'description']);
  for (const key of Object.keys(metadata)) if (!allowed.has(key)) errors.push(`metadata: ${key} restricts metadata`);
  for (const name of Object.keys(metadata.properties ?? {}))
    if (name !== 'name' && name !== 'generateName') errors.push(`metadata.${name}: only name and generateName may be restricted`);
  return errors;
}
