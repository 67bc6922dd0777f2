import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * Test-side helper: the field names an object may have, read from the TypeScript types kubernetes-models generates
 * from Kubernetes' OpenAPI document (its JSON schemas accept unknown fields, so a misspelt `imagePullPolicies` would
 * pass them; the API server would drop it with a warning at best). Walks an object beside its type and names every
 * field the type does not have, by path.
 */
export interface FieldChecker {
  unknownFields(object: Record<string, unknown>): string[];
}

const require = createRequire(__filename);
const MODELS_DIR = dirname(require.resolve('kubernetes-models/package.json'));

const declFile = (apiVersion: string, kind: string) => join(MODELS_DIR, apiVersion, `${kind}.d.ts`);

export function fieldChecker(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>): FieldChecker {
  const files = [...new Set(kinds.map((k) => declFile(k.apiVersion, k.kind)))];
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();

  const rootType = (apiVersion: string, kind: string): ts.Type | undefined => {
    const source = program.getSourceFile(declFile(apiVersion, kind));
    const decl = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`);
    return decl ? checker.getTypeAtLocation(decl.name) : undefined;
  };

  const isObjectLike = (t: ts.Type) => (t.flags & ts.TypeFlags.Object) !== 0;

  // The generated types leave JSONSchemaPropsOrArray/OrBool empty; Kubernetes' OpenAPI document describes them as a
  // JSONSchemaProps (or an array of them, or a bool), so a CRD schema's `items` and `additionalProperties` are
  // walked as JSONSchemaProps.
  const SCHEMA_OR = new Set(['IJSONSchemaPropsOrArray', 'IJSONSchemaPropsOrBool']);
  let schemaProps: ts.Type | undefined | null = null;
  const schemaPropsType = () => {
    if (schemaProps === null) {
      const source = program.getSourceFile(declFile('apiextensions.k8s.io/v1', 'JSONSchemaProps'));
      const decl = source?.statements.find(
        (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'IJSONSchemaProps',
      );
      schemaProps = decl ? checker.getTypeAtLocation(decl.name) : undefined;
    }
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
