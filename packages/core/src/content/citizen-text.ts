import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';

/*
 * Citizen text is hostile input. It is parsed by hand, in time linear in its length (no regular
 * expression that can backtrack over it), into Lit templates whose every piece of text is a
 * binding: no HTML string is ever made.
 */

type Inline = string | TemplateResult;

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const LIST_ITEM = /^ {0,3}([-*]|\d{1,9}[.)]) +/;
// Bold and italic may nest in each other and in link labels; deeper markers stay as text.
const MAX_DEPTH = 4;

/** The href for a URL written by a citizen, or undefined when it is not an absolute http(s)/mailto URL. */
export function safeCitizenHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return LINK_SCHEMES.has(url.protocol) ? url.href : undefined;
}

const isSpace = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\n' || c === '\t' || c === '\u00a0';
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * For every position, the next position at or after it where `test` holds (or the length):
 * lets the parser find a closing marker in constant time however often it looks.
 */
function nextWhere(text: string, test: (i: number) => boolean): Int32Array {
  const next = new Int32Array(text.length + 1);
  next[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) next[i] = test(i) ? i : next[i + 1];
  return next;
}

class InlineParser {
  private readonly s: string;
  private readonly boldClose: Int32Array;
  private readonly starClose: Int32Array;
  private readonly underscoreClose: Int32Array;
  private readonly bracketClose: Int32Array;
  private readonly parenClose: Int32Array;
  private readonly urlEnd: Int32Array;

  constructor(s: string) {
    this.s = s;
    this.boldClose = nextWhere(s, (i) => s[i] === '*' && s[i + 1] === '*' && !isSpace(s[i - 1]));
    this.starClose = nextWhere(
      s,
      (i) => s[i] === '*' && s[i - 1] !== '*' && s[i + 1] !== '*' && !isSpace(s[i - 1]),
    );
    this.underscoreClose = nextWhere(s, (i) => s[i] === '_' && !isSpace(s[i - 1]) && !isWordChar(s[i + 1]));
    this.bracketClose = nextWhere(s, (i) => s[i] === ']');
    this.parenClose = nextWhere(s, (i) => s[i] === ')');
    this.urlEnd = nextWhere(s, (i) => isSpace(s[i]) || s[i] === '<' || s[i] === '>' || s[i] === '"');
  }

  parse(start: number, end: number, depth: number, links: boolean): Inline[] {
    const s = this.s;
    const out: Inline[] = [];
    let textStart = start;
    const flush = (upTo: number): void => {
      if (upTo > textStart) pushText(out, s.slice(textStart, upTo));
    };
    let i = start;
    while (i < end) {
      const c = s[i];
      let node: Inline | undefined;
      let next = i;
      if (c === '*' || c === '_') {
        [node, next] = this.emphasis(i, end, depth, links);
      } else if (c === '[' && links) {
        [node, next] = this.link(i, end, depth);
      } else if (c === 'h' && links && !isWordChar(s[i - 1])) {
        [node, next] = this.bareUrl(i, end);
      }
      if (node === undefined) {
        // `next` may skip a run already known to be text (a URL that did not parse).
        i = Math.max(next, i + 1);
        continue;
      }
      flush(i);
      out.push(node);
      i = textStart = next;
    }
    flush(end);
    return out;
  }

  private emphasis(i: number, end: number, depth: number, links: boolean): [Inline | undefined, number] {
    const s = this.s;
    if (depth >= MAX_DEPTH) return [undefined, i];
    if (s[i] === '*' && s[i + 1] === '*') {
      if (isSpace(s[i + 2]) || s[i + 2] === '*') return [undefined, i];
      const close = this.boldClose[Math.min(i + 3, s.length)];
      if (close + 2 <= end) {
        return [html`<strong>${this.parse(i + 2, close, depth + 1, links)}</strong>`, close + 2];
      }
      return [undefined, i];
    }
    if (isSpace(s[i + 1]) || s[i + 1] === s[i]) return [undefined, i];
    // `_` inside a word (snake_case, file_name) is not emphasis.
    if (s[i] === '_' && isWordChar(s[i - 1])) return [undefined, i];
    const closers = s[i] === '*' ? this.starClose : this.underscoreClose;
    const close = closers[i + 2];
    if (close < end) return [html`<em>${this.parse(i + 1, close, depth + 1, links)}</em>`, close + 1];
    return [undefined, i];
  }

