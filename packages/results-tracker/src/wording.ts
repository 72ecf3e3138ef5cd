import { html, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import {
  formatDate,
  formatNumber,
  formatPercent,
  getLocale,
  plural,
  type OriginKind,
  type ProjectOrigin,
  type ProjectSort,
  type ProjectStatus,
  type TrackedProject,
  type Tracker,
} from '@civic-widgets/core';

/*
 * What the tracker says in words, shared by the list (always loaded) and the detail and
 * contribution views (loaded when a citizen opens them).
 */

export const STATUSES: readonly ProjectStatus[] = ['planned', 'in-progress', 'done', 'cancelled'];
export const SORTS: readonly ProjectSort[] = ['updated', 'title', 'status', 'budget', 'start'];
const KINDS: readonly OriginKind[] = ['idea', 'poll', 'map-report', 'comment-thread'];

/** The council's own word for a status when it chose one, else ours. */
export function statusLabel(status: ProjectStatus, tracker?: Tracker): string {
  const own = tracker?.statusLabels?.[status]?.trim();
  if (own) return own;
  switch (status) {
    case 'planned':
      return msg('Planned', { id: 'project-status-planned' });
    case 'in-progress':
      return msg('In progress', { id: 'project-status-in-progress' });
    case 'done':
      return msg('Done', { id: 'project-status-done' });
    case 'cancelled':
      return msg('Cancelled', { id: 'project-status-cancelled' });
  }
}

export function sortLabel(sort: ProjectSort): string {
  switch (sort) {
    case 'updated':
      return msg('Recently updated');
    case 'title':
      return msg('Title, A to Z');
    case 'status':
      return msg('Status');
    case 'budget':
      return msg('Largest budget first');
    case 'start':
      return msg('Start date');
  }
}

/** "60 % done", the progress as a meter speaks it and as it is shown. */
export function progressText(progress: number): string {
  const percent = formatPercent(Math.min(100, Math.max(0, progress)) / 100);
  return msg(str`${percent} done`);
}

/** An amount in the tracker's currency, without cents for round sums. */
export function money(amount: number, currency: string): string {
  const whole = Number.isInteger(amount);
  try {
    return formatNumber(amount, { style: 'currency', currency, maximumFractionDigits: whole ? 0 : 2, minimumFractionDigits: whole ? 0 : 2 });
  } catch {
    // A currency code the browser does not know still shows the amount.
    return `${formatNumber(amount)} ${currency}`;
  }
}

/** "€120,000 planned, €45,000 spent", or the part that is known. */
export function budgetText(project: TrackedProject, currency: string): string | undefined {
  const { budgetPlanned: planned, budgetSpent: spent } = project;
  if (planned !== undefined && spent !== undefined) {
    const p = money(planned, currency);
    const s = money(spent, currency);
    return msg(str`${p} planned, ${s} spent`);
  }
  if (planned !== undefined) {
    const p = money(planned, currency);
    return msg(str`${p} planned`);
  }
  if (spent !== undefined) {
    const s = money(spent, currency);
    return msg(str`${s} spent`);
  }
  return undefined;
}

/** "From March 3, 2027 to June 30, 2028", or the end that is known. */
export function periodText(project: TrackedProject): string | undefined {
  const { startsAt, endsAt } = project;
  if (startsAt && endsAt) {
    const start = formatDate(startsAt);
    const end = formatDate(endsAt);
    return msg(str`From ${start} to ${end}`);
  }
  if (startsAt) {
    const start = formatDate(startsAt);
    return msg(str`Starts on ${start}`);
  }
  if (endsAt) {
    const end = formatDate(endsAt);
    return msg(str`Due on ${end}`);
  }
  return undefined;
}

export function projectsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No projects yet'),
    one: msg(str`${n} project`, { id: 'project-count-one' }),
    other: msg(str`${n} projects`, { id: 'project-count-other' }),
  });
}

export function resultsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No project matches.'),
    one: msg(str`${n} project matches.`, { id: 'project-results-one' }),
    other: msg(str`${n} projects match.`, { id: 'project-results-other' }),
  });
}

export function commentsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} comment`, { id: 'project-comments-one' }),
    other: msg(str`${n} comments`, { id: 'project-comments-other' }),
  });
}

function peopleText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} person`, { id: 'people-one' }),
    other: msg(str`${n} people`, { id: 'people-other' }),
  });
}

