/**
 * A compact way to write CustomResourceDefinition schemas (OpenAPI v3, the JSONSchemaProps subset the
 * apiextensions.k8s.io/v1 API accepts). Every builder yields a structural node: it names its type, except the
 * int-or-string node, which Kubernetes allows to carry `x-kubernetes-int-or-string` instead
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
 */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: Array<string | number | boolean>;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  anyOf?: JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  default?: unknown;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

type Extra = Omit<JSONSchemaProps, 'type' | 'properties' | 'items' | 'additionalProperties'>;

export const str = (extra: Extra = {}): JSONSchemaProps => ({ type: 'string', ...extra });
/** A string limited to the values a `+kubebuilder:validation:Enum` marker lists. */
export const oneOf = (...values: string[]): JSONSchemaProps => ({ type: 'string', enum: values });
export const bool = (): JSONSchemaProps => ({ type: 'boolean' });
export const num = (): JSONSchemaProps => ({ type: 'number' });
export const int = (extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', ...extra });
/** Go's int64/uint64: JSON numbers that need 64 bits. */
export const int64 = (extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', format: 'int64', ...extra });
export const port = (min = 0): JSONSchemaProps => int({ minimum: min, maximum: 65535 });
/** metav1.Time: an RFC 3339 string. */
export const time = (): JSONSchemaProps => ({ type: 'string', format: 'date-time' });
/** metav1.Duration: Go's duration text (`1m30s`). */
export const duration = (): JSONSchemaProps => ({ type: 'string' });
/** numorstring types (a port, a protocol) that marshal as a number or a name. */
export const intOrString = (): JSONSchemaProps => ({
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
});

export const obj = (properties: Record<string, JSONSchemaProps>, required: string[] = []): JSONSchemaProps =>
  required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
export const arr = (items: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps => ({ type: 'array', items, ...extra });
/** Go's map[string]T: any keys, each value of one type. */
export const map = (values: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', additionalProperties: values });
/**
 * A Go pointer, slice or map written without `omitempty` serialises a nil as `null`; the API server drops a null
 * it was not told to keep, so such fields say nullable.
 */
export const nullable = (s: JSONSchemaProps): JSONSchemaProps => ({ ...s, nullable: true });

/** The open schema every CRD had before: any fields kept, nothing checked. */
export const OPEN: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
