import { z } from 'zod';

/**
 * Inputs for the contract fuzz: a value that follows a method's input schema (read as JSON Schema via z.toJSONSchema),
 * then one mutation of it. Every choice comes from a seeded random source, so a failure is replayed by its seed.
 */

export type Random = () => number;

/** mulberry32: small, seedable, good enough to pick test inputs. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const int = (rnd: Random, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Values the workspace under test knows (cluster names, host ids, a closed loopback port), so valid calls reach handlers. */
export interface SampleContext {
  /** Strings to try first, by the property name they are for. */
  byKey: Record<string, readonly (string | number)[]>;
  /** Strings to try for any string with a pattern, before random text. */
  patterned: readonly string[];
}

/** A value the schema accepts (mostly: refinements the JSON Schema cannot say may still refuse it). */
export function sample(schema: JsonSchema, rnd: Random, ctx: SampleContext, key = '', depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(rnd, schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return sample(pick(rnd, branches), rnd, ctx, key, depth);
  if (schema.allOf?.length) return sample(schema.allOf[0]!, rnd, ctx, key, depth);
  const type = Array.isArray(schema.type) ? pick(rnd, schema.type) : schema.type;
  const known = ctx.byKey[key];
  switch (type) {
    case 'object':
      return sampleObject(schema, rnd, ctx, depth);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      return Array.from({ length: int(rnd, min, max) }, () => sample(schema.items ?? {}, rnd, ctx, key, depth + 1));
    }
    case 'string':
      return sampleString(schema, rnd, ctx, known);
    case 'integer':
    case 'number': {
      const numbers = known?.filter((k): k is number => typeof k === 'number');
      if (numbers?.length && rnd() < 0.8) return pick(rnd, numbers);
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -5);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min, 0) + 100);
      const n = pick(rnd, [min, max, int(rnd, min, Math.min(max, min + 1000))]);
      return type === 'integer' ? n : n + (n < max ? rnd() * 0.5 : 0);
    }
    case 'boolean':
      return rnd() < 0.5;
    case 'null':
      return null;
    default:
      return randomJson(rnd, depth);
  }
}

function sampleObject(schema: JsonSchema, rnd: Random, ctx: SampleContext, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (required.has(name) || rnd() < 0.5) out[name] = sample(prop, rnd, ctx, name, depth + 1);
  }
  if (!schema.properties && typeof schema.additionalProperties === 'object') {
    const keys = ctx.byKey['hostId']?.filter((k): k is string => typeof k === 'string') ?? ['a'];
    for (let i = int(rnd, 0, 3); i > 0; i--) out[pick(rnd, keys)] = sample(schema.additionalProperties, rnd, ctx, '', depth + 1);
  }
  return out;
}

function sampleString(schema: JsonSchema, rnd: Random, ctx: SampleContext, known: readonly (string | number)[] | undefined): string {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  const fits = (s: string) => s.length >= min && s.length <= max && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
  const candidates = [...(known ?? []).filter((k): k is string => typeof k === 'string'), ...ctx.patterned].filter(fits);
  if (candidates.length && (schema.pattern || rnd() < 0.8)) return pick(rnd, candidates);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
  const length = int(rnd, Math.max(min, 1), Math.max(min, Math.min(max, 12)));
  return Array.from({ length }, () => pick(rnd, [...alphabet])).join('');
}

function randomJson(rnd: Random, depth: number): unknown {
  if (depth > 4) return null;
  return pick(rnd, [
    () => null,
    () => rnd() < 0.5,
    () => int(rnd, -10, 10),
    () => 'x',
    () => [randomJson(rnd, depth + 1)],
    () => ({ k: randomJson(rnd, depth + 1) }),
  ])();
}

