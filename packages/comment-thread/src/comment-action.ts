import type { ReportInput } from '@civic-widgets/core';

/** Writes on existing comments, kept by the outbox like new comments. */
export type CommentAction =
  | { op: 'edit'; id: string; body: string }
  | { op: 'remove'; id: string }
  | { op: 'react'; id: string; support: boolean }
  | { op: 'report'; id: string; report: ReportInput };

