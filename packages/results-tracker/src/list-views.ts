import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import {
  councilHtml,
  formatDate,
  formatNumber,
  heading,
  type CivicError,
  type PagedList,
  type ProjectSort,
  type ProjectStatus,
  type TrackedProject,
  type Tracker,
} from '@civic-widgets/core';
import {
  SORTS,
  STATUSES,
  badge,
  budgetText,
  meter,
  money,
  originsSummary,
  periodText,
  projectsText,
  resultsText,
  safeImage,
  sortLabel,
  statusLabel,
} from './wording.js';

/*
 * The tracker's first screen: its header, the overview by status, the feed, the search and filters
 * and the list of projects, as plain functions of what the element holds. The views a citizen
 * opens from there are in ./views.ts, a chunk of their own.
 */

export const projectAnchor = (id: string) => `project-${id}`;

export interface ProjectFilters {
  status?: ProjectStatus | '';
  district?: string;
  category?: string;
}

export interface ListContext {
  headingLevel: number;
  projects: PagedList<TrackedProject>;
  /** A search or a filter narrows the list. */
  filtered: boolean;
  asTable: boolean;
  query: string;
  sort: ProjectSort;
  status: ProjectStatus | '';
  district: string;
  category: string;
  /** The Atom feed's address, when there is one. */
  feed?: string;
  /** The project being opened. */
  opening?: string;
  openError?: { id: string; error: CivicError };
  arrivalsText(count: number): string;
  renderError(error: CivicError, retry?: () => void): TemplateResult;
  onToggleTable(): void;
  onShowContributions(): void;
  onSearch(value: string): void;
  onSort(sort: ProjectSort): void;
  onFilter(change: ProjectFilters): void;
  onShowArrivals(): void;
  /** One listener for the projects of the list: templates stay cheap on long lists. */
  onListClick(event: Event): void;
  onOpen(projectId: string, returnTo: string): void;
  onMore(): void;
  onRetryList(): void;
}

export function header(ctx: ListContext, tracker: Tracker) {
  const count = ctx.projects.total ?? ctx.projects.items.length;
  return html`<header part="header">
    ${heading(ctx.headingLevel, tracker.title || msg('Projects'), { id: 'title', part: 'title', focusable: true })}
    ${tracker.description ? html`<div class="description">${councilHtml(tracker.description)}</div>` : nothing}
    <p part="count" id="count">${ctx.filtered ? resultsText(count) : projectsText(count)}</p>
  </header>`;
}

