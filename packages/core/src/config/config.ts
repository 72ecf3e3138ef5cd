import type { ParticipationAdapter } from '../contract/adapter.js';
import { absoluteEndpoint } from '../adapters/endpoint.js';
import { RestAdapter } from '../adapters/rest-adapter.js';

/**
 * Page-wide configuration. It lives on a global symbol, not in module state, so that the script-tag
 * loader (which must not load this module) can write the `data-*` attributes of its tag there, and
 * two copies of the library on one page (CDN and npm) share one configuration.
 */
export interface CivicConfig {
  /** Adapter used by every widget that has none of its own. */
  adapter?: ParticipationAdapter;
  /** Base URL of a REST backend (`…/api/v1`); builds a RestAdapter when no adapter is set. */
  endpoint?: string;
  /** Locale requested by the page (`data-locale` on the loader tag). */
  locale?: string;
  /** Map tile URL template chosen by the council. */
  tileUrl?: string;
}

const CONFIG_KEY = Symbol.for('civic-widgets.config');
const CHANGE_EVENT = 'civic-config-change';

type ConfigHolder = { [CONFIG_KEY]?: CivicConfig };

function store(): CivicConfig {
  const holder = globalThis as ConfigHolder;
  return (holder[CONFIG_KEY] ??= {});
}

/** Sets page-wide options; widgets already on the page pick the change up. */
export function configure(config: Partial<CivicConfig>): void {
  Object.assign(store(), config);
  globalThis.dispatchEvent?.(new Event(CHANGE_EVENT));
}

export function getConfig(): Readonly<CivicConfig> {
  return store();
}

/** Listens to configuration changes; returns the function that stops listening. */
export function onConfigChange(listener: () => void): () => void {
  globalThis.addEventListener?.(CHANGE_EVENT, listener);
  return () => globalThis.removeEventListener?.(CHANGE_EVENT, listener);
}

const restAdapters = new Map<string, RestAdapter>();

/**
 * One RestAdapter per endpoint, so widgets that share an endpoint share its session and stream,
 * however the page writes it (`/api/v1`, `https://…/api/v1/`): the first spelling is kept.
 */
export function restAdapterFor(endpoint: string): RestAdapter {
  const key = absoluteEndpoint(endpoint);
  let adapter = restAdapters.get(key);
  if (!adapter) {
    adapter = new RestAdapter({ baseUrl: endpoint });
    restAdapters.set(key, adapter);
  }
  return adapter;
}
