import { configureLocalization } from '@lit/localize';
import type { LocaleModule, TemplateMap } from '@lit/localize';
import { getConfig, onConfigChange } from '../config/config.js';

/** The locale every source string is written in. */
export const sourceLocale = 'en';
/** The locales a translation exists for; add one here and in each package's lit-localize.json. */
export const targetLocales = ['fr'] as const;

export type TargetLocale = (typeof targetLocales)[number];
export type CivicLocale = typeof sourceLocale | TargetLocale;

/** One package's translations: an explicit import per locale, so that bundlers split them. */
export type TranslationLoaders = Partial<Record<TargetLocale, () => Promise<LocaleModule>>>;

/** Dispatched on `window` when templates are merged into a locale that is already active. */
export const TEMPLATES_MERGED_EVENT = 'civic-locale-templates';

const allLocales: readonly string[] = [sourceLocale, ...targetLocales];

// One shared object per locale: lit-localize keeps a reference to the object we hand it, so
// templates merged in later are seen by `msg()` without reloading the locale.
const templatesByLocale = new Map<TargetLocale, TemplateMap>();
const loadersByPackage = new Map<string, TranslationLoaders>([
  // Core's own strings (errors, outbox status) come with every widget.
  ['core', { fr: () => import('../locales/fr.js') }],
]);
const loadedPackages = new Map<TargetLocale, Set<string>>();
// Locales that have been asked of lit-localize: a package registered later must load into them.
const requestedLocales = new Set<TargetLocale>();
// Settles when the translations of packages registered after their locale was asked for are in.
let merging: Promise<unknown> = Promise.resolve();

let runtime: ReturnType<typeof configureLocalization> | undefined;
// Settles when the chosen locale is ready; undefined until a locale has been chosen.
let ready: Promise<void> | undefined;
let requestedLocale: string | undefined;

const isTargetLocale = (locale: string): locale is TargetLocale =>
  (targetLocales as readonly string[]).includes(locale);

/**
 * The supported locale closest to a BCP 47 tag (`fr-FR` → `fr`), or undefined when none fits.
 */
export function matchLocale(tag: string | null | undefined): CivicLocale | undefined {
  const wanted = tag?.trim().toLowerCase();
  if (!wanted) return undefined;
  if (allLocales.includes(wanted)) return wanted as CivicLocale;
  const language = wanted.split(/[-_]/)[0];
  return allLocales.includes(language) ? (language as CivicLocale) : undefined;
}

/** Overrides the configured locale (`configure({ locale })` or the loader's `data-locale`). */
export function setRequestedLocale(locale?: string): void {
  requestedLocale = locale;
  // Once widgets are showing, a new request switches them; before that, initLocale reads it.
  // A failure is announced by lit-localize's status event, and widgets stay in English.
  if (ready) setLocale(detectLocale()).catch(() => undefined);
}

function getRequestedLocale(): string | undefined {
  return requestedLocale ?? getConfig().locale;
}

// `configure({ locale })` and the loader's `data-locale` land in the page configuration.
onConfigChange(() => {
  if (ready) setLocale(detectLocale()).catch(() => undefined);
});

/** The locale to show: the configured one, else the page's `<html lang>`, else English. */
export function detectLocale(): CivicLocale {
  return (
    matchLocale(getRequestedLocale()) ??
    matchLocale(document.documentElement.lang) ??
    sourceLocale
  );
}

async function loadPackage(locale: TargetLocale, pkg: string): Promise<void> {
  const load = loadersByPackage.get(pkg)?.[locale];
  const loaded = loadedPackages.get(locale) ?? new Set<string>();
  loadedPackages.set(locale, loaded);
  if (!load || loaded.has(pkg)) return;
  const module = await load();
  let templates = templatesByLocale.get(locale);
  if (!templates) {
    templates = {};
    templatesByLocale.set(locale, templates);
  }
  Object.assign(templates, module.templates);
  loaded.add(pkg);
}

async function loadLocale(locale: string): Promise<LocaleModule> {
  if (!isTargetLocale(locale)) return { templates: {} };
  requestedLocales.add(locale);
  const results = await Promise.allSettled(
    [...loadersByPackage.keys()].map((pkg) => loadPackage(locale, pkg)),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  // A package whose translations failed to load stays in English; only fail when nothing loaded.
  if (failures.length > 0 && failures.length === results.length) throw failures[0].reason;
  const templates = templatesByLocale.get(locale) ?? {};
  templatesByLocale.set(locale, templates);
  return { templates };
}

function ensureConfigured(): ReturnType<typeof configureLocalization> {
  runtime ??= configureLocalization({ sourceLocale, targetLocales, loadLocale });
  return runtime;
}

/**
 * Register a package's translations. Safe to call at any time: when one of its locales is
 * already loaded, its templates are loaded and merged, and localized elements re-render.
 */
export function registerTranslations(pkg: string, loaders: TranslationLoaders): Promise<void> {
  loadersByPackage.set(pkg, loaders);
  const pending = [...requestedLocales].map(async (locale) => {
    await loadPackage(locale, pkg);
    window.dispatchEvent(new CustomEvent(TEMPLATES_MERGED_EVENT, { detail: { locale, pkg } }));
  });
  const merged = Promise.all(pending);
  merging = Promise.allSettled([merging, merged]);
  return merged.then(() => undefined);
}

/**
 * Settles once the detected locale is active and the translations registered so far have
 * loaded or failed, or after `limitMs` when they are slow to come: better English than nothing.
 * Never rejects; a failed load leaves the widgets in English.
 */
export function translationsSettled(limitMs = 3000): Promise<unknown> {
  return Promise.race([
    Promise.allSettled([initLocale(), merging]),
    new Promise((resolve) => setTimeout(resolve, limitMs)),
  ]);
}

function switchTo(locale: CivicLocale): Promise<void> {
  const switched = ensureConfigured().setLocale(locale);
  // Let the next widget that connects try again rather than inherit a failed load.
  switched.catch(() => {
    if (ready === switched) ready = undefined;
  });
  ready = switched;
  return switched;
}

/**
 * Configure lit-localize and switch to the detected locale. Idempotent: every widget calls it
 * when connected, and all get the same promise, settled when the locale is ready.
 */
export function initLocale(): Promise<void> {
  return ready ?? switchTo(detectLocale());
}

/** The active locale; English until a translation has finished loading. */
export function getLocale(): CivicLocale {
  return (runtime?.getLocale() as CivicLocale | undefined) || sourceLocale;
}

/** Switch every widget to a locale (a tag such as `fr-CA` is matched to `fr`). */
export function setLocale(locale: string): Promise<void> {
  return switchTo(matchLocale(locale) ?? sourceLocale);
}
