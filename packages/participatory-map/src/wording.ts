import { msg, str } from '@lit/localize';
import { formatDate, formatNumber, plural, type MapCategory, type MapReport, type MapReportStatus } from '@civic-widgets/core';

/* The map's wording: counts, statuses and the name that tells one report from another. */

const EXCERPT_LENGTH = 140;
const NAME_EXCERPT_LENGTH = 40;

/** The text of a report without its markdown marks, cut at a word. */
export function excerpt(text: string): string {
  const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_#>`]+/g, '').replace(/\s+/g, ' ').trim();
  if (plain.length <= EXCERPT_LENGTH) return plain;
  const cut = plain.slice(0, EXCERPT_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : EXCERPT_LENGTH)}…`;
}

/** The first words of a report, to tell it from others of its category. */
function shortExcerpt(text: string): string {
  const plain = excerpt(text);
  if (plain.length <= NAME_EXCERPT_LENGTH) return plain;
  const cut = plain.slice(0, NAME_EXCERPT_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : NAME_EXCERPT_LENGTH)}…`;
}

export function countText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No reports yet'),
    one: msg(str`${n} report`, { id: 'report-count-one' }),
    other: msg(str`${n} reports`, { id: 'report-count-other' }),
  });
}

export function resultsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No report matches.'),
    one: msg(str`${n} report matches.`, { id: 'report-results-one' }),
    other: msg(str`${n} reports match.`, { id: 'report-results-other' }),
  });
}

export function arrivalsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} new report`, { id: 'report-new-one' }),
    other: msg(str`${n} new reports`, { id: 'report-new-other' }),
  });
}

export function followersText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No followers'),
    one: msg(str`${n} follower`, { id: 'report-followers-one' }),
    other: msg(str`${n} followers`, { id: 'report-followers-other' }),
  });
}

export function commentsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} comment`, { id: 'report-comments-one' }),
    other: msg(str`${n} comments`, { id: 'report-comments-other' }),
  });
}

export function clusterText(count: number): string {
  const n = formatNumber(count);
  return msg(str`${n} reports here: zoom in`);
}

export function statusLabel(status: MapReportStatus): string {
  switch (status) {
    case 'open':
      return msg('Open');
    case 'acknowledged':
      return msg('Acknowledged');
    case 'in-progress':
      return msg('In progress');
    case 'closed':
      return msg('Closed');
  }
}

/**
 * A report's name: its category, and what tells it from the others of that category: its
 * address, else the start of its description, else its date.
 */
export function reportName(
  report: Pick<MapReport, 'categoryId' | 'address' | 'description'> & { createdAt?: string },
  categories: readonly MapCategory[] | undefined,
): string {
  const category = categories?.find((item) => item.id === report.categoryId)?.label ?? msg('Report');
  const address = report.address?.trim();
  const which = address || shortExcerpt(report.description) || (report.createdAt ? formatDate(report.createdAt) : '');
  return which ? `${category} — ${which}` : category;
}
