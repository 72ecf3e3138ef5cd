import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str } from '@lit/localize';
import {
  MAX_REPLY_DEPTH,
  citizenText,
  formatDateTime,
  formatNumber,
  formatRelative,
  type ReportInput,
  type ThreadComment,
} from '@civic-widgets/core';
import { authorOf, repliesText, stanceLabel, supportsText } from '../wording.js';
import { composerView, outboxStatus } from './composer.js';
import { commentAnchor, type Replies, type Row, type ThreadContext } from './context.js';

/** The rows of a list: comments at the deepest level bring their replies beside them. */
function rows(c: ThreadContext, items: readonly ThreadComment[], depth: number, out: Row[] = [], inReplyTo?: string): Row[] {
  for (const comment of items) {
    out.push({ comment, depth, inReplyTo: inReplyTo ?? (depth > MAX_REPLY_DEPTH ? comment.inReplyTo?.authorName : undefined) });
    const replies = c.list.replies.get(comment.id);
    if (depth >= MAX_REPLY_DEPTH && replies?.open) rows(c, replies.items, depth + 1, out, authorOf(comment) || msg('a removed comment'));
  }
  return out;
}

/** A list of comments (the thread's, or a comment's replies), each rendered again only when it changed. */
export function commentList(c: ThreadContext, items: readonly ThreadComment[], depth: number): TemplateResult {
  return html`<ol part="list">
    ${repeat(
      rows(c, items, depth),
      (row) => row.comment.id,
      (row) => guard(rowState(c, row), () => commentView(c, row)),
    )}
  </ol>`;
}

/**
 * Everything a comment's template reads. While none of it changes, the comment is not rendered
 * again: typing in the composer or rendering the next slice of a long page leaves the others be.
 * A comment with a form or its replies open reads too much to list, and is rendered every time.
 * Its relative date ("3 minutes ago") is brought up to date whenever it is rendered again.
 */
function rowState(c: ThreadContext, { comment, depth, inReplyTo }: Row): unknown[] {
  const id = comment.id;
  const busy = c.replyTo === id || c.editing?.id === id || c.reporting === id || c.list.replies.get(id)?.open;
  return [busy ? {} : comment, depth, inReplyTo, c.locale, c.canWrite, c.canChange(comment), c.confirmingDelete === id, c.notes.get(id)];
}

/*
 * A page may hold hundreds of comments: the usual one (published, on an open thread) is a
 * single template with its support, reply and report buttons in one more, and every rarer
 * piece (a form, a note, a confirmation) is a hole that costs nothing until it is shown.
 */