  private link(i: number, end: number, depth: number): [Inline | undefined, number] {
    const s = this.s;
    const labelEnd = this.bracketClose[i + 1];
    if (labelEnd === i + 1 || labelEnd + 1 >= end || s[labelEnd + 1] !== '(') return [undefined, i];
    const urlStart = labelEnd + 2;
    let urlClose = this.parenClose[urlStart];
    if (urlClose >= end || this.urlEnd[urlStart] < urlClose) return [undefined, i];
    // Let a URL keep balanced parentheses, as in https://fr.wikipedia.org/wiki/Budget_(finances).
    let open = 0;
    for (let k = urlStart; k < urlClose; k++) if (s[k] === '(') open++;
    while (open > 0 && s[urlClose + 1] === ')' && urlClose + 1 < end) {
      urlClose++;
      open--;
    }
    const label = this.parse(i + 1, labelEnd, depth + 1, false);
    const href = safeCitizenHref(s.slice(urlStart, urlClose));
    // A link to anything but http(s) or mailto keeps its label as plain text.
    const node = href ? citizenLink(href, label) : html`${label}`;
    return [node, urlClose + 1];
  }

  private bareUrl(i: number, end: number): [Inline | undefined, number] {
    const s = this.s;
    if (!s.startsWith('http://', i) && !s.startsWith('https://', i)) return [undefined, i];
    const runEnd = Math.min(this.urlEnd[i], end);
    let stop = runEnd;
    // Punctuation that ends a sentence is not part of the URL, nor an unmatched ")".
    while (stop > i && '.,;:!?\'»'.includes(s[stop - 1])) stop--;
    if (s[stop - 1] === ')') {
      let balance = 0;
      for (let k = i; k < stop; k++) balance += s[k] === '(' ? 1 : s[k] === ')' ? -1 : 0;
      if (balance < 0) stop--;
    }
    const raw = s.slice(i, stop);
    const href = safeCitizenHref(raw);
    // Skip the whole run: looking for another URL inside it would make parsing quadratic.
    if (!href || raw.length <= 'https://'.length) return [undefined, runEnd];
    return [citizenLink(href, [raw]), stop];
  }
}

function citizenLink(href: string, label: Inline[]): TemplateResult {
  return html`<a href=${href} rel="ugc nofollow noopener">${label}</a>`;
}

/** Text, with each line break as `<br>`; one item per line keeps long texts quick to render. */
function pushText(out: Inline[], text: string): void {
  const lines = text.split('\n');
  if (lines[0]) out.push(lines[0]);
  for (let i = 1; i < lines.length; i++) out.push(html`<br />${lines[i]}`);
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'ul' | 'ol'; items: string[]; start: number };

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trim();
    if (!line) {
      current = undefined;
      continue;
    }
    const marker = LIST_ITEM.exec(rawLine);
    if (marker) {
      const ordered = /\d/.test(marker[1][0]);
      const kind = ordered ? 'ol' : 'ul';
      const content = rawLine.slice(marker[0].length).trim();
      if (current?.kind !== kind) {
        current = { kind, items: [], start: ordered ? Number.parseInt(marker[1], 10) : 1 };
        out.push(current);
      }
      current.items.push(content);
    } else {
      if (current?.kind !== 'p') {
        current = { kind: 'p', lines: [] };
        out.push(current);
      }
      current.lines.push(line);
    }
  }
  return out;
}

// Most citizen text has no markup at all: such text skips building the parser's lookup tables.
const MAY_HOLD_MARKUP = /[*_[]|https?:\/\//;

function inline(text: string): Inline[] {
  if (!MAY_HOLD_MARKUP.test(text)) {
    const out: Inline[] = [];
    pushText(out, text);
    return out;
  }
  return new InlineParser(text).parse(0, text.length, 0, true);
}

/**
 * A citizen's text as Lit templates: paragraphs (blank line), line breaks, **bold**,
 * *italic* or _italic_, `[label](url)` and bare http(s) URLs as links (only http, https and
 * mailto), `- ` / `* ` and `1. ` lists. Everything else is shown as the text it is.
 */
export function citizenText(text: string | null | undefined): TemplateResult {
  if (!text) return html`${nothing}`;
  return html`${blocks(text).map((block) => {
    if (block.kind === 'p') return html`<p>${inline(block.lines.join('\n'))}</p>`;
    const items = block.items.map((item) => html`<li>${inline(item)}</li>`);
    if (block.kind === 'ul') return html`<ul>${items}</ul>`;
    return html`<ol start=${block.start === 1 ? nothing : block.start}>${items}</ol>`;
  })}`;
}
