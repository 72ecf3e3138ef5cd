import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str } from '@lit/localize';
import {
  type CivicError,
  citizenText,
  councilHtml,
  formatDate,
  formatNumber,
  heading,
  plural,
  type GeoPoint,
  type MapCategoryField,
  type MapReport,
  type MapReportStatus,
  type PagedList,
  type ParticipatoryMap,
  type ParticipationAdapter,
} from '@civic-widgets/core';
import { mark } from './marks.js';
import { distanceMeters, distanceText } from './position.js';
import { arrivalsText, commentsText, countText, excerpt, followersText, resultsText, statusLabel } from './wording.js';

/*
 * What the map shows beside the map itself: its header and notices, the filters, the legend, the
 * list of reports, a report opened, and the reports near a point being placed. Plain functions of
 * what the element holds; the element keeps the state and the actions.
 */

export const STATUSES: MapReportStatus[] = ['open', 'acknowledged', 'in-progress', 'closed'];

export const reportAnchor = (id: string) => `report-${id}`;

export interface MapFilters {
  category?: string;
  status?: MapReportStatus | '';
  inView?: boolean;
}

export interface MapListContext {
  map: ParticipatoryMap;
  headingLevel: number;
  reports: PagedList<MapReport>;
  /** A filter narrows the list. */
  filtered: boolean;
  needsVerification: boolean;
  category: string;
  status: MapReportStatus | '';
  inView: boolean;
  /** The map is on screen. */
  mapShown: boolean;
  canFollow: boolean;
  opened?: MapReport;
  /** What came of following a report, said beside it. */
  notes: ReadonlyMap<string, { text: string; alert: boolean }>;
  nearby: readonly MapReport[];
  discussing: boolean;
  discussionError?: CivicError;
  adapter?: ParticipationAdapter;
  nameOf(report: MapReport): string;
  renderError(error: CivicError, retry?: () => void): TemplateResult;
  onFilter(change: MapFilters): void;
  onShowArrivals(): void;
  /** One listener for the reports of a list: templates stay cheap on long lists. */
  onListClick(event: Event): void;
  onMore(): void;
  onRetryList(): void;
  onClose(): void;
  onDiscuss(): void;
}

export function header(ctx: MapListContext, map: ParticipatoryMap) {
  const count = ctx.reports.total ?? ctx.reports.items.length;
  return html`<header part="header">
    ${heading(ctx.headingLevel, map.title || msg('Reports'), { id: 'title', part: 'title', focusable: true })}
    ${map.description ? html`<div class="description">${councilHtml(map.description)}</div>` : nothing}
    <p part="count" id="count">${ctx.filtered ? resultsText(count) : countText(count)}</p>
  </header>`;
}

export function notices(ctx: MapListContext, map: ParticipatoryMap) {
  if (map.closed) return html`<p part="notice">${msg('This map is closed: reports can still be read, but no new reports are accepted.')}</p>`;
  if (ctx.needsVerification) {
    return html`<p part="notice">${msg('Reporting on this map is for residents whose identity the town’s site has confirmed. Sign in on the town’s site, then come back to this page.')}</p>`;
  }
  return nothing;
}

