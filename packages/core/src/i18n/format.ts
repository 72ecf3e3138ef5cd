import { getLocale } from './locale.js';

type DateInput = Date | string | number;

// Building Intl formatters costs far more than using them; lists of comments format many dates.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules>(
  kind: string,
  options: object | undefined,
  create: (locale: string) => T,
): T {
  const locale = getLocale();
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ''}`;
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = create(locale);
    cache.set(key, formatter);
  }
  return formatter;
}

const toDate = (value: DateInput): Date => (value instanceof Date ? value : new Date(value));

/** A number in the active locale (`1234.5` → "1,234.5" / "1 234,5"). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return cached('number', options, (l) => new Intl.NumberFormat(l, options)).format(value);
}

/** A ratio as a percentage, whole by default (`0.1234` → "12%" / "12 %"). */
export function formatPercent(ratio: number, options?: Intl.NumberFormatOptions): string {
  const all: Intl.NumberFormatOptions = { style: 'percent', maximumFractionDigits: 0, ...options };
  return cached('number', all, (l) => new Intl.NumberFormat(l, all)).format(ratio);
}

/** A calendar date ("March 3, 2027" / "3 mars 2027"). */
export function formatDate(value: DateInput, options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }): string {
  return cached('date', options, (l) => new Intl.DateTimeFormat(l, options)).format(toDate(value));
}

/** A date and time ("March 3, 2027 at 6:30 PM" / "3 mars 2027 à 18:30"). */
export function formatDateTime(
  value: DateInput,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' },
): string {
  return cached('date', options, (l) => new Intl.DateTimeFormat(l, options)).format(toDate(value));
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The largest unit that still reads naturally: "in 3 days" rather than "in 72 hours".
const units: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number, number]> = [
  // unit, its length, used below this distance
  ['second', SECOND, MINUTE],
  ['minute', MINUTE, HOUR],
  ['hour', HOUR, DAY],
  ['day', DAY, 7 * DAY],
  ['week', 7 * DAY, 30 * DAY],
  ['month', 30.44 * DAY, 365 * DAY],
  ['year', 365.25 * DAY, Infinity],
];

/** The distance from now to a date ("in 3 days", "il y a 2 heures", "tomorrow"). */
export function formatRelative(value: DateInput, now: DateInput = new Date()): string {
  const distance = toDate(value).getTime() - toDate(now).getTime();
  const [unit, length] = units.find(([, , below]) => Math.abs(distance) < below) ?? units[units.length - 1];
  const options: Intl.RelativeTimeFormatOptions = { numeric: 'auto' };
  const formatter = cached('relative', options, (l) => new Intl.RelativeTimeFormat(l, options));
  // `|| 0` turns -0 into 0 so that "now" is not "0 seconds ago".
  return formatter.format(Math.round(distance / length) || 0, unit);
}

/** The forms of a counted phrase; `zero` is used for 0 when given, in every language. */
export type PluralForms<T> = { other: T; zero?: T } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other' | 'zero'>, T>>;

/**
 * The form of a phrase for a count in the active locale. In French, 0 and 1 take `one`.
 *
 * ```ts
 * plural(n, { one: msg(str`${n} vote`), other: msg(str`${n} votes`) })
 * ```
 */
export function plural<T>(count: number, forms: PluralForms<T>): T {
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  const rule = cached('plural', undefined, (l) => new Intl.PluralRules(l)).select(count);
  return forms[rule] ?? forms.other;
}

/**
 * The first date or number a page formats sets up the browser's locale data: some 20 ms here,
 * four times that on a phone. A widget calls this while its first requests are on the network,
 * which takes that cost off the path to its first paint. Formatters are kept per locale.
 */
export function prepareFormatters(): void {
  formatRelative(0, 0);
  formatDateTime(0);
  formatNumber(0);
}
