import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONSchemaProps } from '../../../src-main/deploy/addon-crds/schema';
import { currentCrdSection } from '../../../src-main/deploy/addon-crds/render';
import { findTemplatesDir } from '../../../src-main/deploy/templates';
import { prune } from './crd-pruning';
import { crdSchemaValidator } from './crd-validate';
import { parseManifest } from './manifests';

/**
 * Test-side helper: checks a custom resource against the CRD calico.yaml ships for its apiVersion and kind, as the
 * API server would: pruning first (the dropped fields, the kept value), then ajv validation of what is kept (the
 * errors), the order in which the API server prunes and validates a custom resource.
 */
export function shippedCalicoCrdCheck(): (o: Record<string, unknown>) => { errors: string[]; dropped: string[]; kept: unknown } {
  const template = readFileSync(join(findTemplatesDir(), 'common', 'addons', 'calico.yaml'), 'utf8');
  const crds = parseManifest(currentCrdSection(template)).map(
    (o) =>
      o.spec as unknown as {
        group: string;
        names: { kind: string };
        versions: Array<{ name: string; schema: { openAPIV3Schema: JSONSchemaProps } }>;
      },
  );
  return (o) => {
    const [group, version] = String(o.apiVersion).split('/');
    const schema = crds.find((c) => c.group === group && c.names.kind === o.kind)?.versions.find((v) => v.name === version)
      ?.schema.openAPIV3Schema;
    if (!schema) throw new Error(`calico.yaml has no CRD for ${String(o.apiVersion)} ${String(o.kind)}`);
    const { kept, dropped } = prune(schema, o);
    return { errors: crdSchemaValidator(schema)(kept), dropped, kept };
  };
}

/** A deep copy of an object with one more field set at a path (array indexes as numbers). */
export function withField(o: Record<string, unknown>, path: Array<string | number>, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}
