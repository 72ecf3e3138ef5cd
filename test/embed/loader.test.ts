import { expect, waitUntil } from '@open-wc/testing';
import { findScript, startLoader, type Definitions } from '../../packages/embed/src/loader.js';

const configKey = Symbol.for('civic-widgets.config');
const global = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>;

let counter = 0;
/** A tag name no other test has defined: custom element definitions cannot be undone. */
const freshTag = (): string => `civic-loader-test-${(counter += 1)}`;

/** Definitions that record each import and define the tag as a plain element. */
function recordingDefinitions(...tags: string[]): { definitions: Definitions; imported: string[] } {
  const imported: string[] = [];
  const definitions = Object.fromEntries(
    tags.map((tag) => [
      tag,
      async () => {
        imported.push(tag);
        customElements.define(tag, class extends HTMLElement {});
      },
    ]),
  );
  return { definitions, imported };
}

describe('startLoader', () => {
  let host: HTMLElement;
  let stop: (() => void) | undefined;
  let savedConfig: Record<string, unknown> | undefined;

  beforeEach(() => {
    savedConfig = global[configKey];
    delete global[configKey];
    host = document.createElement('div');
    document.body.append(host);
  });

  afterEach(() => {
    stop?.();
    stop = undefined;
    host.remove();
    global[configKey] = savedConfig;
  });

  it('imports the define module of each tag already on the page, and no other', async () => {
    const [present, absent] = [freshTag(), freshTag()];
    host.innerHTML = `<${present}></${present}>`;
    const { definitions, imported } = recordingDefinitions(present, absent);

    stop = startLoader(definitions);
    await customElements.whenDefined(present);

    expect(imported).to.deep.equal([present]);
    expect(customElements.get(absent)).to.equal(undefined);
  });

  it('keeps the room of a widget until its code is in, with no weight against the page’s own rules', async () => {
    const [tag, other] = [freshTag(), freshTag()];
    host.innerHTML = `<${tag}></${tag}><${other} style="min-block-size: 5rem"></${other}>`;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (release = resolve));
    const definitions: Definitions = {
      [tag]: async () => {
        await arrived;
        customElements.define(tag, class extends HTMLElement {});
      },
      [other]: () => new Promise(() => undefined),
    };
    const before = document.adoptedStyleSheets.length;
    stop = startLoader(definitions);
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    const [waiting, styled] = [host.querySelector(tag)!, host.querySelector(other)!];
    expect(getComputedStyle(waiting).display).to.equal('block');
    expect(waiting.getBoundingClientRect().height).to.equal(40 * rem);
    expect(styled.getBoundingClientRect().height).to.equal(5 * rem);
    (waiting as HTMLElement).style.setProperty('--civic-loading-size', '12rem');
    expect(waiting.getBoundingClientRect().height).to.equal(12 * rem);
    release();
    await customElements.whenDefined(tag);
    expect(waiting.getBoundingClientRect().height).to.equal(0);
    document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, before);
  });

  it('imports a tag added later, also deep inside added content', async () => {
    const [direct, nested] = [freshTag(), freshTag()];
    const { definitions, imported } = recordingDefinitions(direct, nested);
    stop = startLoader(definitions);
    expect(imported).to.deep.equal([]);

    host.append(document.createElement(direct));
    const section = document.createElement('section');
    section.innerHTML = `<p><${nested}></${nested}></p>`;
    host.append(section);

    await customElements.whenDefined(direct);
    await customElements.whenDefined(nested);
    expect(imported).to.have.members([direct, nested]);
  });

  it('imports each define module once however many instances appear', async () => {
    const tag = freshTag();
    let imports = 0;
    let release: () => void = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    const definitions: Definitions = {
      [tag]: async () => {
        imports += 1;
        await pending;
        customElements.define(tag, class extends HTMLElement {});
      },
    };
    host.innerHTML = `<${tag}></${tag}><${tag}></${tag}>`;

    stop = startLoader(definitions);
    host.append(document.createElement(tag));
    await new Promise((resolve) => setTimeout(resolve));
    release();
    await customElements.whenDefined(tag);
    host.append(document.createElement(tag));
    await new Promise((resolve) => setTimeout(resolve));

    expect(imports).to.equal(1);
  });

  it('leaves tags that are already defined alone', async () => {
    const tag = freshTag();
    customElements.define(tag, class extends HTMLElement {});
    host.innerHTML = `<${tag}></${tag}>`;
    const { definitions, imported } = recordingDefinitions(tag);

    stop = startLoader(definitions);
    await new Promise((resolve) => setTimeout(resolve));

    expect(imported).to.deep.equal([]);
  });

  it('stops watching once stopped', async () => {
    const tag = freshTag();
    const { definitions, imported } = recordingDefinitions(tag);
    startLoader(definitions)();

    host.append(document.createElement(tag));
    await new Promise((resolve) => setTimeout(resolve));

    expect(imported).to.deep.equal([]);
  });

  it('warns about a civic tag it does not know, once', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      host.innerHTML = '<civic-pol></civic-pol><civic-pol></civic-pol>';
      stop = startLoader({});
      host.append(document.createElement('civic-pol'));
      await new Promise((resolve) => setTimeout(resolve));
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]?.[0])).to.contain('<civic-pol>');
  });

  it('reports a define module that fails to load instead of throwing', async () => {
    const tag = freshTag();
    const errors: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      host.innerHTML = `<${tag}></${tag}>`;
      stop = startLoader({ [tag]: () => Promise.reject(new TypeError('Failed to fetch')) });
      await waitUntil(() => errors.length > 0);
    } finally {
      console.error = error;
    }
    expect(String(errors[0]?.[0])).to.contain(`<${tag}>`);
  });

  it('hands the script tag’s data attributes to the global configuration', () => {
    const script = document.createElement('script');
    script.dataset.endpoint = 'https://council.example/api/v1';
    script.dataset.locale = 'fr';
    script.setAttribute('data-tile-url', 'https://tiles.example/{z}/{x}/{y}.png');

    stop = startLoader({}, script);

    expect(global[configKey]).to.deep.equal({
      endpoint: 'https://council.example/api/v1',
      locale: 'fr',
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
    });
  });

  it('keeps settings the page configured before the loader ran', () => {
    const existing = { endpoint: 'https://configured.example/api/v1' };
    global[configKey] = existing;
    const script = document.createElement('script');
    script.dataset.endpoint = 'https://attribute.example/api/v1';
    script.dataset.locale = 'fr';

    stop = startLoader({}, script);

    expect(global[configKey]).to.equal(existing);
    expect(existing).to.deep.equal({ endpoint: 'https://configured.example/api/v1', locale: 'fr' });
  });

  it('creates an empty configuration when the script tag has no settings', () => {
    stop = startLoader({}, document.createElement('script'));
    expect(global[configKey]).to.deep.equal({});
  });
});

describe('findScript', () => {
  it('finds the script element whose resolved src is the given URL', () => {
    const container = document.createElement('div');
    container.innerHTML =
      '<script type="text/plain" src="other.js"></script><script type="text/plain" src="cdn/civic-widgets.js"></script>';
    const url = new URL('cdn/civic-widgets.js', document.baseURI).href;

    expect(findScript(url, container)).to.equal(container.children[1]);
    expect(findScript(new URL('missing.js', document.baseURI).href, container)).to.equal(undefined);
  });
});
