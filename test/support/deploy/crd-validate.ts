import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { JSONSchemaProps } from '../../../src-main/deploy/addon-crds/schema';

/**
 * Test-side helper: an OpenAPI v3 schema from a CRD as a JSON-schema validator (ajv understands `nullable`; the
 * `x-kubernetes-*` extensions are known keywords that check nothing themselves; int32/int64 are range-free here).
 * Returns the errors as `path message`; none when the value validates.
 */
export function crdSchemaValidator(schema: JSONSchemaProps): (value: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  ajv.addFormat('int32', true);
  ajv.addFormat('int64', true);
  ajv.addKeyword('x-kubernetes-int-or-string');
  ajv.addKeyword('x-kubernetes-preserve-unknown-fields');
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}
