import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { forbiddenCharacter, forbiddenMessage } from '../../../core/src/content/text-rules.js';
import type { FieldError } from './problem.js';

/**
 * Bodies are checked strictly: no coercion, no silently dropped fields, every error reported.
 * Query strings and headers arrive as text, so those are coerced (and a lone value becomes a list
 * where a list is expected).
 */
function makeAjv(coerce: boolean) {
  const ajv = new Ajv.default({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
  });
  addFormats.default(ajv, ['date-time', 'uri', 'email']);
  return ajv;
}

const bodies = makeAjv(false);
const texts = makeAjv(true);

/** Marks the schema of a body read as a stream by its route: it documents the body, and checks nothing. */
export const STREAMED_BODY = 'x-streamed';

// Fastify's compiler type is generic over every route's schema; this one serves them all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) =>
  (schema as Record<string, unknown>)[STREAMED_BODY] ? () => true : (httpPart === 'body' ? bodies : texts).compile(schema as object);

/** Ajv's errors as one plain message per field, named by dotted path (`ratings.parc-a`). */
export function fieldErrors(errors: ErrorObject[], part: string | undefined): FieldError[] {
  const byField = new Map<string, string>();
  for (const error of errors) {
    let path = error.instancePath.split('/').slice(1).map(unescape).join('.');
    let message: string;
    switch (error.keyword) {
      case 'required':
        path = join(path, String(error.params.missingProperty));
        message = 'Required.';
        break;
      case 'additionalProperties':
        path = join(path, String(error.params.additionalProperty));
        message = 'Unknown field.';
        break;
      case 'type':
        message = `Must be ${article(String(error.params.type))}.`;
        break;
      case 'maxLength':
        message = `At most ${error.params.limit} characters.`;
        break;
      case 'minLength':
        message = error.params.limit === 1 ? 'Must not be empty.' : `At least ${error.params.limit} characters.`;
        break;
      case 'maxItems':
        message = `At most ${error.params.limit} items.`;
        break;
      case 'minItems':
        message = `At least ${error.params.limit} items.`;
        break;
      case 'maxProperties':
        message = `At most ${error.params.limit} entries.`;
        break;
      case 'minimum':
      case 'maximum':
        message = `Must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${error.params.limit}.`;
        break;
      case 'enum':
        message = `Must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}.`;
        break;
      case 'format':
        message = error.params.format === 'date-time' ? 'Must be a date-time with a zone, e.g. 2027-03-01T09:00:00+01:00.' : `Must be a valid ${error.params.format}.`;
        break;
      case 'pattern':
        message = 'Not in the expected format.';
        break;
      default:
        message = error.message ? `${error.message[0]!.toUpperCase()}${error.message.slice(1)}.` : 'Not valid.';
    }
    const field = path || (part === 'body' ? 'body' : part ?? 'request');
    if (!byField.has(field)) byField.set(field, message);
  }
  return [...byField].map(([field, message]) => ({ field: part === 'headers' ? headerName(field) : field, message }));
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function article(type: string): string {
  if (type === 'integer') return 'a whole number';
  if (type === 'array') return 'a list';
  if (type === 'object') return 'an object';
  return `a ${type}`;
}

function headerName(field: string): string {
  return field.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

function isJson(body: unknown): boolean {
  return Array.isArray(body) || (body !== null && typeof body === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(body)));
}

/** The request headers the API reads: the others are not its business. */
const READ_HEADERS = ['authorization', 'idempotency-key', 'last-event-id', 'x-civic-proof'];

/**
 * Every string of a request (path, query, the headers the API reads, and the JSON body's values
 * and keys) checked against the shared character rules: the first refused one is answered 400
 * with its field named, the same on every database (PostgreSQL cannot store U+0000 at all).
 */
export function refusedCharacters(request: { params: unknown; query: unknown; headers: Record<string, unknown>; body: unknown }): FieldError[] {
  // Iterative: a body may nest thousands of levels deep.
  // Only a parsed JSON body: a body read as a stream (the CSV import) is checked where it is read.
  const pending: Array<[unknown, string]> = [[isJson(request.body) ? request.body : undefined, '']];
  for (const name of [...READ_HEADERS].reverse()) pending.push([request.headers[name], headerName(name)]);
  pending.push([request.query, ''], [request.params, '']);
  while (pending.length) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const character = forbiddenCharacter(value);
      if (character) return [{ field: path || 'body', message: forbiddenMessage(character) }];
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push([value[index], join(path, String(index))]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) pending.push([item, join(path, key)], [key, path]);
    }
  }
  return [];
}