/** Strings an attacker or a clumsy paste would send. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\0',
  'a\0b',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '..',
  '/',
  '\\\\server\\share',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\ufeff',
  'e\u0301\u0301\u0301',
  '\u2028\u2029',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '$(touch /tmp/ks-fuzz-marker)',
  '`id`',
  "'; rm -rf / #",
  '%00%2e%2e',
  '${jndi:x}',
  'x'.repeat(5000),
  'NaN',
  '-1',
  '1e309',
];

const WRONG_TYPES: readonly (() => unknown)[] = [
  () => null,
  () => undefined,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => -0,
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => 2 ** 53,
  () => -(2 ** 53) - 1,
  () => 1e308,
  () => '',
  () => [],
  () => ({}),
  () => [[[]]],
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => new Uint8Array(4),
];

export type Mutation =
  | 'wrong-type'
  | 'boundary-number'
  | 'hostile-string'
  | 'huge-string'
  | 'deep-nesting'
  | 'prototype-key'
  | 'missing-field'
  | 'extra-field'
  | 'none';

export const MUTATIONS: readonly Mutation[] = [
  'wrong-type',
  'boundary-number',
  'hostile-string',
  'huge-string',
  'deep-nesting',
  'prototype-key',
  'missing-field',
  'extra-field',
];

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown };

/** Every place in a value that a mutation can replace: object properties and array items, nested. */
function slotsOf(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ parent: value, key: i, value: item });
      slotsOf(item, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k, value: v });
      slotsOf(v, out);
    }
  }
  return out;
}

function objectsOf(value: unknown): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      objects.push(v as Record<string, unknown>);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return objects;
}

function deepValue(rnd: Random): unknown {
  const depth = pick(rnd, [100, 1_000, 10_000]);
  let v: unknown = rnd() < 0.5 ? 'bottom' : {};
  for (let i = 0; i < depth; i++) v = rnd() < 0.5 ? [v] : { a: v };
  return v;
}

/** Own property with a name that is special on Object.prototype, set the way JSON.parse would (never the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

/** Applies one mutation in place (the root may be replaced: the result is the new input). */
export function mutate(input: unknown, mutation: Mutation, rnd: Random): unknown {
  const root = { root: input } as Record<string, unknown>;
  const slots = slotsOf(root);
  const slot = pick(rnd, slots);
  const put = (v: unknown) => ((slot.parent as Record<string | number, unknown>)[slot.key] = v);
  switch (mutation) {
    case 'wrong-type':
      put(pick(rnd, WRONG_TYPES)());
      break;
    case 'boundary-number': {
      const numbers = slots.filter((s) => typeof s.value === 'number');
      const target = numbers.length ? pick(rnd, numbers) : slot;
      const n = typeof target.value === 'number' ? target.value : 0;
      (target.parent as Record<string | number, unknown>)[target.key] = pick(rnd, [
        n - 1,
        n + 1,
        n + 0.5,
        -n,
        0,
        -1,
        2 ** 31,
        2 ** 31 - 1,
        -(2 ** 31),
        2 ** 32,
        65536,
        Number.MAX_SAFE_INTEGER + 1,
        Number.MIN_VALUE,
      ]);
      break;
    }
    case 'hostile-string': {
      const strings = slots.filter((s) => typeof s.value === 'string');
      const target = strings.length && rnd() < 0.8 ? pick(rnd, strings) : slot;
      const s = pick(rnd, HOSTILE_STRINGS);
      (target.parent as Record<string | number, unknown>)[target.key] =
        rnd() < 0.5 || typeof target.value !== 'string' ? s : `${target.value}${s}`;
      break;
    }
    case 'huge-string':
      put(pick(rnd, ['x', '\0', 'é', '𝔘']).repeat(pick(rnd, [1024 * 1024 + 1, 300_000, 70_000])));
      break;
    case 'deep-nesting':
      put(deepValue(rnd));
      break;
    case 'prototype-key': {
      const target = pick(rnd, objectsOf(root));
      const key = pick(rnd, ['__proto__', 'constructor', 'prototype']);
      setOwn(target, key, pick(rnd, [{ polluted: true }, ['etcd'], 'x', null, { includes: 1 }]));
      break;
    }
    case 'missing-field': {
      const props = slots.filter((s) => !Array.isArray(s.parent) && s.parent !== root);
      if (props.length) {
        const target = pick(rnd, props);
        delete (target.parent as Record<string, unknown>)[target.key as string];
      } else put(undefined);
      break;
    }
    case 'extra-field': {
      const target = pick(
        rnd,
        objectsOf(root).filter((o) => o !== root),
      );
      if (target) target[pick(rnd, ['extra', 'id', 'kind', '', ' ', 'x'.repeat(300)])] = pick(rnd, WRONG_TYPES)();
      else put({ extra: 1 });
      break;
    }
    case 'none':
      break;
  }
  return root.root;
}