export function overview(ctx: ListContext, tracker: Tracker) {
  const rows = STATUSES.map(
    (status) => tracker.overview.find((total) => total.status === status) ?? { status, projects: 0, budgetPlanned: 0, budgetSpent: 0 },
  );
  const most = Math.max(1, ...rows.map((row) => row.projects));
  const largest = Math.max(1, ...rows.map((row) => Math.max(row.budgetPlanned, row.budgetSpent)));
  const currency = tracker.currency;
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const width = (value: number, of: number) => styleMap({ inlineSize: `${(100 * value) / of}%` });
  return html`<section part="overview" class="overview" aria-labelledby="overview-title">
    ${heading(ctx.headingLevel + 1, msg('Overview'), { id: 'overview-title' })}
    <p>
      <button type="button" part="button" id="as-table" aria-pressed=${ctx.asTable ? 'true' : 'false'} @click=${ctx.onToggleTable}>
        ${msg('Show as a table')}
      </button>
    </p>
    ${ctx.asTable
      ? html`<table part="table" id="overview-table">
          <caption>${msg('Projects and budgets by status')}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('Status')}</th>
              <th scope="col">${msg('Projects')}</th>
              <th scope="col">${msg('Budget planned')}</th>
              <th scope="col">${msg('Budget spent')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (row) => html`<tr data-status=${row.status}>
                <th scope="row">${statusLabel(row.status, tracker)}</th>
                <td data-value="projects">${formatNumber(row.projects)}</td>
                <td data-value="planned">${money(row.budgetPlanned, currency)}</td>
                <td data-value="spent">${money(row.budgetSpent, currency)}</td>
              </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">${msg('Total')}</th>
              <td>${formatNumber(sum((row) => row.projects))}</td>
              <td>${money(sum((row) => row.budgetPlanned), currency)}</td>
              <td>${money(sum((row) => row.budgetSpent), currency)}</td>
            </tr>
          </tfoot>
        </table>`
      : html`<figure part="chart" class="chart" id="overview-chart">
          <figcaption>${msg('Projects and budgets by status')}</figcaption>
          <ul class="rows">
            ${rows.map((row) => {
              const label = statusLabel(row.status, tracker);
              const planned = money(row.budgetPlanned, currency);
              const spent = money(row.budgetSpent, currency);
              return html`<li class="row" data-status=${row.status}>
                <span class="label">${label}</span>
                <span class="line">
                  <span class="value" data-value="projects">${projectsText(row.projects)}</span>
                  <span part="track" class="track"><span part="bar" class="bar count" style=${width(row.projects, most)}></span></span>
                </span>
                <span class="line">
                  <span class="value" data-value="budget">${msg(str`${planned} planned, ${spent} spent`)}</span>
                  <span part="track" class="track"
                    ><span part="bar" class="bar planned" style=${width(row.budgetPlanned, largest)}></span
                    ><span part="bar" class="bar spent" style=${width(row.budgetSpent, largest)}></span
                  ></span>
                </span>
              </li>`;
            })}
          </ul>
        </figure>`}
  </section>`;
}

export function follow(ctx: ListContext) {
  const feed = ctx.feed;
  return html`<div class="follow-row">
    <p>
      <button type="button" part="button" id="my-contributions" @click=${ctx.onShowContributions}>${msg('What became of my contributions?')}</button>
    </p>
    ${feed
      ? html`<p part="follow" class="follow">
          <a href=${feed} type="application/atom+xml">${msg('Follow the updates (Atom feed)')}</a>
          <span class="hint">${msg('Paste this address into a feed reader to hear of every update. No account or email address needed.')}</span>
        </p>`
      : nothing}
  </div>`;
}

export function toolbar(ctx: ListContext, tracker: Tracker) {
  return html`<div part="toolbar" class="toolbar" role="search" aria-label=${msg('Find projects')}>
    <div class="field">
      <label for="search">${msg('Search projects')}</label>
      <input id="search" part="search input" type="search" .value=${ctx.query} @input=${(event: Event) => ctx.onSearch((event.target as HTMLInputElement).value)} />
    </div>
    <div class="field">
      <label for="sort">${msg('Sort')}</label>
      <select id="sort" part="input" @change=${(event: Event) => ctx.onSort((event.target as HTMLSelectElement).value as ProjectSort)}>
        ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === ctx.sort}>${sortLabel(sort)}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="status">${msg('Status')}</label>
      <select id="status" part="input" @change=${(event: Event) => ctx.onFilter({ status: (event.target as HTMLSelectElement).value as ProjectStatus | '' })}>
        <option value="" ?selected=${!ctx.status}>${msg('All statuses')}</option>
        ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === ctx.status}>${statusLabel(status, tracker)}</option>`)}
      </select>
    </div>
    ${tracker.districts.length > 0
      ? html`<div class="field">
          <label for="district">${msg('District')}</label>
          <select id="district" part="input" @change=${(event: Event) => ctx.onFilter({ district: (event.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!ctx.district}>${msg('All districts')}</option>
            ${tracker.districts.map((district) => html`<option value=${district} ?selected=${district === ctx.district}>${district}</option>`)}
          </select>
        </div>`
      : nothing}
    ${tracker.categories.length > 0
      ? html`<div class="field">
          <label for="category">${msg('Category')}</label>
          <select id="category" part="input" @change=${(event: Event) => ctx.onFilter({ category: (event.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!ctx.category}>${msg('All categories')}</option>
            ${tracker.categories.map((category) => html`<option value=${category} ?selected=${category === ctx.category}>${category}</option>`)}
          </select>
        </div>`
      : nothing}
  </div>`;
}

function projectItem(ctx: ListContext, project: TrackedProject, tracker: Tracker): TemplateResult {
  const anchor = projectAnchor(project.id);
  const image = safeImage(project.imageUrl);
  const budget = budgetText(project, tracker.currency);
  const period = periodText(project);
  const origins = originsSummary(project.origins);
  const latest = project.updates[0];
  const openError = ctx.openError?.id === project.id ? ctx.openError.error : undefined;
  return html`<li>
    <article id=${anchor} part="project" tabindex="-1" aria-labelledby=${`${anchor}-title`}>
      ${image ? html`<img part="image" class="image" src=${image} alt=${project.imageAlt ?? ''} loading="lazy" />` : nothing}
      ${heading(
        ctx.headingLevel + 2,
        html`<button type="button" class="link" id=${`${anchor}-title`} data-action="open" data-id=${project.id}>${project.title}</button>`,
        { part: 'project-title' },
      )}
      <p class="tags">
        ${badge(project.status, tracker)}
        ${project.district ? html`<span part="tag" class="tag">${project.district}</span>` : nothing}
        ${project.category ? html`<span part="tag" class="tag">${project.category}</span>` : nothing}
      </p>
      ${meter(project.progress)}
      ${project.summary ? html`<p part="summary" class="summary">${project.summary}</p>` : nothing}
      ${budget || period ? html`<p part="meta" class="meta">${budget ? html`<span>${budget}</span>` : nothing} ${period ? html`<span>${period}</span>` : nothing}</p>` : nothing}
      ${origins ? html`<p part="origins" class="origins">${origins}</p>` : nothing}
      ${latest ? html`<p part="meta" class="meta">${msg(str`Latest update: ${formatDate(latest.at)}`)}</p>` : nothing}
      ${ctx.opening === project.id ? html`<p class="loading" part="status">${msg('Opening the project…')}</p>` : nothing}
      ${openError ? ctx.renderError(openError, () => ctx.onOpen(project.id, `#${CSS.escape(anchor)} [data-action=open]`)) : nothing}
    </article>
  </li>`;
}

export function list(ctx: ListContext, tracker: Tracker) {
  const arrivals = ctx.projects.arrivals.length;
  return html`<section aria-labelledby="projects-title" class="projects">
    ${heading(ctx.headingLevel + 1, msg('Projects'), { id: 'projects-title', part: 'list-title' })}
    ${arrivals > 0
      ? html`<p><button type="button" part="button new-projects" @click=${ctx.onShowArrivals}>${msg(str`${ctx.arrivalsText(arrivals)} — show`)}</button></p>`
      : nothing}
    ${ctx.projects.items.length === 0 && !ctx.projects.loading && !ctx.projects.error
      ? html`<p class="hint" id="empty">${ctx.filtered ? msg('No project matches your search or filters.') : msg('The council has not published any project here yet.')}</p>`
      : html`<ul part="list" class="list" @click=${ctx.onListClick}>
          ${repeat(ctx.projects.items, (project) => project.id, (item) => projectItem(ctx, item, tracker))}
        </ul>`}
    ${ctx.projects.error
      ? ctx.renderError(ctx.projects.error, ctx.onRetryList)
      : ctx.projects.loading
        ? html`<p class="loading" part="status" role="status">${msg('Loading projects…')}</p>`
        : ctx.projects.nextCursor
          ? html`<p><button type="button" part="button" id="more" @click=${ctx.onMore}>${msg('Show more projects')}</button></p>`
          : nothing}
  </section>`;
}
