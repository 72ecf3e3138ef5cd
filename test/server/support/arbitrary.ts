import fc from 'fast-check';

/** The JSON Schema keywords the server's OpenAPI document uses. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxProperties?: number;
}

/** Longest text generated where a schema allows more: long enough to matter, short enough to be quick. */
const TEXT_CAP = 60;
const ITEMS_CAP = 4;

/** Printable text, some of it beyond ASCII (accents, emoji), never a refused control character. */
const printable = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: TEXT_CAP }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('é', 'ç', 'Œ', '🌳', '’', ' ', '\n', 'a', '日'), maxLength: TEXT_CAP }) },
);

function text(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? TEXT_CAP, Math.max(min, TEXT_CAP));
  const fits = (value: string) => {
    const length = [...value].length;
    return length >= min && length <= (schema.maxLength ?? Infinity);
  };
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
  }
  if (schema.format === 'uri') return fc.webUrl().filter(fits);
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    // stringMatching writes anything around an unanchored pattern: keep what fits the lengths.
    return fc.stringMatching(pattern, { size: 'small' }).filter((value) => fits(value) && pattern.test(value));
  }
  return fc
    .string({ unit: 'grapheme-ascii', minLength: min, maxLength: max })
    .chain((ascii) => (min === 0 && max <= TEXT_CAP ? fc.oneof(fc.constant(ascii), printable.filter(fits)) : fc.constant(ascii)));
}

function numberOf(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-9) : 1e6);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values valid against the schema. */
export function valid(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map(valid));
  if (schema.allOf) return valid(Object.assign({}, ...schema.allOf));
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (type.length > 1) return fc.oneof(...type.map((one) => valid({ ...schema, type: one })));
  switch (type[0]) {
    case 'string':
      return text(schema);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? ITEMS_CAP, Math.max(schema.minItems ?? 0, ITEMS_CAP)) });
    case 'object':
      return object(schema);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

function object(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const known = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valid(property)]));
  const record = fc.record(known, { requiredKeys: [...required].filter((name) => name in known) });
  const [pattern] = Object.entries(schema.patternProperties ?? {});
  if (!pattern) return record;
  // Type.Record: a few entries with keys of its pattern.
  const keys = pattern[0] === '^.*$' ? fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }) : text({ type: 'string', pattern: pattern[0], maxLength: 64 });
  const entries = fc.dictionary(keys, valid(pattern[1]), { maxKeys: Math.min(schema.maxProperties ?? 3, 3) });
  return fc.tuple(record, entries).map(([fixed, extra]) => ({ ...extra, ...fixed }));
}

/** Characters every string of the API refuses. */
export const REFUSED = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u2067'];

export type Mutation = { kind: string; value: unknown };

/**
 * Ways to make a valid value invalid against its schema: a required field left out, an unknown
 * field, a wrong type, a string over its maximum or holding a refused character. Undefined when
 * the schema leaves no room for one.
 */
export function mutations(schema: Schema, value: unknown): Mutation[] {
  const out: Mutation[] = [];
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      const { [name]: _, ...rest } = record;
      out.push({ kind: `missing ${name}`, value: rest });
    }
    if (schema.additionalProperties === false) out.push({ kind: 'unknown field', value: { ...record, 'zz-unknown': 1 } });
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!(name in record)) continue;
      if (property.type === 'string' && !property.enum) {
        out.push({ kind: `refused character in ${name}`, value: { ...record, [name]: `${String(record[name])}${REFUSED[out.length % REFUSED.length]}` } });
        if (property.maxLength !== undefined && property.maxLength < 100_000) out.push({ kind: `${name} too long`, value: { ...record, [name]: 'x'.repeat(property.maxLength + 1) } });
      }
      if (property.type && property.type !== 'string' && !property.anyOf) out.push({ kind: `${name} of the wrong type`, value: { ...record, [name]: property.type === 'array' || property.type === 'object' ? 'text' : ['list'] } });
    }
  } else if (schema.type && schema.type !== 'string') {
    out.push({ kind: 'wrong type', value: 'text' });
  }
  return out;
}