function commentView(c: ThreadContext, { comment, depth, inReplyTo }: Row): TemplateResult {
  const id = comment.id;
  const anchor = commentAnchor(id);
  const replies = c.list.replies.get(id);
  const open = !!replies?.open;
  const after = open ? (depth < MAX_REPLY_DEPTH ? repliesView(c, comment, replies!, depth + 1) : repliesFooter(c, comment, replies!)) : nothing;
  if (comment.deleted || comment.moderation === 'hidden') {
    return html`<li>
      <article id=${anchor} part="comment" tabindex="-1" aria-labelledby=${`${anchor}-placeholder`}>
        <p part="placeholder" class="placeholder" id=${`${anchor}-placeholder`}>
          ${comment.deleted ? msg('Comment deleted by its author') : msg('Hidden by moderation')}
        </p>
        ${noteView(c, id)}
        <p part="actions" class="actions">${repliesToggle(comment, open)}</p>
        ${c.replyTo === id ? composerView(c, id) : nothing}
      </article>
      ${after}
    </li>`;
  }
  const exact = formatDateTime(comment.createdAt);
  const relative = formatRelative(comment.createdAt);
  const editing = c.editing?.id === id;
  const author = authorOf(comment);
  return html`<li>
    <article id=${anchor} part="comment" tabindex="-1" aria-labelledby=${`${anchor}-by ${anchor}-at`}>
      <p part="meta" class="meta">
        <span class="author" id=${`${anchor}-by`}>${comment.mine ? `${author} ${msg('(you)')}` : author}</span>
        <a href=${`#${anchor}`} id=${`${anchor}-at`} aria-label=${`${relative} (${exact})`}
          ><time datetime=${comment.createdAt} title=${exact}>${relative}</time></a
        >
        ${comment.stance ? html`<span class="stance" data-stance=${comment.stance}>${stanceLabel(comment.stance)}</span>` : nothing}
        ${comment.editedAt ? html`<span>${msg('edited')}</span>` : nothing}
      </p>
      ${inReplyTo ? html`<p part="meta" class="meta">${msg(str`In reply to ${inReplyTo}`)}</p>` : nothing}
      ${editing ? editView(c) : nothing}
      <div part="body" ?hidden=${editing}>${editing ? nothing : citizenText(comment.body)}</div>
      ${comment.mine && comment.moderation === 'pending'
        ? html`<p part="notice">${msg('Your comment is awaiting moderation: only you can see it until a moderator approves it.')}</p>`
        : nothing}
      ${noteView(c, id)}
      <p part="actions" class="actions">
        ${actionsView(c, comment)}
        ${c.canChange(comment) && !editing
          ? html`<button type="button" part="button" data-action="edit">${msg('Edit')}</button>
              <button type="button" part="button" data-action="delete">${msg('Delete')}</button>`
          : nothing}
        ${repliesToggle(comment, open)}
      </p>
      ${c.confirmingDelete === id
        ? html`<div role="group" aria-labelledby=${`${anchor}-confirm`} class="waiting">
            <p id=${`${anchor}-confirm`}>${msg('Delete this comment? This cannot be undone.')}</p>
            <p class="actions">
              <button id="confirm-delete" type="button" part="button" data-action="confirm-delete">${msg('Delete')}</button>
              <button type="button" part="button" data-action="keep">${msg('Keep it')}</button>
            </p>
          </div>`
        : nothing}
      ${c.reporting === id
        ? html`<civic-report-form
            exportparts="form, input, button"
            question=${msg('Why are you reporting this comment?')}
            @civic-report-submit=${(event: CustomEvent<ReportInput>) => c.sendReport(comment, event.detail)}
            @civic-report-cancel=${() => c.cancelReport(comment)}
          ></civic-report-form>`
        : nothing}
      ${c.replyTo === id ? composerView(c, id) : nothing}
    </article>
    ${after}
  </li>`;
}

/** Support, reply and report: one template for the buttons most comments show. */
function actionsView(c: ThreadContext, comment: ThreadComment) {
  const id = comment.id;
  if (!c.canWrite) return html`<span class="hint">${supportsText(comment.supports)}</span>`;
  const support = comment.supportedByMe ? 'true' : 'false';
  const replying = c.replyTo === id ? 'true' : 'false';
  const supports = formatNumber(comment.supports);
  // Short visible labels; their names say whose comment they act on, a list of buttons tells them apart.
  const author = authorOf(comment);
  const whose = html`<span class="visually-hidden"> ${msg(str`${author}’s comment`)}</span>`;
  const buttons = html`<button type="button" part="button support" data-action="support" aria-pressed=${support}>
      ${msg('Support')}${whose} <span>${supports}</span>
    </button>
    <button type="button" part="button" data-action="reply" aria-expanded=${replying}>
      ${msg('Reply')}<span class="visually-hidden"> ${msg(str`to ${author}’s comment`)}</span>
    </button>`;
  if (comment.mine) return buttons;
  return html`${buttons}
    <button type="button" part="button" data-action="report" aria-expanded=${c.reporting === id ? 'true' : 'false'}>
      ${msg('Report')}${whose}
    </button>`;
}

function repliesToggle(comment: ThreadComment, open: boolean) {
  if (comment.replies === 0) return nothing;
  return html`<button type="button" part="button" data-action="replies" aria-expanded=${open ? 'true' : 'false'}>
    ${open ? msg('Hide replies') : repliesText(comment.replies)}
  </button>`;
}

/** A message under a comment: a support that failed, a report received. */
function noteView(c: ThreadContext, id: string) {
  const note = c.notes.get(id);
  if (!note) return nothing;
  return html`<p class=${note.alert ? 'field-error' : 'hint'} role=${note.alert ? 'alert' : 'status'}>${note.text}</p>`;
}

function repliesView(c: ThreadContext, comment: ThreadComment, replies: Replies, depth: number): TemplateResult {
  return html`${replies.items.length > 0 ? commentList(c, replies.items, depth) : nothing} ${repliesFooter(c, comment, replies)}`;
}

function repliesFooter(c: ThreadContext, comment: ThreadComment, replies: Replies) {
  if (replies.loading) return html`<p class="loading" role="status">${msg('Loading replies…')}</p>`;
  if (replies.error) return c.renderError(replies.error, () => c.loadReplies(comment, replies.items.length > 0));
  if (!replies.nextCursor) return nothing;
  return html`<p><button type="button" part="button" data-action="more-replies" data-id=${comment.id}>${msg('Load more replies')}</button></p>`;
}

/** The form that edits the citizen's own comment, in place of its text. */
function editView(c: ThreadContext) {
  const editing = c.editing!;
  const entry = editing.entryId ? c.actions.entries.find((item) => item.id === editing.entryId) : undefined;
  return html`<form part="form" novalidate @submit=${c.saveEdit}>
    <label for="edit-body">${msg('Edit your comment')}</label>
    <textarea
      id="edit-body"
      part="input"
      rows="5"
      .value=${editing.body}
      aria-invalid=${editing.error ? 'true' : nothing}
      aria-describedby=${editing.error ? 'edit-error' : nothing}
      @input=${(event: Event) => c.onEditInput((event.target as HTMLTextAreaElement).value)}
    ></textarea>
    ${editing.error ? html`<p id="edit-error" class="field-error">${editing.error}</p>` : nothing}
    <p class="actions">
      <button type="submit" part="button" class="primary">${msg('Save changes')}</button>
      <button type="button" part="button" @click=${c.cancelEdit}>${msg('Cancel')}</button>
    </p>
    <div part="status" role="status">${entry ? outboxStatus(c.actions, entry, c.locale) : nothing}</div>
  </form>`;
}
