import { msg, str } from '@lit/localize';
import { formatNumber, plural, type Idea, type IdeaSort, type IdeaStatus } from '@civic-widgets/core';

/*
 * What the idea box says in words: counts in the right number, the names of sorts, statuses and
 * fields, shared by the list, the detail and the proposal form.
 */

export type Field = 'title' | 'body' | 'categoryId' | 'address' | 'image';

export const SORTS: IdeaSort[] = ['newest', 'most-supported', 'most-discussed', 'random'];
export const STATUSES: IdeaStatus[] = ['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate'];
export const FIELDS: Field[] = ['title', 'body', 'categoryId', 'address', 'image'];

export function countText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No ideas yet'),
    one: msg(str`${n} idea`, { id: 'idea-count-one' }),
    other: msg(str`${n} ideas`, { id: 'idea-count-other' }),
  });
}

export function resultsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No idea matches.'),
    one: msg(str`${n} idea matches.`, { id: 'idea-results-one' }),
    other: msg(str`${n} ideas match.`, { id: 'idea-results-other' }),
  });
}

export function arrivalsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} new idea`, { id: 'idea-new-one' }),
    other: msg(str`${n} new ideas`, { id: 'idea-new-other' }),
  });
}

export function supportsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} support`, { id: 'idea-supports-one' }),
    other: msg(str`${n} supports`, { id: 'idea-supports-other' }),
  });
}

export function commentsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} comment`, { id: 'idea-comments-one' }),
    other: msg(str`${n} comments`, { id: 'idea-comments-other' }),
  });
}

export function limitText(limit: number, left: number): string {
  const n = formatNumber(limit);
  const l = formatNumber(left);
  const total = plural(limit, {
    one: msg(str`You can support ${n} idea`, { id: 'idea-limit-one' }),
    other: msg(str`You can support ${n} ideas`, { id: 'idea-limit-other' }),
  });
  const remaining = plural(left, {
    one: msg(str`${l} left`, { id: 'idea-left-one' }),
    other: msg(str`${l} left`, { id: 'idea-left-other' }),
  });
  return `${total} — ${remaining}`;
}

/** What a recorded support or withdrawal is announced with. */
export function supportedText(title: string, recorded: Idea): string {
  const count = supportsText(recorded.supports);
  return recorded.supportedByMe
    ? msg(str`Your support for “${title}” is recorded: ${count}.`)
    : msg(str`Your support for “${title}” is withdrawn: ${count}.`);
}

export function sortLabel(sort: IdeaSort): string {
  switch (sort) {
    case 'newest':
      return msg('Newest first');
    case 'most-supported':
      return msg('Most supported');
    case 'most-discussed':
      return msg('Most discussed');
    case 'random':
      return msg('Random order');
  }
}

export function statusLabel(status: IdeaStatus): string {
  switch (status) {
    case 'submitted':
      return msg('Submitted');
    case 'under-review':
      return msg('Under review');
    case 'accepted':
      return msg('Accepted');
    case 'rejected':
      return msg('Not retained');
    case 'done':
      return msg('Done');
    case 'duplicate':
      return msg('Duplicate');
  }
}

/** The words that say a support is used up, under an idea and when the server says the same. */
export const limitUsedText = (): string => msg('You have used all your supports in this box. Withdraw one to support this idea.');
