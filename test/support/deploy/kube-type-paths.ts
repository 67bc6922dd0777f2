import ts from 'typescript';
import { modelDeclFile, modelTypes } from './kube-model-types';
import type { JSONSchemaProps } from '../../../src-main/deploy/addon-crds/schema';

/**
 * Test-side helper: every field path of a kubernetes-models type (generated from Kubernetes' OpenAPI document), such
 * as `ingress[].from[].ipBlock.cidr`, so a schema restated from Kubernetes' reference can be shown to lack none.
 * `[]` marks an array element, `[*]` a map value.
 */
export function kubeTypePaths(apiVersion: string, kind: string): string[] {
  const { checker, rootType } = modelTypes([{ apiVersion, kind }]);
  const root = rootType(apiVersion, kind);
  if (!root) throw new Error(`no type I${kind} in ${modelDeclFile(apiVersion, kind)}`);

  const paths: string[] = [];
  const walk = (type: ts.Type, path: string, depth: number): void => {
    const t = checker.getNonNullableType(type);
    if (depth > 12 || (t.flags & ts.TypeFlags.Object) === 0) return;
    const element = checker.isArrayType(t) ? checker.getIndexTypeOfType(t, ts.IndexKind.Number) : undefined;
    if (element) return walk(element, `${path}[]`, depth + 1);
    const mapValue = checker.getIndexTypeOfType(t, ts.IndexKind.String);
    if (mapValue) return walk(mapValue, `${path}[*]`, depth + 1);
    for (const prop of t.getProperties()) {
      const at = path ? `${path}.${prop.name}` : prop.name;
      paths.push(at);
      walk(checker.getTypeOfSymbol(prop), at, depth + 1);
    }
  };
  walk(root, '', 0);
  return paths;
}

/** The same paths for a CRD schema node. */
export function schemaPaths(schema: JSONSchemaProps, path = ''): string[] {
  if (schema.items) return schemaPaths(schema.items, `${path}[]`);
  if (typeof schema.additionalProperties === 'object') return schemaPaths(schema.additionalProperties, `${path}[*]`);
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const at = path ? `${path}.${name}` : name;
    return [at, ...schemaPaths(child, at)];
  });
}