/**
 * One kind of origin counted: "3 ideas supported by 412 people", "1 poll answered by 820 people",
 * "2 map reports followed by 15 people", "1 discussion with 48 comments". The whole phrase
 * follows the number of sources, as French participles agree with it.
 */
function originGroupText(kind: OriginKind, sources: number, count: number): string {
  const n = formatNumber(sources);
  const people = peopleText(count);
  if (count === 0) {
    switch (kind) {
      case 'idea':
        return plural(sources, { one: msg(str`${n} idea`, { id: 'origin-ideas-one' }), other: msg(str`${n} ideas`, { id: 'origin-ideas-other' }) });
      case 'poll':
        return plural(sources, { one: msg(str`${n} poll`, { id: 'origin-polls-one' }), other: msg(str`${n} polls`, { id: 'origin-polls-other' }) });
      case 'map-report':
        return plural(sources, {
          one: msg(str`${n} map report`, { id: 'origin-reports-one' }),
          other: msg(str`${n} map reports`, { id: 'origin-reports-other' }),
        });
      case 'comment-thread':
        return plural(sources, {
          one: msg(str`${n} discussion`, { id: 'origin-threads-one' }),
          other: msg(str`${n} discussions`, { id: 'origin-threads-other' }),
        });
    }
  }
  switch (kind) {
    case 'idea':
      return plural(sources, {
        one: msg(str`${n} idea supported by ${people}`, { id: 'origin-ideas-people-one' }),
        other: msg(str`${n} ideas supported by ${people}`, { id: 'origin-ideas-people-other' }),
      });
    case 'poll':
      return plural(sources, {
        one: msg(str`${n} poll answered by ${people}`, { id: 'origin-polls-people-one' }),
        other: msg(str`${n} polls answered by ${people}`, { id: 'origin-polls-people-other' }),
      });
    case 'map-report':
      return plural(sources, {
        one: msg(str`${n} map report followed by ${people}`, { id: 'origin-reports-people-one' }),
        other: msg(str`${n} map reports followed by ${people}`, { id: 'origin-reports-people-other' }),
      });
    case 'comment-thread': {
      const comments = commentsText(count);
      return plural(sources, {
        one: msg(str`${n} discussion with ${comments}`, { id: 'origin-threads-comments-one' }),
        other: msg(str`${n} discussions with ${comments}`, { id: 'origin-threads-comments-other' }),
      });
    }
  }
}

const listFormats = new Map<string, Intl.ListFormat>();

/** "a, b and c" / "a, b et c". */
export function listText(parts: string[]): string {
  const locale = getLocale();
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { type: 'conjunction' });
    listFormats.set(locale, format);
  }
  return format.format(parts);
}

/** "Came from 3 ideas supported by 412 people and 1 poll answered by 820 people." */
export function originsSummary(origins: readonly ProjectOrigin[]): string | undefined {
  const groups = KINDS.flatMap((kind) => {
    const ofKind = origins.filter((origin) => origin.kind === kind);
    if (ofKind.length === 0) return [];
    const count = ofKind.reduce((sum, origin) => sum + Math.max(0, origin.count), 0);
    return [originGroupText(kind, ofKind.length, count)];
  });
  if (groups.length === 0) return undefined;
  const sources = listText(groups);
  return msg(str`Came from ${sources}.`);
}

/** A project's progress: a meter whose value is spoken in words, and the same words shown. */
export function meter(progress: number): TemplateResult {
  const value = Math.round(Math.min(100, Math.max(0, progress)));
  const words = progressText(value);
  return html`<div class="progress">
    <div
      part="meter"
      class="meter"
      role="meter"
      aria-label=${msg('Progress')}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${value}
      aria-valuetext=${words}
    >
      <div part="bar" class="bar" style=${styleMap({ inlineSize: `${value}%` })}></div>
    </div>
    <span class="progress-text" aria-hidden="true">${words}</span>
  </div>`;
}

export function badge(status: ProjectStatus, tracker?: Tracker): TemplateResult {
  return html`<span part="badge" class="badge" data-status=${status}>${statusLabel(status, tracker)}</span>`;
}

/** Images from the council's backend only: http(s) or an inline image. */
export function safeImage(url: string | undefined): string | undefined {
  return url && /^(https?:|data:image\/)/i.test(url.trim()) ? url : undefined;
}

/** A link set by the council, relative to the page or absolute, over http(s) only. */
export function safeLink(raw: string | undefined): string | undefined {
  if (!raw?.trim()) return undefined;
  try {
    const url = new URL(raw.trim(), document.baseURI);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
