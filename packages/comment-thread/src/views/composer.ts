import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import {
  COMMENT_MAX_LENGTH,
  citizenText,
  errorSummary,
  formatNumber,
  renderSubmissionStatus,
  requiredMark,
  type OutboxController,
  type OutboxEntry,
} from '@civic-widgets/core';
import { STANCES, stanceLabel } from '../wording.js';
import { NEW, prefix, type CommentDraft, type FieldErrors, type ThreadContext } from './context.js';

/** The counter is announced once this few characters are left. */
const COUNTER_NEAR = 200;

/** What became of a write kept by an outbox, with its retry and discard buttons. */
export function outboxStatus(outbox: Pick<OutboxController, 'retry' | 'discard'>, entry: OutboxEntry, locale: string): TemplateResult {
  return renderSubmissionStatus(entry, {
    onRetry: (item) => void outbox.retry(item.id),
    onDiscard: (item) => void outbox.discard(item.id),
    locale,
  });
}

function postStatus(c: Pick<ThreadContext, 'posts' | 'locale'>, entry: OutboxEntry) {
  if (entry.status === 'waiting' && entry.lastError?.kind === 'rate-limited') {
    return html`<p part="submission-status" data-status="waiting">
      ${msg('You are posting faster than this discussion allows. Your comment is kept on this device and will be sent automatically in a moment.')}
    </p>`;
  }
  return outboxStatus(c.posts, entry, c.locale);
}

/** Comments kept on the device until they can be sent, each with its text. */
export function waitingView(c: Pick<ThreadContext, 'posts' | 'locale'>) {
  const waiting = c.posts.entries.filter((entry) => entry.status === 'waiting').reverse();
  if (waiting.length === 0) return nothing;
  return html`<section class="waiting" aria-labelledby="waiting-title">
    <p id="waiting-title"><strong>${msg('Not sent yet')}</strong></p>
    ${waiting.map(
      (entry) => html`<div>
        <div part="body">${citizenText(entry.payload.body)}</div>
        <div part="status" role="status">${postStatus(c, entry)}</div>
      </div>`,
    )}
  </section>`;
}

/** The composer of new comments, or why there is none. */
export function writeView(c: ThreadContext) {
  if (c.thread.closed) {
    return html`<p part="notice">${msg('This discussion is closed: comments can still be read, but no new ones are accepted.')}</p>`;
  }
  if (c.needsVerification) {
    return html`<p part="notice">${msg('This discussion is for residents whose identity the town’s site has confirmed. Sign in on the town’s site, then come back to this page to comment.')}</p>`;
  }
  return html`${waitingView(c)} ${composerView(c, NEW)}`;
}

const required = () => requiredMark(msg('(required)'));

/** The fields to fix in a composer, in the order they come, each a link to its field. */
function summary(c: ThreadContext, id: string, errors: FieldErrors, draft: CommentDraft) {
  const items = [];
  if (errors.stance) items.push({ id: `${id}-stance-${draft.stance ?? STANCES[0]}`, label: msg('Your position'), error: errors.stance });
  if (errors.body) items.push({ id: `${id}-body`, label: id === NEW ? msg('Your comment') : msg('Your reply'), error: errors.body });
  return errorSummary(c.root, msg('Check these fields before posting:'), items, `${id}-summary`);
}

/** A composer: of new comments (`key` is `NEW`), or of a reply to the comment `key`. */
export function composerView(c: ThreadContext, key: string) {
  const draft = c.composers.draft(key);
  const errors = c.composers.errors.get(key) ?? {};
  const reply = key !== NEW;
  const id = prefix(key);
  const length = draft.body.trim().length;
  const left = COMMENT_MAX_LENGTH - length;
  const near = left <= COUNTER_NEAR;
  const previewing = c.composers.preview.has(key);
  const describedBy = [`${id}-help`, `${id}-counter`, errors.body ? `${id}-body-error` : ''].join(' ').trim();
  const pending = c.posts.entries.find((entry) => entry.status === 'sending' && (entry.payload.parentId ?? NEW) === key);
  return html`<form part="form" class="composer" novalidate aria-labelledby=${`${id}-legend`} @submit=${(event: Event) => c.submit(event, key)}>
    <p id=${`${id}-legend`} class="visually-hidden">${reply ? msg('Reply') : msg('Add a comment')}</p>
    ${summary(c, id, errors, draft)}
    ${errors.form ? html`<p class="field-error" role="alert">${errors.form}</p>` : nothing}
    ${c.thread.stances
      ? html`<fieldset id=${`${id}-stance`} aria-describedby=${errors.stance ? `${id}-stance-error` : nothing}>
          <legend>${msg('Your position')}${required()}</legend>
          ${errors.stance ? html`<p id=${`${id}-stance-error`} class="field-error">${errors.stance}</p>` : nothing}
          <div class="choices">
            ${STANCES.map(
              (stance) => html`<label>
                <input
                  part="input"
                  type="radio"
                  id=${`${id}-stance-${stance}`}
                  name=${`${id}-stance`}
                  required
                  .value=${stance}
                  .checked=${draft.stance === stance}
                  aria-invalid=${errors.stance ? 'true' : nothing}
                  aria-describedby=${errors.stance ? `${id}-stance-error` : nothing}
                  @change=${() => c.composers.type(key, { stance })}
                />
                ${stanceLabel(stance)}
              </label>`,
            )}
          </div>
        </fieldset>`
      : nothing}
    <label for=${`${id}-body`}>${reply ? msg('Your reply') : msg('Your comment')}${required()}</label>
    <p id=${`${id}-help`} class="hint">
      ${msg('You can write **bold**, *italic*, [a link](https://example.org) and lists (lines starting with "- "). Leave a blank line between paragraphs.')}
    </p>
    <textarea
      id=${`${id}-body`}
      part="input"
      required
      rows=${reply ? 3 : 5}
      .value=${draft.body}
      aria-invalid=${errors.body ? 'true' : nothing}
      aria-describedby=${describedBy}
      @input=${(event: Event) => c.composers.type(key, { body: (event.target as HTMLTextAreaElement).value })}
    ></textarea>
    ${errors.body ? html`<p id=${`${id}-body-error`} class="field-error">${errors.body}</p>` : nothing}
    <p id=${`${id}-counter`} class="hint counter" ?data-over=${left < 0}>
      ${msg(str`${formatNumber(length)} of ${formatNumber(COMMENT_MAX_LENGTH)} characters`)}
    </p>
    <p class="visually-hidden" aria-live="polite">
      ${near ? (left >= 0 ? msg(str`${formatNumber(left)} characters left`) : msg(str`${formatNumber(-left)} characters over the limit`)) : ''}
    </p>
    <div class="actions">
      <button type="submit" part="button" class="primary">${reply ? msg('Post reply') : msg('Post comment')}</button>
      <button type="button" part="button" aria-pressed=${previewing ? 'true' : 'false'} @click=${() => c.composers.togglePreview(key)}>
        ${msg('Preview')}
      </button>
      ${reply ? html`<button type="button" part="button" @click=${() => c.cancelReply(key)}>${msg('Cancel')}</button>` : nothing}
    </div>
    ${previewing
      ? html`<section part="preview" aria-label=${msg('Preview')}>
          ${draft.body.trim() ? citizenText(draft.body) : html`<p class="hint">${msg('Nothing to preview yet.')}</p>`}
        </section>`
      : nothing}
    <div part="status" role="status">${pending ? postStatus(c, pending) : nothing}</div>
  </form>`;
}