export function toolbar(ctx: MapListContext, map: ParticipatoryMap) {
  return html`<div part="toolbar" class="toolbar" role="search" aria-label=${msg('Filter the reports')}>
    ${map.categories.length > 0
      ? html`<div class="field">
          <label for="category">${msg('Category')}</label>
          <select id="category" part="input" @change=${(event: Event) => ctx.onFilter({ category: (event.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!ctx.category}>${msg('All categories')}</option>
            ${map.categories.map((category) => html`<option value=${category.id} ?selected=${category.id === ctx.category}>${category.label}</option>`)}
          </select>
        </div>`
      : nothing}
    <div class="field">
      <label for="status">${msg('Status')}</label>
      <select id="status" part="input" @change=${(event: Event) => ctx.onFilter({ status: (event.target as HTMLSelectElement).value as MapReportStatus | '' })}>
        <option value="" ?selected=${!ctx.status}>${msg('All statuses')}</option>
        ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === ctx.status}>${statusLabel(status)}</option>`)}
      </select>
    </div>
    ${ctx.mapShown
      ? html`<div class="check">
          <input id="in-view" type="checkbox" .checked=${ctx.inView} @change=${(event: Event) => ctx.onFilter({ inView: (event.target as HTMLInputElement).checked })} />
          <label for="in-view">${msg('Only reports in the map’s view')}</label>
        </div>`
      : nothing}
  </div>`;
}

export function legend(map: ParticipatoryMap) {
  return html`<details part="legend" class="legend">
    <summary>${msg('Legend')}</summary>
    <ul>
      ${map.categories.map((category) => html`<li>${mark(map.categories, category.id)} ${category.label}</li>`)}
    </ul>
    <ul>
      ${STATUSES.map((status) => html`<li>${mark([], '', status)} ${statusLabel(status)}</li>`)}
    </ul>
  </details>`;
}

function badge(report: MapReport) {
  return html`<span part="badge" class="badge" data-status=${report.status}>${statusLabel(report.status)}</span>`;
}

function category(ctx: MapListContext, report: MapReport) {
  const categories = ctx.map.categories;
  const category = categories.find((item) => item.id === report.categoryId);
  return html`<span part="category" class="category">${mark(categories, report.categoryId, report.status)} ${category?.label ?? msg('Report')}</span>`;
}

function follow(ctx: MapListContext, report: MapReport) {
  if (!ctx.canFollow) return html`<span>${followersText(report.followers)}</span>`;
  // The name stays the same whichever the state: aria-pressed says whether it is followed.
  return html`<button type="button" part="button follow" data-action="follow" data-id=${report.id} aria-pressed=${report.followedByMe ? 'true' : 'false'}>
    ${msg('Follow')}<span class="visually-hidden"> ${msg(str`the report “${ctx.nameOf(report)}”`)}</span> <span class="followers">${formatNumber(report.followers)}</span><span class="visually-hidden"> ${plural(report.followers, { one: msg('follower', { id: 'map-follower-unit-one' }), other: msg('followers', { id: 'map-follower-unit-other' }) })}</span>
  </button>`;
}

function note(ctx: MapListContext, id: string) {
  const note = ctx.notes.get(id);
  if (!note) return nothing;
  return html`<p class=${note.alert ? 'field-error' : 'hint'} role=${note.alert ? 'alert' : 'status'}>${note.text}</p>`;
}

function reportItem(ctx: MapListContext, report: MapReport): TemplateResult {
  const anchor = reportAnchor(report.id);
  const selected = ctx.opened?.id === report.id;
  return html`<li>
    <article id=${anchor} part="report" tabindex="-1" aria-labelledby=${`${anchor}-title`} aria-current=${selected ? 'true' : nothing}>
      ${heading(
        ctx.headingLevel + 2,
        html`<button type="button" class="link" id=${`${anchor}-title`} data-action="open" data-id=${report.id}>${ctx.nameOf(report)}</button>`,
        { part: 'report-title' },
      )}
      <p class="tags">${category(ctx, report)} ${badge(report)}</p>
      <p part="body" class="excerpt">${excerpt(report.description)}</p>
      ${report.point ? nothing : html`<p class="hint">${msg('Located by its address only: not on the map.')}</p>`}
      ${report.mine && report.moderation === 'pending' ? html`<p part="notice">${msg('Your report is awaiting moderation: only you can see it until a moderator approves it.')}</p>` : nothing}
      <p part="meta" class="meta">
        <span>${formatDate(report.createdAt)}</span> ${follow(ctx, report)} <span>${commentsText(report.comments)}</span>
      </p>
      ${note(ctx, report.id)}
    </article>
  </li>`;
}

export function list(ctx: MapListContext) {
  const arrivals = ctx.reports.arrivals.length;
  return html`<section aria-labelledby="list-title" class="reports">
    ${heading(ctx.headingLevel + 1, msg('List of reports'), { id: 'list-title', focusable: true })}
    <div class="visually-hidden" aria-live="polite">${arrivals > 0 ? arrivalsText(arrivals) : ''}</div>
    ${arrivals > 0
      ? html`<p><button type="button" part="button new-reports" @click=${ctx.onShowArrivals}>${msg(str`${arrivalsText(arrivals)} — show`)}</button></p>`
      : nothing}
    ${ctx.reports.items.length === 0 && !ctx.reports.loading && !ctx.reports.error
      ? html`<p class="hint">${ctx.filtered ? msg('No report matches these filters.') : ctx.map.closed ? msg('No reports.') : msg('No reports yet.')}</p>`
      : html`<ul part="list" class="list" @click=${ctx.onListClick}>
          ${repeat(ctx.reports.items, (report) => report.id, (report) => reportItem(ctx, report))}
        </ul>`}
    ${ctx.reports.error
      ? ctx.renderError(ctx.reports.error, ctx.onRetryList)
      : ctx.reports.loading
        ? html`<p class="loading" role="status">${msg('Loading reports…')}</p>`
        : ctx.reports.nextCursor
          ? html`<p><button type="button" part="button" @click=${ctx.onMore}>${msg('Show more reports')}</button></p>`
          : nothing}
  </section>`;
}

function attributes(ctx: MapListContext, report: MapReport) {
  const category = ctx.map.categories.find((item) => item.id === report.categoryId);
  const answers = (category?.fields ?? []).filter((field) => report.attributes?.[field.code] !== undefined);
  if (answers.length === 0) return nothing;
  const value = (field: MapCategoryField) => {
    const answer = report.attributes![field.code]!;
    if (field.type === 'checkbox') return answer === true || answer === 'true' ? msg('Yes') : msg('No');
    if (field.type === 'select') return field.options?.find((option) => option.value === String(answer))?.label ?? String(answer);
    return typeof answer === 'number' ? formatNumber(answer) : String(answer);
  };
  return html`<dl class="attributes">
    ${answers.map((field) => html`<div><dt>${field.label}</dt><dd>${value(field)}</dd></div>`)}
  </dl>`;
}

export function detail(ctx: MapListContext, report: MapReport) {
  return html`<section part="detail" class="detail" aria-labelledby="detail-title" @click=${ctx.onListClick}>
    <p><button type="button" part="button" id="back" @click=${ctx.onClose}>${msg('Back to the list')}</button></p>
    ${heading(ctx.headingLevel + 1, ctx.nameOf(report), { id: 'detail-title', part: 'report-title', focusable: true })}
    <p class="tags">${category(ctx, report)} ${badge(report)}</p>
    <p part="meta" class="meta">${msg(str`Reported on ${formatDate(report.createdAt)}`)}</p>
    ${report.mine && report.moderation === 'pending' ? html`<p part="notice">${msg('Your report is awaiting moderation: only you can see it until a moderator approves it.')}</p>` : nothing}
    <div part="body" class="body">${citizenText(report.description)}</div>
    ${attributes(ctx, report)}
    ${report.imageUrl && /^(https?:|data:image\/)/.test(report.imageUrl) ? html`<img class="image" src=${report.imageUrl} alt=${msg('Photo attached to the report')} />` : nothing}
    ${report.address ? html`<p><strong>${msg('Place:')}</strong> ${report.address}</p>` : nothing}
    ${report.point ? nothing : html`<p class="hint">${msg('Located by its address only: not on the map.')}</p>`}
    <section part="updates" class="updates" aria-labelledby="updates-title">
      ${heading(ctx.headingLevel + 2, msg('The council’s updates'), { id: 'updates-title' })}
      ${report.updates.length === 0
        ? html`<p class="hint">${msg('No update from the council yet.')}</p>`
        : html`<ol>
            ${report.updates.map(
              (update) => html`<li>
                <p class="meta">${formatDate(update.at)}${update.status ? html` — <span class="badge" data-status=${update.status}>${statusLabel(update.status)}</span>` : nothing}</p>
                <div>${councilHtml(update.body)}</div>
              </li>`,
            )}
          </ol>`}
    </section>
    <p part="meta" class="meta actions" id=${reportAnchor(report.id)}>${follow(ctx, report)}</p>
    ${note(ctx, report.id)}
    <p>
      <button type="button" part="button" id="discuss" aria-expanded=${ctx.discussing ? 'true' : 'false'} @click=${ctx.onDiscuss}>
        ${ctx.discussing ? msg('Hide the discussion') : msg(str`Discussion (${commentsText(report.comments)})`)}
      </button>
    </p>
    ${ctx.discussionError ? ctx.renderError(ctx.discussionError, ctx.onDiscuss) : nothing}
    ${ctx.discussing && customElements.get('civic-comment-thread')
      ? html`<civic-comment-thread
          thread=${`map-report:${report.id}`}
          heading-level=${Math.min(6, ctx.headingLevel + 2)}
          .adapter=${ctx.adapter}
        ></civic-comment-thread>`
      : ctx.discussing
        ? html`<p class="loading" role="status">${msg('Loading the discussion…')}</p>`
        : nothing}
  </section>`;
}

/** Reports near the point being placed: the same problem may already be reported. */
export function nearby(ctx: MapListContext, point: GeoPoint | undefined) {
  if (ctx.nearby.length === 0) return nothing;
  return html`<section part="nearby" class="nearby" aria-labelledby="nearby-title" @click=${ctx.onListClick}>
    <p id="nearby-title"><strong>${ctx.canFollow ? msg('Same problem? Follow it instead') : msg('Same problem? It may already be reported')}</strong></p>
    <ul>
      ${ctx.nearby.map(
        (report) => html`<li id=${`nearby-${report.id}`}>
          <p>
            ${category(ctx, report)} ${badge(report)}
            ${point && report.point ? html`<span class="meta">${msg(str`${distanceText(distanceMeters(point, report.point))} away`)}</span>` : nothing}
          </p>
          <p class="excerpt">${excerpt(report.description)}</p>
          ${follow(ctx, report)} ${note(ctx, report.id)}
        </li>`,
      )}
    </ul>
  </section>`;
}
