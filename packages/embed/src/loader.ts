/**
 * The on-demand loader behind the one-script-tag embed: it hands the script tag's settings to the
 * global configuration, then imports each widget's define module the first time its tag appears.
 * It imports neither Lit nor core, so a page pays only for the widgets it shows.
 */

/** For each tag, the import of the module that defines it. */
export type Definitions = Readonly<Record<string, () => Promise<unknown>>>;

/** The settings core's `configure()` reads and writes; the loader only fills keys left unset. */
type GlobalConfig = Record<string, unknown>;

const configKey = Symbol.for('civic-widgets.config');

/** `data-*` attributes of the script tag, as `dataset` keys, which are also the config keys. */
const scriptSettings = ['endpoint', 'locale', 'tileUrl'] as const;

/**
 * The `<script>` element that loaded `url`. Module scripts have no `document.currentScript`, so
 * the loader finds itself among the scripts whose `src` ends with its own file name (and query),
 * the last one in the page. Comparing whole URLs would miss it behind a redirect (a CDN serving
 * `@1` from `@1.2.3`): `import.meta.url` is then the address redirected to, which no tag names.
 */
export function findScript(url: string, root: ParentNode = document): HTMLScriptElement | undefined {
  const file = url.slice(url.lastIndexOf('/'));
  return [...root.querySelectorAll<HTMLScriptElement>('script[src]')].reverse().find((script) => script.src.endsWith(file));
}

/**
 * Starts loading widgets: once for the tags already in `root`, then for every tag added later.
 * Returns the function that stops watching for new tags.
 */
export function startLoader(
  definitions: Definitions,
  script?: HTMLScriptElement,
  root: Document = document,
): () => void {
  const global = globalThis as unknown as Record<symbol, GlobalConfig | undefined>;
  const config = (global[configKey] ??= {});
  for (const key of scriptSettings) {
    const value = script?.dataset[key];
    if (value && config[key] === undefined) config[key] = value;
  }

  reserveRoom(Object.keys(definitions), root);

  const seen = new Set<string>();
  const load = (element: Element): void => {
    const tag = element.localName;
    if (!tag.startsWith('civic-') || seen.has(tag) || customElements.get(tag)) return;
    seen.add(tag);
    const define = definitions[tag];
    if (!define) {
      console.warn(`civic-widgets: <${tag}> is not a civic widget this loader knows.`);
      return;
    }
    define().catch((error: unknown) => {
      console.error(`civic-widgets: <${tag}> could not be loaded.`, error);
    });
  };
  const scan = (node: ParentNode): void => {
    if (node instanceof Element) load(node);
    node.querySelectorAll(':not(:defined)').forEach(load);
  };

  scan(root);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) scan(node as Element);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

/**
 * Until its code is in, a widget's tag keeps the room its first load will keep (see core's
 * `.loading`), so that the page below it does not jump twice. `:where()` leaves the page free to
 * set another size, or none, with any selector.
 */
function reserveRoom(tags: readonly string[], root: Document): void {
  const widgets = tags.filter((tag) => tag !== 'civic-provider');
  if (widgets.length === 0) return;
  const rule = `:where(${widgets.join()}):not(:defined){display:block;min-block-size:var(--civic-loading-size,40rem)}`;
  try {
    // A constructed sheet, which a Content-Security-Policy without 'unsafe-inline' styles allows.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rule);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = root.createElement('style');
    style.textContent = rule;
    root.head?.append(style);
  }
}
