import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str } from '@lit/localize';
import { councilHtml, formatDate, formatNumber, heading, type Idea, type IdeaStatus, type PagedList, type IdeaSort } from '@civic-widgets/core';
import { SORTS, STATUSES, arrivalsText, commentsText, countText, limitText, resultsText, sortLabel, statusLabel } from '../wording.js';
import type { IdeaLayout } from '../idea-box.js';
import { ideaAnchor, note, pendingNotice, supportButton, tags, type IdeaContext } from './idea.js';

/*
 * The box as a citizen first sees it: its header and notices, the search and filters, and the
 * ideas as cards or rows, page by page.
 */

export interface ListContext extends IdeaContext {
  layout: IdeaLayout;
  ideas: PagedList<Idea>;
  /** A search or a filter narrows the list. */
  filtered: boolean;
  /** Open now: not before its opening date, not after its closing date. */
  isOpen: boolean;
  needsVerification: boolean;
  supportsLeft?: number;
  query: string;
  sort: IdeaSort;
  category: string;
  status: IdeaStatus | '';
  onSearch(value: string): void;
  onSort(sort: IdeaSort): void;
  onFilter(change: { category?: string; status?: IdeaStatus | '' }): void;
  onShowArrivals(): void;
  onMore(): void;
  /** Reads the page that failed again. */
  onRetryList(): void;
}

const EXCERPT_LENGTH = 180;

/** The text of an idea without its markdown marks, cut at a word. */
function excerpt(body: string): string {
  const plain = body.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_#>`]+/g, '').replace(/\s+/g, ' ').trim();
  if (plain.length <= EXCERPT_LENGTH) return plain;
  const cut = plain.slice(0, EXCERPT_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : EXCERPT_LENGTH)}…`;
}

export function header(context: ListContext): TemplateResult {
  const { box, ideas } = context;
  const count = ideas.total ?? ideas.items.length;
  return html`<header part="header">
    ${heading(context.headingLevel, box.title || msg('Ideas'), { id: 'title', part: 'title', focusable: true })}
    ${box.description ? html`<div class="description">${councilHtml(box.description)}</div>` : nothing}
    <p part="count" id="count">${context.filtered ? resultsText(count) : countText(count)}</p>
  </header>`;
}

/** Why the citizen cannot take part, or how many supports they have left. */
export function notices(context: ListContext) {
  const box = context.box;
  if (!context.isOpen) {
    const opensLater = box.opensAt && Date.parse(box.opensAt) > Date.now();
    return html`<p part="notice">
      ${opensLater
        ? msg(str`This idea box opens on ${formatDate(box.opensAt!)}. Ideas can be read, but not proposed or supported yet.`)
        : msg('This idea box is closed: ideas can still be read, but no new ideas or supports are accepted.')}
    </p>`;
  }
  if (context.needsVerification) {
    return html`<p part="notice">${msg('This idea box is for residents whose identity the town’s site has confirmed. Sign in on the town’s site, then come back to this page to take part.')}</p>`;
  }
  const left = context.supportsLeft;
  if (left === undefined) return nothing;
  return html`<p part="notice" id="limit" data-reached=${left === 0 ? 'true' : 'false'}>
    ${left === 0
      ? msg(str`You have used all ${formatNumber(box.supportLimit!)} of your supports. Withdraw one to support another idea.`)
      : limitText(box.supportLimit!, left)}
  </p>`;
}

export function toolbar(context: ListContext): TemplateResult {
  const box = context.box;
  const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value;
  return html`<div part="toolbar" class="toolbar" role="search" aria-label=${msg('Find ideas')}>
    <div class="field">
      <label for="search">${msg('Search ideas')}</label>
      <input id="search" part="search input" type="search" .value=${context.query} @input=${(event: Event) => context.onSearch(value(event))} />
    </div>
    <div class="field">
      <label for="sort">${msg('Sort')}</label>
      <select id="sort" part="input" @change=${(event: Event) => context.onSort(value(event) as IdeaSort)}>
        ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === context.sort}>${sortLabel(sort)}</option>`)}
      </select>
    </div>
    ${box.categories.length > 0
      ? html`<div class="field">
          <label for="category">${msg('Category')}</label>
          <select id="category" part="input" @change=${(event: Event) => context.onFilter({ category: value(event) })}>
            <option value="" ?selected=${!context.category}>${msg('All categories')}</option>
            ${box.categories.map((category) => html`<option value=${category.id} ?selected=${category.id === context.category}>${category.label}</option>`)}
          </select>
        </div>`
      : nothing}
    <div class="field">
      <label for="status">${msg('Status')}</label>
      <select id="status" part="input" @change=${(event: Event) => context.onFilter({ status: value(event) as IdeaStatus | '' })}>
        <option value="" ?selected=${!context.status}>${msg('All statuses')}</option>
        ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === context.status}>${statusLabel(status)}</option>`)}
      </select>
    </div>
  </div>`;
}

function card(context: ListContext, idea: Idea): TemplateResult {
  const anchor = ideaAnchor(idea.id);
  return html`<li>
    <article id=${anchor} part="idea" tabindex="-1" aria-labelledby=${`${anchor}-title`}>
      ${heading(
        context.headingLevel + 1,
        html`<button type="button" class="link" id=${`${anchor}-title`} data-action="open" data-id=${idea.id}>${idea.title}</button>`,
        { part: 'idea-title' },
      )}
      ${tags(context, idea)}
      ${context.layout === 'cards' ? html`<p part="body" class="excerpt">${excerpt(idea.body)}</p>` : nothing}
      ${pendingNotice(idea)}
      <p part="meta" class="meta">${supportButton(context, idea)} <span>${commentsText(idea.comments)}</span></p>
      ${note(context, idea.id)}
    </article>
  </li>`;
}

export function list(context: ListContext): TemplateResult {
  const ideas = context.ideas;
  const arrivals = ideas.arrivals.length;
  return html`<section aria-labelledby="title" class="ideas">
    <div class="visually-hidden" aria-live="polite">${arrivals > 0 ? arrivalsText(arrivals) : ''}</div>
    ${arrivals > 0
      ? html`<p><button type="button" part="button new-ideas" @click=${context.onShowArrivals}>${msg(str`${arrivalsText(arrivals)} — show`)}</button></p>`
      : nothing}
    ${ideas.items.length === 0 && !ideas.loading && !ideas.error
      ? html`<p class="hint">${context.filtered ? msg('No idea matches your search or filters.') : context.isOpen ? msg('No ideas yet — be the first to propose one.') : msg('No ideas.')}</p>`
      : html`<ul part="list" class="list" data-layout=${context.layout} @click=${context.onIdeaAction}>
          ${repeat(ideas.items, (idea) => idea.id, (idea) => card(context, idea))}
        </ul>`}
    ${ideas.error
      ? context.renderError(ideas.error, context.onRetryList)
      : ideas.loading
        ? html`<p class="loading" role="status">${msg('Loading ideas…')}</p>`
        : ideas.nextCursor
          ? html`<p><button type="button" part="button" @click=${context.onMore}>${msg('Show more ideas')}</button></p>`
          : nothing}
  </section>`;
}
