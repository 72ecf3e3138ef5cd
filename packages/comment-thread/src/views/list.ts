import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { heading, skipPast, skipPastEnd, type CommentSort } from '@civic-widgets/core';
import { SORTS, arrivalsText, countText, sortLabel } from '../wording.js';
import { commentList } from './comment.js';
import { writeView } from './composer.js';
import type { ThreadContext } from './context.js';

function header(c: ThreadContext) {
  return html`<header part="header">
    ${heading(c.headingLevel, c.thread.title || msg('Comments'), { id: 'title', part: 'title', focusable: true })}
    <p part="count" id="count">${countText(c.thread.comments)}</p>
  </header>`;
}

function toolbar(c: ThreadContext) {
  return html`<div class="toolbar">
    <label for="sort">${msg('Sort comments')}</label>
    <select id="sort" part="sort input" @change=${(event: Event) => c.onSort((event.target as HTMLSelectElement).value as CommentSort)}>
      ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === c.sort}>${sortLabel(sort)}</option>`)}
    </select>
  </div>`;
}

/** The comments: the one a link led to, news waiting to be shown, the list, and more to read. */
function comments(c: ThreadContext) {
  const { linked, nextCursor } = c.list;
  const arrivals = c.list.arrivals.length;
  return html`<section aria-labelledby="title" @click=${c.onListClick} @focusin=${c.onFocusIn}>
    ${linked
      ? html`<div class="linked">
          <p class="hint">${msg('The comment you followed a link to:')}</p>
          ${commentList(c, [linked], linked.depth ?? 0)}
        </div>`
      : nothing}
    <div class="visually-hidden" aria-live="polite">${arrivals > 0 ? arrivalsText(arrivals) : ''}</div>
    ${arrivals > 0
      ? html`<p>
          <button type="button" part="button new-comments" @click=${c.showArrivals}>
            ${msg(str`${arrivalsText(arrivals)} — show`)}
          </button>
        </p>`
      : nothing}
    ${c.list.items.length === 0 && !nextCursor
      ? html`<p class="hint">${c.thread.closed ? msg('No comments.') : msg('No comments yet — be the first.')}</p>`
      : commentList(c, c.list.shown, 0)}
    ${c.moreError
      ? c.renderError(c.moreError, c.more)
      : c.loadingMore
        ? html`<p class="loading" role="status">${msg('Loading comments…')}</p>`
        : nextCursor
          ? html`<p><button type="button" part="button" @click=${c.more}>${msg('Load more comments')}</button></p>`
          : nothing}
  </section>`;
}

/** A loaded thread, from its "skip past" link to the end of its comments. */
export function threadView(c: ThreadContext) {
  return html`<div class="thread">
    ${skipPast(msg('Skip past the comments'))} ${header(c)} ${writeView(c)} ${c.thread.comments > 1 || c.list.nextCursor ? toolbar(c) : nothing}
    ${comments(c)}
    <div class="visually-hidden" role="status">${c.announcement}</div>
    ${skipPastEnd(msg('End of the comments'))}
  </div>`;
}
