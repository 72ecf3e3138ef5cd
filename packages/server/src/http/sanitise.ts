import type { DOMPurify } from 'dompurify';
import { isSafeCouncilHref } from '../../../core/src/content/text-rules.js';

/** The same small allow-list the browser applies when it shows council text. */
const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'a', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'abbr', 'span'];
const ALLOWED_ATTR = ['href', 'title', 'lang'];

let purifier: Promise<DOMPurify> | undefined;

/** jsdom is heavy to load and only admin writes need it: it comes on first use. */
function load(): Promise<DOMPurify> {
  purifier ??= (async () => {
    const [{ default: createDOMPurify }, { JSDOM }] = await Promise.all([import('dompurify'), import('jsdom')]);
    const purify = createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]);
    purify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        // http(s), mailto, a fragment or a path of this site; not `//host` nor `/\host`, which are other sites.
        if (!isSafeCouncilHref(node.getAttribute('href') ?? '')) node.removeAttribute('href');
        node.setAttribute('rel', 'noopener');
      }
    });
    return purify;
  })();
  return purifier;
}

/** Council rich text, cleaned before it is stored. */
export async function sanitiseCouncilHtml(html: string): Promise<string> {
  const purify = await load();
  return purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false }).trim();
}
