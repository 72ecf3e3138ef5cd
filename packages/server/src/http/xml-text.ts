/*
 * Text for XML documents (the tracker's Atom feed, Open311's XML), in element content or in
 * quoted attributes. No imports: the browser tests read it too, through the Open311 serialiser.
 */

/**
 * What XML 1.0 cannot carry, even as a character reference: the C0 controls but tab, line feed
 * and carriage return; lone surrogates; U+FFFE and U+FFFF. The server refuses them in what it is
 * sent, so they can only come from older rows: written as U+FFFD rather than making the document
 * unreadable.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text escaped for XML content and attributes. `>` is escaped too, so that `]]>` never appears. A
 * carriage return, DEL and the C1 controls, and the line and paragraph separators are written as
 * references: parsers turn a literal carriage return into a line feed, and some (as XML 1.1 has
 * it) turn U+0085, U+2028 and U+2029 into one too.
 */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"'\r\u007F-\u009F\u2028\u2029]/g, (char) => ENTITIES[char] ?? `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`);
}
