import type { CommentDomain, ReportInput, WriteOptions } from '@civic-widgets/core';

/** Writes on existing comments, kept by the outbox like new comments. */
export type CommentAction =
  | { op: 'edit'; id: string; body: string }
  | { op: 'remove'; id: string }
  | { op: 'react'; id: string; support: boolean }
  | { op: 'report'; id: string; report: ReportInput };

/** Sends a write on a comment; resolves with what the backend answered. */
export function sendCommentAction(domain: CommentDomain, action: CommentAction, options: WriteOptions): Promise<unknown> {
  switch (action.op) {
    case 'edit':
      return domain.edit(action.id, action.body, options);
    case 'remove':
      return domain.remove(action.id, options);
    case 'react':
      return domain.react(action.id, action.support, options);
    case 'report':
      return domain.report(action.id, action.report, options);
  }
}
