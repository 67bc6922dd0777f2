import ts from 'typescript';
import { modelTypes } from './kube-model-types';

/**
 * Test-side helper: the field names an object may have, read from the TypeScript types kubernetes-models generates
 * from Kubernetes' OpenAPI document (its JSON schemas accept unknown fields, so a misspelt `imagePullPolicies` would
 * pass them; the API server would drop it with a warning at best). Walks an object beside its type and names every
 * field the type does not have, by path.
 */
export interface FieldChecker {
  unknownFields(object: Record<string, unknown>): string[];
}

export function fieldChecker(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>): FieldChecker {
  const { checker, rootType } = modelTypes(kinds);

  const isObjectLike = (t: ts.Type) => (t.flags & ts.TypeFlags.Object) !== 0;

  // The generated types leave JSONSchemaPropsOrArray/OrBool empty; Kubernetes' OpenAPI document describes them as a
  // JSONSchemaProps (or an array of them, or a bool), so a CRD schema's `items` and `additionalProperties` are
  // walked as JSONSchemaProps.
  const SCHEMA_OR = new Set(['IJSONSchemaPropsOrArray', 'IJSONSchemaPropsOrBool']);
  let schemaProps: ts.Type | undefined | null = null;
  const schemaPropsType = () => {
    if (schemaProps === null) schemaProps = rootType('apiextensions.k8s.io/v1', 'JSONSchemaProps');
    return schemaProps;
  };

  const walk = (value: unknown, type: ts.Type, path: string): string[] => {
    const t = checker.getNonNullableType(type);
    const props = SCHEMA_OR.has(t.getSymbol()?.getName() ?? '') ? schemaPropsType() : undefined;
    if (props && typeof value === 'object' && value !== null)
      return Array.isArray(value) ? value.flatMap((v, i) => walk(v, props, `${path}[${i}]`)) : walk(value, props, path);
    if (t.isUnion()) {
      const candidates = t.types.filter(isObjectLike);
      if (typeof value !== 'object' || value === null || candidates.length === 0) return [];
      const results = candidates.map((c) => walk(value, c, path));
      return results.find((r) => r.length === 0) ?? results[0]!;
    }
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
      return element ? value.flatMap((v, i) => walk(v, element, `${path}[${i}]`)) : [];
    }
    if (typeof value !== 'object' || value === null || !isObjectLike(t)) return [];
    const mapValue = checker.getIndexTypeOfType(t, ts.IndexKind.String);
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const at = path ? `${path}.${key}` : key;
      const prop = t.getProperty(key);
      if (prop) return walk(v, checker.getTypeOfSymbol(prop), at);
      if (mapValue) return walk(v, mapValue, at);
      return [at];
    });
  };

  return {
    unknownFields(object) {
      const type = rootType(String(object.apiVersion), String(object.kind));
      if (!type) return [`(no type for ${String(object.apiVersion)} ${String(object.kind)})`];
      return walk(object, type, '');
    },
  };
}
