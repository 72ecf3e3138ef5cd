import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import type { TestServer } from './harness.js';

/*
 * The field lists of GeoReport v2 (wiki.open311.org/GeoReport_v2 and its Service Discovery page),
 * with the types the specification gives them. Every response below must carry exactly these keys.
 * `?` marks a key the specification allows a server to leave out; `|null` a value it may leave empty.
 */
export const SPEC = {
  discovery: { changeset: 'datetime', contact: 'string', key_service: 'string', endpoints: 'array' },
  endpoint: { specification: 'string', url: 'string', changeset: 'datetime', type: 'string', formats: 'array' },
  service: { service_code: 'string', service_name: 'string', description: 'string', metadata: 'boolean', type: 'string', keywords: 'string', group: 'string' },
  definition: { service_code: 'string', attributes: 'array' },
  attribute: { variable: 'boolean', code: 'string', datatype: 'string', required: 'boolean', datatype_description: 'string', order: 'number', description: 'string', values: 'array' },
  value: { key: 'string', name: 'string' },
  request: {
    service_request_id: 'string', status: 'string', status_notes: 'string|null', service_name: 'string', service_code: 'string', description: 'string',
    agency_responsible: 'string|null', service_notice: 'string|null', requested_datetime: 'datetime', updated_datetime: 'datetime|null', expected_datetime: 'datetime|null',
    address: 'string|null', address_id: 'string|null', zipcode: 'string|null', lat: 'number|null', long: 'number|null', media_url: 'string|null',
  },
  /** One of service_request_id and token; account_id only where the server keeps accounts (this one keeps none). */
  created: { 'service_request_id?': 'string', 'token?': 'string', service_notice: 'string', 'account_id?': 'string' },
  token: { 'service_request_id?': 'string', token: 'string' },
  error: { code: 'number', description: 'string' },
  /**
   * The request updates extension (servicerequestupdates, as FixMyStreet reads it): each council
   * update of a request. media_url only where the update carries media.
   */
  update: { update_id: 'string', service_request_id: 'string', status: 'string', updated_datetime: 'datetime', description: 'string', 'media_url?': 'string' },
} as const;
export const STATUSES = ['open', 'closed'];
export const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
export const SERVICE_TYPES = ['realtime', 'batch', 'blackbox'];

