import type { ReactiveControllerHost } from 'lit';
import { msg } from '@lit/localize';
import { DraftController } from '@civic-widgets/core';
import { bodyError } from './wording.js';
import { NEW, type CommentDraft, type FieldErrors } from './views/context.js';

/**
 * The thread's two composers, the new comment's and the open reply's (keyed `NEW` and by the
 * comment answered): their drafts, kept on the device so that a reload loses nothing, their field
 * errors and whether they show a preview. Every change asks the host to render again.
 */
export class Composers {
  readonly errors = new Map<string, FieldErrors>();
  readonly preview = new Set<string>();
  private readonly drafts: Record<'comment' | 'reply', DraftController<CommentDraft>>;

  constructor(
    private readonly host: ReactiveControllerHost,
    thread: () => string | undefined,
    replyTo: () => string | undefined,
  ) {
    this.drafts = {
      comment: new DraftController(host, { key: () => (thread() ? `thread:${thread()}:comment` : undefined) }),
      reply: new DraftController(host, { key: () => (thread() && replyTo() ? `thread:${thread()}:reply:${replyTo()}` : undefined) }),
    };
  }

  private draftFor(key: string): DraftController<CommentDraft> {
    return this.drafts[key === NEW ? 'comment' : 'reply'];
  }

  draft(key: string): CommentDraft {
    return this.draftFor(key).value ?? { body: '' };
  }

  type(key: string, change: Partial<CommentDraft>): void {
    const draft = this.draftFor(key);
    draft.save({ body: '', ...draft.value, ...change });
    const errors = this.errors.get(key);
    if (errors) this.setErrors(key, { ...errors, form: undefined, ...('body' in change ? { body: undefined } : { stance: undefined }) });
    this.host.requestUpdate();
  }

  togglePreview(key: string): void {
    if (!this.preview.delete(key)) this.preview.add(key);
    this.host.requestUpdate();
  }

  setErrors(key: string, errors?: FieldErrors): void {
    if (errors && (errors.body || errors.stance || errors.form)) this.errors.set(key, errors);
    else this.errors.delete(key);
    this.host.requestUpdate();
  }

  /** Checks a composer before posting: its errors are shown, and returned, when it has any. */
  check(key: string, stances: boolean): FieldErrors | undefined {
    const draft = this.draft(key);
    const errors: FieldErrors = {
      body: bodyError(draft.body),
      stance: stances && !draft.stance ? msg('Choose your position: for, against or neutral.') : undefined,
    };
    this.setErrors(key, errors);
    return errors.body || errors.stance ? errors : undefined;
  }

  /** The outbox keeps the comment now, on the device too: the composer starts afresh. */
  sent(key: string): void {
    this.draftFor(key).clear();
    this.preview.delete(key);
    this.host.requestUpdate();
  }

  /** A refused comment goes back into its composer, unless something new is typed there already. */
  restore(key: string, draft: CommentDraft, errors: FieldErrors): void {
    const saved = this.draftFor(key);
    if (!saved.value?.body.trim()) saved.save(draft);
    this.setErrors(key, errors);
  }

  /** Forgets the errors shown: they were about another thread. */
  clear(): void {
    this.errors.clear();
    this.host.requestUpdate();
  }
}
