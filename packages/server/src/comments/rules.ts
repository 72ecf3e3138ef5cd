import { isBlank, textLength } from '../../../core/src/content/text-rules.js';
import type { FieldError } from '../http/problem.js';
import type { CommentInputWire } from '../http/schemas.js';
import { COMMENT_MAX_LENGTH, type ThreadRecord } from './model.js';

export interface CheckedComment {
  body: string;
  parentId?: string;
  stance?: 'for' | 'against' | 'neutral';
}

/** The trimmed body, or an entry in `errors`. */
export function checkBody(body: string, errors: FieldError[]): string {
  const trimmed = body.trim();
  if (isBlank(trimmed)) errors.push({ field: 'body', message: 'Write your comment.' });
  else if (textLength(trimmed) > COMMENT_MAX_LENGTH) errors.push({ field: 'body', message: `A comment must be at most ${COMMENT_MAX_LENGTH} characters.` });
  return trimmed;
}

/** Checks a comment against its thread, with one message per faulty field. */
export function checkComment(thread: ThreadRecord, input: Omit<CommentInputWire, 'website'>): CheckedComment | FieldError[] {
  const errors: FieldError[] = [];
  const body = checkBody(input.body, errors);
  if (thread.stances && input.stance === undefined) errors.push({ field: 'stance', message: 'Say whether you are for, against or neutral.' });
  if (!thread.stances && input.stance !== undefined) errors.push({ field: 'stance', message: 'This discussion does not ask for a stance.' });
  if (errors.length) return errors;
  return { body, ...(input.parentId === undefined ? {} : { parentId: input.parentId }), ...(input.stance === undefined ? {} : { stance: input.stance }) };
}
