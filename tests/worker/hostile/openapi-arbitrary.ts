/**
 * fast-check arbitraries from the OpenAPI document's JSON Schemas: values that follow a request schema, and hostile
 * variants of them (a required member dropped, a member of the wrong type, an unknown member, any JSON at all).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  $ref?: string;
}

type Components = Record<string, JsonSchema>;

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      // No length filter: a filter that rejects most values makes fast-check spin; the server checks lengths anyway.
      return fc.stringMatching(re, { size: 'xsmall' });
    } catch {
      // a pattern the generator cannot read: plain strings below
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200), unit: 'grapheme' });
}

/** Values that satisfy `schema` (as far as JSON Schema says; cross-field rules such as `endsAt > startsAt` aside). */
export function valid(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return valid(components[schema.$ref.split('/').pop()!] ?? {}, components, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return fc.oneof(...options.map((o) => valid(o, components, depth + 1)));
  if (schema.allOf) return valid(Object.assign({}, ...schema.allOf), components, depth);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => valid({ ...schema, type: t }, components, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 4_102_444_800_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e12, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArb(schema);
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((p) => valid(p, components, depth + 1)));
      const max = Math.min(schema.maxItems ?? 4, depth > 2 ? 1 : 4);
      return fc.array(valid(schema.items ?? {}, components, depth + 1), { minLength: Math.min(schema.minItems ?? 0, max), maxLength: Math.max(max, schema.minItems ?? 0) });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = valid(v, components, depth + 1);
      const keys = Object.keys(props);
      if (keys.length === 0) return depth > 2 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      return fc.record(record, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A request body: mostly valid, else a valid one bent out of shape, else any JSON, else not JSON at all. */
export function hostileBody(schema: JsonSchema | undefined, components: Components): fc.Arbitrary<{ json?: unknown; raw?: string }> {
  const base = schema ? valid(schema, components) : fc.constant({});
  const bent = base.chain((v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fc.jsonValue({ maxDepth: 2 });
    const keys = Object.keys(v);
    return fc.oneof(
      keys.length ? fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))) : fc.constant(v),
      keys.length ? fc.tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 2 })).map(([k, x]) => ({ ...v, [k]: x })) : fc.constant(v),
      fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(([k, x]) => ({ ...v, [k]: x })),
    );
  });
  return fc.oneof(
    { weight: 5, arbitrary: base.map((json) => ({ json })) },
    { weight: 3, arbitrary: bent.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((raw) => ({ raw })) },
  );
}
