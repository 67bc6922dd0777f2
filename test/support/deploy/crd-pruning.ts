import type { JSONSchemaProps } from '../../../src-main/deploy/addon-crds/schema';

/**
 * Test-side helper: what the API server keeps of a custom resource under a structural schema. It prunes fields the
 * schema does not specify (unless `x-kubernetes-preserve-unknown-fields`) and drops a `null` where the schema
 * does not say nullable
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning,
 * #defaulting-and-nullable). `kubectl apply`'s strict field validation refuses the same unknown fields.
 * `metadata` at the root is ObjectMeta, which the server handles itself, not by the CRD schema.
 * Returns the kept value and the path of every dropped field.
 */
export function prune(schema: JSONSchemaProps, value: unknown, path = ''): { kept: unknown; dropped: string[] } {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-int-or-string'] === true)
    return { kept: value, dropped: [] };
  if (Array.isArray(value)) {
    if (!schema.items) return { kept: value, dropped: [] };
    const items = value.map((v, i) => pruneChild(schema.items!, v, `${path}[${i}]`));
    return { kept: items.map((r) => r.kept), dropped: items.flatMap((r) => r.dropped) };
  }
  if (typeof value !== 'object' || value === null) return { kept: value, dropped: [] };
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (at === 'metadata') {
      kept[key] = v;
      continue;
    }
    const child = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!child) {
      dropped.push(at);
      continue;
    }
    const r = pruneChild(child, v, at);
    if (r.dropped.includes(at)) dropped.push(at);
    else {
      kept[key] = r.kept;
      dropped.push(...r.dropped);
    }
  }
  return { kept, dropped };
}

function pruneChild(schema: JSONSchemaProps, value: unknown, at: string): { kept: unknown; dropped: string[] } {
  if (value === null && schema.nullable !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true)
    return { kept: undefined, dropped: [at] };
  return prune(schema, value, at);
}
