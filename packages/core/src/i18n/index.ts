export {
  sourceLocale,
  targetLocales,
  matchLocale,
  detectLocale,
  setRequestedLocale,
  registerTranslations,
  initLocale,
  getLocale,
  setLocale,
  TEMPLATES_MERGED_EVENT,
} from './locale.js';
export type { CivicLocale, TargetLocale, TranslationLoaders } from './locale.js';
export { LocaleController } from './controller.js';
export { formatNumber, formatPercent, formatDate, formatDateTime, formatRelative, plural, prepareFormatters } from './format.js';
export type { PluralForms } from './format.js';
