import { msg, str } from '@lit/localize';
import { COMMENT_MAX_LENGTH, formatNumber, plural, type CommentSort, type Stance, type ThreadComment } from '@civic-widgets/core';

/* What the thread says in words, shared by the class and its views. */

export const SORTS: readonly CommentSort[] = ['oldest', 'newest', 'most-supported'];
export const STANCES: readonly Stance[] = ['for', 'against', 'neutral'];

export function countText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    zero: msg('No comments yet'),
    one: msg(str`${n} comment`, { id: 'thread-comments-one' }),
    other: msg(str`${n} comments`, { id: 'thread-comments-other' }),
  });
}

export function repliesText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`Show ${n} reply`, { id: 'thread-replies-one' }),
    other: msg(str`Show ${n} replies`, { id: 'thread-replies-other' }),
  });
}

export function arrivalsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} new comment`, { id: 'thread-new-one' }),
    other: msg(str`${n} new comments`, { id: 'thread-new-other' }),
  });
}

export function supportsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, {
    one: msg(str`${n} support`, { id: 'thread-supports-one' }),
    other: msg(str`${n} supports`, { id: 'thread-supports-other' }),
  });
}

export function sortLabel(sort: CommentSort): string {
  switch (sort) {
    case 'oldest':
      return msg('Oldest first');
    case 'newest':
      return msg('Newest first');
    case 'most-supported':
      return msg('Most supported');
  }
}

export function stanceLabel(stance: Stance): string {
  switch (stance) {
    case 'for':
      return msg('For');
    case 'against':
      return msg('Against');
    case 'neutral':
      return msg('Neutral');
  }
}

/** The name a comment is shown under; none for what is deleted or hidden. */
export function authorOf(comment: ThreadComment): string {
  if (comment.deleted || comment.moderation === 'hidden') return '';
  return comment.authorName || msg('Anonymous participant');
}

/** What is wrong with the text of a comment, reply or edit, if anything. */
export function bodyError(body: string): string | undefined {
  const length = body.trim().length;
  if (length === 0) return msg('Write your comment before posting it.');
  if (length > COMMENT_MAX_LENGTH) {
    const over = formatNumber(length - COMMENT_MAX_LENGTH);
    return msg(str`Your comment is ${over} characters too long.`);
  }
  return undefined;
}
