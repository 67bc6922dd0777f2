import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * Test-side helper: the TypeScript types kubernetes-models generates from Kubernetes' OpenAPI document, loaded with
 * the compiler so field names can be read off them (its JSON schemas accept unknown fields; its types do not).
 */
const require = createRequire(__filename);
const MODELS_DIR = dirname(require.resolve('kubernetes-models/package.json'));

export const modelDeclFile = (apiVersion: string, kind: string): string => join(MODELS_DIR, apiVersion, `${kind}.d.ts`);

export interface ModelTypes {
  checker: ts.TypeChecker;
  /** The generated `I<Kind>` interface's type, or undefined when kubernetes-models has no such kind. */
  rootType(apiVersion: string, kind: string): ts.Type | undefined;
}

export function modelTypes(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>): ModelTypes {
  const files = [...new Set(kinds.map((k) => modelDeclFile(k.apiVersion, k.kind)))];
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  return {
    checker,
    rootType(apiVersion, kind) {
      const source = program.getSourceFile(modelDeclFile(apiVersion, kind));
      const decl = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`);
      return decl ? checker.getTypeAtLocation(decl.name) : undefined;
    },
  };
}
