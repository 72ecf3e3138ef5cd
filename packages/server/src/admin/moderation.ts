export type ModerationAction = 'approve' | 'hide' | 'restore';
export type Moderation = 'published' | 'pending' | 'hidden' | 'rejected';

/**
 * What a moderator's action makes of a contribution: `hide` hides what is published and rejects
 * what is pending; `approve` and `restore` publish. `change` says what the public sees: `created`
 * for what they never saw, `updated` for what they saw (a hidden contribution whose placeholder
 * stayed on screen, or one hidden now where `placeholders` keep its place), nothing otherwise.
 */
export function moderated(
  current: Moderation,
  action: ModerationAction,
  placeholders = false,
): { moderation: Moderation; change?: 'created' | 'updated' } {
  if (action === 'hide') {
    if (current === 'published') return { moderation: 'hidden', change: placeholders ? 'updated' : undefined };
    return { moderation: current === 'pending' ? 'rejected' : current };
  }
  if (current === 'published') return { moderation: current };
  return { moderation: 'published', change: current === 'hidden' ? 'updated' : 'created' };
}
