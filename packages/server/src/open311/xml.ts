/*
 * GeoReport v2's XML, written from the same values as its JSON: an object is an element per key,
 * in the order of its keys; a list is an element holding one element per entry, named as the
 * specification names the entries of that list (`<services><service>`, `<values><value>`); null
 * is an empty element. Only browser-safe imports: the browser tests read this module too, to serve
 * XML as the server writes it.
 */
import { escapeXml } from '../http/xml-text.js';

/** The element of each entry of a list, by the list's element name. */
export const XML_LIST_ENTRIES: Readonly<Record<string, string>> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** An XML name as GeoReport v2 uses them: ASCII letters, digits, `_`, `-` and `.`, not starting with a digit. */
const NAME = /^[A-Za-z_][\w.-]*$/;

/** `value` as the element `name`, indented by `depth`. */
function element(name: string, value: unknown, depth: number): string {
  if (!NAME.test(name)) throw new TypeError(`"${name}" is not an XML element name`);
  const indent = '  '.repeat(depth);
  if (value === null || value === undefined) return `${indent}<${name}/>\n`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${name} is not a finite number`);
    const text = escapeXml(String(value));
    return text === '' ? `${indent}<${name}/>\n` : `${indent}<${name}>${text}</${name}>\n`;
  }
  let children: string;
  if (Array.isArray(value)) {
    const entry = XML_LIST_ENTRIES[name];
    if (entry === undefined) throw new TypeError(`No entry element for the list "${name}"`);
    children = value.map((item) => element(entry, item, depth + 1)).join('');
  } else if (typeof value === 'object') {
    children = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([key, child]) => element(key, child, depth + 1))
      .join('');
  } else {
    throw new TypeError(`${name} holds a ${typeof value}`);
  }
  return children === '' ? `${indent}<${name}/>\n` : `${indent}<${name}>\n${children}${indent}</${name}>\n`;
}

/** A whole document: the declaration, then `value` as the element `root`. */
export function xmlDocument(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, 0)}`;
}