export function conforms(value: unknown, spec: Record<string, string>, what: string): void {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} is an object`);
  const record = value as Record<string, unknown>;
  const optional = Object.keys(spec).filter((key) => key.endsWith('?')).map((key) => key.slice(0, -1));
  const required = Object.keys(spec).filter((key) => !key.endsWith('?'));
  for (const key of required) assert.ok(key in record, `${what} lacks ${key}`);
  for (const key of Object.keys(record)) assert.ok(required.includes(key) || optional.includes(key), `${what} has ${key}, not in the specification`);
  for (const [key, type] of Object.entries(spec)) {
    const name = key.replace(/\?$/, '');
    if (!(name in record)) continue;
    const actual = record[name];
    const allowed = type.split('|');
    if (actual === null) {
      assert.ok(allowed.includes('null'), `${what}.${name} is null`);
      continue;
    }
    if (allowed.includes('datetime')) assert.ok(typeof actual === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(actual), `${what}.${name} is a W3C date-time with a zone`);
    else if (allowed.includes('array')) assert.ok(Array.isArray(actual), `${what}.${name} is a list`);
    else assert.ok(allowed.includes(typeof actual), `${what}.${name} is a ${type}, not ${typeof actual}`);
  }
}

/**
 * GeoReport v2's XML: the root of each answer, and the element of each entry of its lists, as the
 * specification's examples write them (the updates as the extension writes them).
 */
export const XML_LISTS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  service_request_updates: 'request_update',
};

export interface XmlElement {
  name: string;
  /** The text of a leaf; '' for a container. */
  text: string;
  children: XmlElement[];
}

/** A whole document, strictly: a declaration first, and any error of well-formedness fails. */
export function parseXml(source: string): XmlElement {
  assert.match(source, /^<\?xml version="1\.0" encoding="utf-8"\?>/, 'an XML declaration in UTF-8');
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') errors.push(message); } }).parseFromString(source, 'text/xml');
  assert.deepEqual(errors, [], `well-formed XML: ${source.slice(0, 200)}`);
  const walk = (node: Element): XmlElement => {
    const children: XmlElement[] = [];
    let text = '';
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) children.push(walk(child as unknown as Element));
      else if (child.nodeType === 3 || child.nodeType === 4) text += child.nodeValue ?? '';
      else if (child.nodeType !== 8) assert.fail(`unexpected node ${child.nodeName} in <${node.nodeName}>`);
    }
    if (children.length) assert.equal(text.trim(), '', `<${node.nodeName}> mixes text and elements`);
    return { name: node.nodeName, text: children.length ? '' : text, children };
  };
  return walk(doc.documentElement as unknown as Element);
}

/** The entries of a list element, each checked to be named as the specification names them. */
export function entries(list: XmlElement): XmlElement[] {
  const entry = XML_LISTS[list.name];
  assert.ok(entry, `<${list.name}> is not a list of the specification`);
  for (const child of list.children) assert.equal(child.name, entry, `<${list.name}> holds <${child.name}>, not <${entry}>`);
  return list.children;
}

/** An element against a field list of SPEC: exactly its elements, each text of its type; empty where it may be null. */
export function xmlConforms(element: XmlElement, spec: Record<string, string>, what: string): void {
  const optional = Object.keys(spec).filter((key) => key.endsWith('?')).map((key) => key.slice(0, -1));
  const required = Object.keys(spec).filter((key) => !key.endsWith('?'));
  const names = element.children.map((child) => child.name);
  assert.equal(new Set(names).size, names.length, `${what} repeats an element: ${names.join(', ')}`);
  for (const key of required) assert.ok(names.includes(key), `${what} lacks <${key}>`);
  for (const name of names) assert.ok(required.includes(name) || optional.includes(name), `${what} has <${name}>, not in the specification`);
  for (const child of element.children) {
    const allowed = (spec[child.name] ?? spec[`${child.name}?`])!.split('|');
    const where = `${what}.<${child.name}>`;
    if (allowed.includes('array')) {
      entries(child);
      continue;
    }
    assert.equal(child.children.length, 0, `${where} is text`);
    if (child.text === '') {
      assert.ok(allowed.includes('null') || allowed.includes('string'), `${where} is empty`);
      continue;
    }
    if (allowed.includes('datetime')) assert.match(child.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, `${where} is a W3C date-time with a zone`);
    else if (allowed.includes('number')) assert.match(child.text, /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i, `${where} is a number`);
    else if (allowed.includes('boolean')) assert.match(child.text, /^(true|false)$/, `${where} is true or false`);
  }
}

/** An XML answer as the JSON it stands for, with every value as text (null as ''): to compare the two formats. */
export function xmlValue(element: XmlElement): unknown {
  if (XML_LISTS[element.name] !== undefined) return entries(element).map(xmlValue);
  if (element.children.length === 0) return element.text;
  return Object.fromEntries(element.children.map((child) => [child.name, xmlValue(child)]));
}

/** A JSON answer with every value as text, as XML carries it. */
export function asText(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asText(item)]));
  return String(value);
}

/** A form posting a road problem on the demo seed's map, its required attribute included. */
export const VOIRIE = { service_code: 'voirie', lat: '47.2716', long: '0.2167', description: 'Nid-de-poule profond devant la poste.', 'attribute[gravite]': 'dangereux' };

/** Calls to the admin API with the admin key: the council's side of a report. */
export function councilCaller(server: TestServer) {
  return (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
}

export interface Open311Response<T = any> {
  status: number;
  headers: Headers;
  /** The JSON answer; for XML, the document's root element. */
  body: T;
  text: string;
}

/**
 * Calls under /open311/v2, in JSON or XML: every answer is checked against the server's OpenAPI
 * (path, status, media type and, for JSON, schema), and an XML answer must be well-formed UTF-8
 * text/xml.
 */
export function open311Caller(server: TestServer) {
  return async (method: string, path: string, options: { form?: Record<string, string>; json?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Open311Response> => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${server.url}/open311/v2${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type');
    const xml = path.split('?')[0]!.endsWith('.xml');
    let parsed: unknown;
    if (xml) {
      assert.equal(type, 'text/xml; charset=utf-8', `${method} ${path} answers XML`);
      parsed = parseXml(text);
    } else {
      parsed = text ? JSON.parse(text) : undefined;
    }
    // Unknown paths are answered 404 without being in the document.
    const documented = !(response.status === 404 && /^\/(no-such|media\/)/.test(path));
    if (documented) server.api.contract!.check(method, `/open311/v2${path}`, response.status, type, xml ? text : parsed);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/** An Open311 error answer, in either format: each error carries the HTTP status as its code. */
export function expectErrors(response: Open311Response, status: number, pattern?: RegExp): void {
  assert.equal(response.status, status, response.text);
  let list: Array<{ code: unknown; description: string }>;
  if (response.headers.get('content-type')?.startsWith('text/xml')) {
    const root = response.body as XmlElement;
    assert.equal(root.name, 'errors');
    for (const error of entries(root)) xmlConforms(error, SPEC.error, 'error');
    list = xmlValue(root) as typeof list;
    assert.ok(list.length >= 1);
    for (const error of list) assert.equal(error.code, String(status));
  } else {
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    list = response.body;
    assert.ok(Array.isArray(list) && list.length >= 1);
    for (const error of list) {
      conforms(error, SPEC.error, 'error');
      assert.equal(error.code, status);
    }
  }
  if (pattern) assert.ok(list.some((error) => pattern.test(error.description)), response.text);
}
