import { noChange, nothing } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { DOMPurify } from 'dompurify';
import { lazy } from '../element/lazy.js';

/*
 * Council-authored rich text is sanitised in the browser even though the server sanitises it when
 * stored: an adapter may talk to another backend. DOMPurify is loaded only where such text shows.
 */

// Which attributes each allowed element may keep; everything else goes.
const ATTRIBUTES_BY_TAG: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  abbr: ['title'],
  span: ['lang'],
  th: ['scope'],
  td: ['scope'],
};
const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'b', 'i', 'u', 'a', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote',
  'abbr', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
const SCOPES = new Set(['row', 'col', 'rowgroup', 'colgroup']);

/** The sanitiser once loaded: council HTML then renders in the same update as the rest. */
let ready: DOMPurify | undefined;

// A later render tries again if the chunk failed to load (e.g. offline).
const loadPurifier: () => Promise<DOMPurify> = lazy(() =>
  import('dompurify').then(({ default: createDOMPurify }) => {
    // An instance of our own, so that these hooks never touch a DOMPurify the page also uses.
    const purify = createDOMPurify(window);
    purify.addHook('uponSanitizeAttribute', (node, data) => {
      const allowed = ATTRIBUTES_BY_TAG[node.nodeName.toLowerCase()] ?? [];
      if (!allowed.includes(data.attrName)) data.keepAttr = false;
      else if (data.attrName === 'scope' && !SCOPES.has(data.attrValue.toLowerCase())) data.keepAttr = false;
    });
    purify.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName.toLowerCase() === 'a') node.setAttribute('rel', 'noopener');
    });
    ready = purify;
    return purify;
  }),
);

/**
 * Loads the sanitiser. A widget awaits it before it first shows a resource that carries council
 * HTML, so that the text comes in the same render as what surrounds it instead of pushing it down
 * a moment later. Never rejects: without the sanitiser the text stays out (see councilHtml).
 */
export function prepareCouncilHtml(): Promise<void> {
  return loadPurifier().then(
    () => undefined,
    () => undefined,
  );
}

/** Council HTML reduced to the allowed elements and attributes, as a fragment of DOM nodes. */
export async function sanitizeCouncilHtml(source: string): Promise<DocumentFragment> {
  return sanitizeWith(await loadPurifier(), source);
}

function sanitizeWith(purify: DOMPurify, source: string): DocumentFragment {
  return purify.sanitize(source, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'lang', 'scope'],
    // The URI pattern applies to every attribute not named URI-safe: only href is a URL here.
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    ADD_URI_SAFE_ATTR: ['lang', 'scope'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    RETURN_DOM_FRAGMENT: true,
  });
}

class CouncilHtmlDirective extends AsyncDirective {
  private source: string | undefined;
  private shown = false;

  render(source: string | undefined): unknown {
    if (this.shown && source === this.source) return noChange;
    this.source = source;
    this.shown = true;
    if (!source) return nothing;
    if (ready) return sanitizeWith(ready, source);
    sanitizeCouncilHtml(source).then(
      (fragment) => {
        if (this.source === source) this.setValue(fragment);
      },
      // Without the sanitiser nothing unsafe can be shown: the block stays empty.
      () => undefined,
    );
    return nothing;
  }
}

/**
 * Renders council-authored HTML, sanitised against a strict allow-list, as DOM nodes. Renders
 * nothing for the moment DOMPurify takes to load, unless the widget awaited prepareCouncilHtml().
 *
 * ```ts
 * html`<div part="description">${councilHtml(this.poll.description)}</div>`
 * ```
 */
export const councilHtml = directive(CouncilHtmlDirective);
