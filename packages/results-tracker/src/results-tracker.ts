import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  LiveController,
  PROJECT_MAX_PAGE_SIZE,
  PROJECT_PAGE_SIZE,
  councilHtml, prepareCouncilHtml,
  focusAfterRender,
  formatDate,
  formatNumber,
  RestAdapter,
  heading,
  skipPast,
  skipPastEnd,
  skipPastStyles,
  plural,
  prepareFormatters,
  registerTranslations,
  type ContributionFate,
  type ProjectQuery,
  type ProjectSort,
  type ProjectStatus,
  type TrackedProject,
  type Tracker,
  type TrackerLiveEvent,
  PagedList,
  lazy,
} from '@civic-widgets/core';
// The tracker routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/tracker.js';
import { resultsTrackerStyles } from './results-tracker.styles.js';
import {
  SORTS,
  STATUSES,
  badge,
  budgetText,
  meter,
  money,
  originsSummary,
  periodText,
  progressText,
  projectsText,
  resultsText,
  safeImage,
  sortLabel,
  statusLabel,
} from './wording.js';
import type { TrackerViews } from './views.js';

registerTranslations('results-tracker', { fr: () => import('./locales/fr.js') });

/** The detail of `civic-project-selected`. */
export interface CivicProjectSelectedDetail {
  trackerId: string;
  projectId: string;
  /** Where the citizen opened it from. */
  from: 'list' | 'contributions';
}

const SEARCH_DELAY = 300;

/** The detail, timeline and contribution views: a chunk of their own, fetched on first use. */
const loadViews: () => Promise<TrackerViews> = lazy(() => import('./views.js').then((module) => module.views));

/** The discussion element is a package of its own, fetched when a citizen opens a discussion. */
const defineCommentThread = lazy(() => import('@civic-widgets/comment-thread/define.js'));

const projectAnchor = (id: string) => `project-${id}`;

/** Newest first, without repeats: a live update adds to the timeline already read. */
function mergeUpdates(known: TrackedProject['updates'], fresh: TrackedProject['updates']): TrackedProject['updates'] {
  const byId = new Map([...known, ...fresh].map((update) => [update.id, update]));
  return [...byId.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/**
 * A results tracker: the projects a council runs, with their status, progress, budget, dates and
 * timeline of updates; where each came from (ideas, polls, map reports, discussions); an overview
 * of all projects by status as a chart and a table; a feed to follow; and, for each citizen, what
 * became of their own contributions.
 *
 * @tagname civic-results-tracker
 * @summary An accessible, embeddable tracker of a council's projects and of what became of citizens' contributions.
 *
 * @fires {CustomEvent<CivicProjectSelectedDetail>} civic-project-selected - The citizen opened a project: `{ trackerId, projectId, from: 'list' | 'contributions' }`.
 * @fires {CustomEvent<CivicErrorDetail>} civic-error - An error is shown: `{ error, during: 'load' | 'project' | 'contributions' | 'discussion' }`.
 *
 * @csspart skip-past - The "skip past" link at the start of the widget.
 * @csspart header - The tracker's title, description and count.
 * @csspart title - The tracker's heading (at `heading-level`).
 * @csspart count - The number of projects.
 * @csspart overview - The totals by status: chart and table.
 * @csspart chart - The bar chart of the overview.
 * @csspart track - The track of a bar.
 * @csspart bar - A bar of the chart, and the filled part of a progress meter.
 * @csspart table - The overview as a table.
 * @csspart follow - The feed link and its explanation.
 * @csspart toolbar - Search, sort and filters.
 * @csspart search - The search field.
 * @csspart input - Every field and select.
 * @csspart list - The list of projects.
 * @csspart project - One project in the list.
 * @csspart project-title - A project's heading.
 * @csspart image - A project's image.
 * @csspart badge - A project's status.
 * @csspart tag - A project's district or category.
 * @csspart meter - A project's progress.
 * @csspart summary - A project's summary.
 * @csspart meta - Budget, dates and latest update.
 * @csspart origins - Where a project came from.
 * @csspart detail - A project opened in place.
 * @csspart timeline - The council's updates of a project.
 * @csspart update - One update of the timeline.
 * @csspart contributions - What became of the citizen's contributions.
 * @csspart contribution - One contribution.
 * @csspart outcome - What became of a contribution.
 * @csspart answer - The council's answer to a contribution.
 * @csspart button - Every button.
 * @csspart new-projects - The "new projects — show" button.
 * @csspart status - Loading lines.
 * @csspart error - An error message.
 */
export class CivicResultsTracker extends CivicElement {
  static override styles = [CivicElement.styles, resultsTrackerStyles, skipPastStyles];

  private readonly adapterController = new AdapterController(this, 'tracker', (adapter) => {
    if (adapter) void this.load();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  protected readonly live = new LiveController<TrackerLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.data && this.tracker ? `tracker:${this.tracker}:projects` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

  /** The tracker's id. */
  @property({ reflect: true }) tracker?: string;

  /** Level of the tracker's heading, 2–6: the page around it owns the h1. Projects take the next level. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Initial order of the projects. */
  @property() sort: ProjectSort = 'updated';

  /** Projects per page (at most 50). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = PROJECT_PAGE_SIZE;

  /**
   * Address of the tracker's Atom feed. By default, with a REST backend, `<endpoint>/trackers/<id>/feed.atom`;
   * other backends have no feed unless this is set.
   */
  @property({ attribute: 'feed-url' }) feedUrl?: string;

  @state() private data?: Tracker;
  @state() private loadError?: CivicError;
  @state() private status: ProjectStatus | '' = '';
  @state() private district = '';
  @state() private category = '';
  @state() private query = '';
  @state() private asTable = false;
  /** The project opened in place, with its whole timeline. */
  @state() private opened?: TrackedProject;
  /** The project being fetched, and why it could not be. */
  @state() private opening?: string;
  @state() private openError?: { id: string; error: CivicError };
  @state() private discussing = false;
  @state() private discussionError?: CivicError;
  @state() private contributing = false;
  @state() private contributions: ContributionFate[] = [];
  @state() private contributionsCursor?: string;
  @state() private contributionsLoading = false;
  @state() private contributionsError?: CivicError;
  @state() private views?: TrackerViews;
  /** Polite announcement of search results. */
  @state() private announcement = '';
  /** Polite announcement of live changes, apart so that one does not cut the other. */
  @state() private liveNews = '';

  private readonly projects = new PagedList<TrackedProject>(this, {
    key: (project) => project.id,
    onError: (error) => this.reportError(error, 'load'),
  });
  private contributionsTicket = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private focusAfterUpdate?: string;
  private focusedBeforeUpdate?: Element | null;
  private pending?: Promise<unknown>;
  /** Where focus returns when the open view closes. */
  private returnTo?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.searchTimer);
  }

  /** Also waits for what a citizen asked for: a project, the contributions, the discussion. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.pending) {
      const pending = this.pending;
      await pending.catch(() => undefined);
      if (this.pending === pending) this.pending = undefined;
      complete = (await super.getUpdateComplete()) && complete;
    }
    return complete;
  }

  private readonly onOnline = (): void => {
    if (this.loadError?.transient) void this.load();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tracker') && changed.get('tracker') !== undefined) this.reset();
    else if (changed.has('sort') && changed.get('sort') !== undefined) void this.loadProjects();
    this.focusedBeforeUpdate = this.shadowRoot?.activeElement;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('tracker') && changed.get('tracker') !== undefined) void this.load();
    const wanted = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    focusAfterRender(this.renderRoot, wanted, this.focusedBeforeUpdate, '#title');
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.data = this.loadError = this.opened = this.opening = this.openError = undefined;
    this.projects.clear();
    this.contributions = [];
    this.contributionsCursor = this.contributionsError = undefined;
    this.status = this.district = this.category = this.query = '';
    this.discussing = this.contributing = false;
  }

  private get listQuery(): ProjectQuery {
    const query: ProjectQuery = { sort: this.sort, limit: Math.min(PROJECT_MAX_PAGE_SIZE, Math.max(1, this.pageSize || PROJECT_PAGE_SIZE)) };
    if (this.status) query.status = this.status;
    if (this.district) query.district = this.district;
    if (this.category) query.category = this.category;
    if (this.query.trim()) query.q = this.query.trim();
    return query;
  }

  private get filtered(): boolean {
    return !!(this.status || this.district || this.category || this.query.trim());
  }

  private async load(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id) return;
    const ticket = this.projects.begin();
    this.loadError = undefined;
    try {
      const answers = Promise.all([domain.getTracker(id), domain.listProjects(id, this.listQuery)]);
      prepareFormatters();
      const [data, page] = await answers;
      // Its council text comes in the same render as the rest, not a moment later, pushing it down.
      if (data.description) await prepareCouncilHtml();
      if (!this.projects.current(ticket)) return;
      this.data = data;
      this.projects.show(page);
    } catch (thrown) {
      if (!this.projects.current(ticket)) return;
      this.loadError = CivicError.from(thrown);
      this.reportError(this.loadError, 'load');
    }
  }

  /** The first page again, in the current order and with the current filters. */
  private async loadProjects(announce = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id || !this.data) return;
    const page = await this.projects.reload(() => domain.listProjects(id, this.listQuery));
    if (page && announce) this.announcement = resultsText(page.total ?? page.items.length);
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id) return;
    await this.projects.more(
      (cursor) => domain.listProjects(id, { ...this.listQuery, cursor }),
      ([first]) => {
        if (first) this.focusAfterUpdate = `#${CSS.escape(projectAnchor(first.id))}`;
      },
    );
  }

  /** The overview again, quietly: a live change moved its totals. */
  private async refreshOverview(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id) return;
    try {
      const data = await domain.getTracker(id);
      if (id === this.tracker && this.data) this.data = data;
    } catch {
      // The totals shown stay those of the last reading; the projects themselves are up to date.
    }
  }

  /** Waits for `work` in updateComplete, so that callers and tests see its outcome rendered. */
  private track<T>(work: Promise<T>): Promise<T> {
    const previous = this.pending;
    this.pending = previous ? Promise.allSettled([previous, work]) : work;
    return work;
  }

  // ------------------------------------------------------------------ live

  private receive(event: TrackerLiveEvent): void {
    const project = event.project;
    if (project.trackerId !== this.tracker) return;
    void this.refreshOverview();
    const known = this.projects.get(project.id);
    if (!known && this.opened?.id !== project.id) {
      if (event.type === 'created' && this.projects.arrive(project)) this.liveNews = this.arrivalsText(this.projects.arrivals.length);
      return;
    }
    if (known) this.projects.replace(project);
    if (this.opened?.id === project.id) this.opened = { ...project, updates: mergeUpdates(this.opened.updates, project.updates) };
    const title = project.title;
    const status = statusLabel(project.status, this.data);
    const progress = progressText(project.progress);
    this.liveNews = msg(str`Updated: ${title} — ${status}, ${progress}.`);
  }

  private showArrivals(): void {
    // The reader asked for them: focus goes to the newest.
    const newest = this.projects.takeArrivals().at(-1);
    if (newest) this.focusAfterUpdate = `#${CSS.escape(projectAnchor(newest.id))}`;
  }

  private arrivalsText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      one: msg(str`${n} new project`, { id: 'project-new-one' }),
      other: msg(str`${n} new projects`, { id: 'project-new-other' }),
    });
  }

  // ------------------------------------------------------------------ citizen actions

  private search(value: string): void {
    this.query = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.loadProjects(true), SEARCH_DELAY);
  }

  private filter(change: { status?: ProjectStatus | ''; district?: string; category?: string }): void {
    if (change.status !== undefined) this.status = change.status;
    if (change.district !== undefined) this.district = change.district;
    if (change.category !== undefined) this.category = change.category;
    void this.loadProjects(true);
  }

  /** Opens a project in place with its whole timeline; `returnTo` is where Back puts focus. */
  private open(projectId: string, from: CivicProjectSelectedDetail['from'], returnTo: string): void {
    const domain = this.adapterController.domain;
    const trackerId = this.tracker;
    if (!domain || !trackerId || this.opening) return;
    this.opening = projectId;
    this.openError = undefined;
    this.emit('civic-project-selected', { trackerId, projectId, from });
    void this.track(
      Promise.all([domain.getProject(projectId), loadViews()]).then(
        ([project, views]) => {
          this.views = views;
          this.opened = project;
          this.opening = undefined;
          this.returnTo = returnTo;
          this.discussing = false;
          this.discussionError = undefined;
          this.focusAfterUpdate = '#detail-title';
        },
        (thrown: unknown) => {
          const error = CivicError.from(thrown);
          this.opening = undefined;
          this.openError = { id: projectId, error };
          this.reportError(error, 'project');
        },
      ),
    );
  }

  private close(): void {
    this.opened = undefined;
    this.discussing = false;
    this.focusAfterUpdate = this.returnTo ?? '#title';
    this.returnTo = undefined;
  }

  private discuss(): void {
    if (this.discussing) {
      this.discussing = false;
      return;
    }
    this.discussing = true;
    this.discussionError = undefined;
    void this.track(
      defineCommentThread().then(
        () => this.requestUpdate(),
        (cause: unknown) => {
          this.discussing = false;
          this.discussionError = new CivicError('network', 'The discussion could not be loaded', { cause });
          this.reportError(this.discussionError, 'discussion');
        },
      ),
    );
  }

  private showContributions(): void {
    this.contributing = true;
    this.focusAfterUpdate = '#contributions-title';
    void this.loadContributions();
  }

  private hideContributions(): void {
    this.contributing = false;
    this.focusAfterUpdate = '#my-contributions';
  }

  /** The first page of the citizen's contributions, or the next one with `more`. */
  private async loadContributions(more = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id) return;
    const ticket = ++this.contributionsTicket;
    const cursor = more ? this.contributionsCursor : undefined;
    this.contributionsLoading = true;
    this.contributionsError = undefined;
    const work = Promise.all([domain.myContributions(id, cursor ? { cursor } : {}), loadViews().catch((cause: unknown) => Promise.reject(new CivicError('network', 'The view could not be loaded', { cause })))]);
    try {
      const [page, views] = await this.track(work);
      if (ticket !== this.contributionsTicket) return;
      this.views = views;
      const start = more ? this.contributions.length : 0;
      this.contributions = more ? [...this.contributions, ...page.items] : page.items;
      this.contributionsCursor = page.nextCursor;
      if (more && page.items.length > 0) this.focusAfterUpdate = `#fate-${start}`;
      else if (!more) this.focusAfterUpdate = '#contributions-title';
    } catch (thrown) {
      if (ticket !== this.contributionsTicket) return;
      this.contributionsError = CivicError.from(thrown);
      this.reportError(this.contributionsError, 'contributions');
    } finally {
      if (ticket === this.contributionsTicket) this.contributionsLoading = false;
    }
  }

  /** One listener for the projects of the list: templates stay cheap on long lists. */
  private onListClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action=open]');
    const id = button?.dataset.id;
    if (id) this.open(id, 'list', `#${CSS.escape(projectAnchor(id))} [data-action=open]`);
  }

  // ------------------------------------------------------------------ feed

  /** The Atom feed: the attribute, or the REST backend's own, or none. */
  private get feed(): string | undefined {
    if (this.feedUrl) return this.feedUrl;
    const adapter = this.adapterController.adapter;
    if (!(adapter instanceof RestAdapter) || !this.tracker) return undefined;
    return `${adapter.baseUrl}/trackers/${encodeURIComponent(this.tracker)}/feed.atom`;
  }

  // ------------------------------------------------------------------ rendering

  private renderHeader(tracker: Tracker) {
    const count = this.projects.total ?? this.projects.items.length;
    return html`<header part="header">
      ${heading(this.headingLevel, tracker.title || msg('Projects'), { id: 'title', part: 'title', focusable: true })}
      ${tracker.description ? html`<div class="description">${councilHtml(tracker.description)}</div>` : nothing}
      <p part="count" id="count">${this.filtered ? resultsText(count) : projectsText(count)}</p>
    </header>`;
  }

  private renderOverview(tracker: Tracker) {
    const rows = STATUSES.map(
      (status) => tracker.overview.find((total) => total.status === status) ?? { status, projects: 0, budgetPlanned: 0, budgetSpent: 0 },
    );
    const most = Math.max(1, ...rows.map((row) => row.projects));
    const largest = Math.max(1, ...rows.map((row) => Math.max(row.budgetPlanned, row.budgetSpent)));
    const currency = tracker.currency;
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    const width = (value: number, of: number) => styleMap({ inlineSize: `${(100 * value) / of}%` });
    return html`<section part="overview" class="overview" aria-labelledby="overview-title">
      ${heading(this.headingLevel + 1, msg('Overview'), { id: 'overview-title' })}
      <p>
        <button type="button" part="button" id="as-table" aria-pressed=${this.asTable ? 'true' : 'false'} @click=${() => (this.asTable = !this.asTable)}>
          ${msg('Show as a table')}
        </button>
      </p>
      ${this.asTable
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

  private renderFollow() {
    const feed = this.feed;
    return html`<div class="follow-row">
      <p>
        <button type="button" part="button" id="my-contributions" @click=${this.showContributions}>${msg('What became of my contributions?')}</button>
      </p>
      ${feed
        ? html`<p part="follow" class="follow">
            <a href=${feed} type="application/atom+xml">${msg('Follow the updates (Atom feed)')}</a>
            <span class="hint">${msg('Paste this address into a feed reader to hear of every update. No account or email address needed.')}</span>
          </p>`
        : nothing}
    </div>`;
  }

  private renderToolbar(tracker: Tracker) {
    return html`<div part="toolbar" class="toolbar" role="search" aria-label=${msg('Find projects')}>
      <div class="field">
        <label for="search">${msg('Search projects')}</label>
        <input id="search" part="search input" type="search" .value=${this.query} @input=${(event: Event) => this.search((event.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="sort">${msg('Sort')}</label>
        <select id="sort" part="input" @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as ProjectSort)}>
          ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === this.sort}>${sortLabel(sort)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="status">${msg('Status')}</label>
        <select id="status" part="input" @change=${(event: Event) => this.filter({ status: (event.target as HTMLSelectElement).value as ProjectStatus | '' })}>
          <option value="" ?selected=${!this.status}>${msg('All statuses')}</option>
          ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === this.status}>${statusLabel(status, tracker)}</option>`)}
        </select>
      </div>
      ${tracker.districts.length > 0
        ? html`<div class="field">
            <label for="district">${msg('District')}</label>
            <select id="district" part="input" @change=${(event: Event) => this.filter({ district: (event.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!this.district}>${msg('All districts')}</option>
              ${tracker.districts.map((district) => html`<option value=${district} ?selected=${district === this.district}>${district}</option>`)}
            </select>
          </div>`
        : nothing}
      ${tracker.categories.length > 0
        ? html`<div class="field">
            <label for="category">${msg('Category')}</label>
            <select id="category" part="input" @change=${(event: Event) => this.filter({ category: (event.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!this.category}>${msg('All categories')}</option>
              ${tracker.categories.map((category) => html`<option value=${category} ?selected=${category === this.category}>${category}</option>`)}
            </select>
          </div>`
        : nothing}
    </div>`;
  }

  private renderProject(project: TrackedProject, tracker: Tracker): TemplateResult {
    const anchor = projectAnchor(project.id);
    const image = safeImage(project.imageUrl);
    const budget = budgetText(project, tracker.currency);
    const period = periodText(project);
    const origins = originsSummary(project.origins);
    const latest = project.updates[0];
    const openError = this.openError?.id === project.id ? this.openError.error : undefined;
    return html`<li>
      <article id=${anchor} part="project" tabindex="-1" aria-labelledby=${`${anchor}-title`}>
        ${image ? html`<img part="image" class="image" src=${image} alt=${project.imageAlt ?? ''} loading="lazy" />` : nothing}
        ${heading(
          this.headingLevel + 2,
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
        ${this.opening === project.id ? html`<p class="loading" part="status">${msg('Opening the project…')}</p>` : nothing}
        ${openError ? this.renderError(openError, () => this.open(project.id, 'list', `#${CSS.escape(anchor)} [data-action=open]`)) : nothing}
      </article>
    </li>`;
  }

  private renderList(tracker: Tracker) {
    const arrivals = this.projects.arrivals.length;
    return html`<section aria-labelledby="projects-title" class="projects">
      ${heading(this.headingLevel + 1, msg('Projects'), { id: 'projects-title', part: 'list-title' })}
      ${arrivals > 0
        ? html`<p><button type="button" part="button new-projects" @click=${this.showArrivals}>${msg(str`${this.arrivalsText(arrivals)} — show`)}</button></p>`
        : nothing}
      ${this.projects.items.length === 0 && !this.projects.loading && !this.projects.error
        ? html`<p class="hint" id="empty">${this.filtered ? msg('No project matches your search or filters.') : msg('The council has not published any project here yet.')}</p>`
        : html`<ul part="list" class="list" @click=${this.onListClick}>
            ${repeat(this.projects.items, (project) => project.id, (project) => this.renderProject(project, tracker))}
          </ul>`}
      ${this.projects.error
        ? this.renderError(this.projects.error, () => void (this.projects.nextCursor ? this.loadMore() : this.loadProjects()))
        : this.projects.loading
          ? html`<p class="loading" part="status" role="status">${msg('Loading projects…')}</p>`
          : this.projects.nextCursor
            ? html`<p><button type="button" part="button" id="more" @click=${this.loadMore}>${msg('Show more projects')}</button></p>`
            : nothing}
    </section>`;
  }

  private renderOpenView(tracker: Tracker) {
    const views = this.views;
    const opened = this.opened;
    if (opened && views) {
      return views.project(
        {
          tracker,
          headingLevel: this.headingLevel,
          adapter: this.adapterController.adapter,
          backLabel: this.contributing ? msg('Back to my contributions') : msg('Back to all projects'),
          discussing: this.discussing,
          discussionError: this.discussionError,
          onBack: () => this.close(),
          onDiscuss: () => this.discuss(),
          renderError: (error, retry) => this.renderError(error, retry),
        },
        opened,
      );
    }
    if (views) {
      return views.contributions({
        tracker,
        headingLevel: this.headingLevel,
        contributions: this.contributions,
        loading: this.contributionsLoading,
        error: this.contributionsError,
        hasMore: !!this.contributionsCursor,
        onBack: () => this.hideContributions(),
        onMore: () => void this.loadContributions(true),
        onRetry: () => void this.loadContributions(this.contributions.length > 0),
        onOpenProject: (projectId, index) => this.open(projectId, 'contributions', `#fate-${index} [data-action=open-project]`),
        opening: this.opening,
        openError: this.openError,
        renderError: (error, retry) => this.renderError(error, retry),
      });
    }
    // The views' chunk is still on its way (or failed): the same heading, so that focus has a place.
    const error = this.contributionsError;
    return html`<section part="contributions" class="detail" aria-labelledby="contributions-title">
      <p><button type="button" part="button" id="back" @click=${this.hideContributions}>${msg('Back to all projects')}</button></p>
      ${heading(this.headingLevel + 1, msg('What became of my contributions'), { id: 'contributions-title', focusable: true })}
      ${error
        ? this.renderError(error, () => void this.loadContributions())
        : html`<p class="loading" part="status">${msg('Loading your contributions…')}</p>`}
    </section>`;
  }

  /**
   * What the tracker is busy with, said by a live region that is there from the start: a message
   * inserted already filled is not announced.
   */
  private get busyText(): string {
    if (this.opening) return msg('Opening the project…');
    if (this.contributing && this.contributionsLoading) return msg('Loading your contributions…');
    return '';
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    if (this.loadError) {
      const error = this.loadError;
      return this.renderError(error, error.transient ? () => void this.load() : undefined);
    }
    const tracker = this.data;
    if (!tracker) return html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the projects…')}</p>`;
    return html`<div class="tracker">
      ${skipPast(msg('Skip past the projects'))} ${this.renderHeader(tracker)}
      ${this.opened || this.contributing
        ? this.renderOpenView(tracker)
        : html`${this.renderOverview(tracker)} ${this.renderFollow()} ${this.renderToolbar(tracker)} ${this.renderList(tracker)}`}
      <div id="announcement" class="visually-hidden" role="status">${this.announcement}</div>
      <div id="live" class="visually-hidden" aria-live="polite">${this.liveNews}</div>
      <div id="busy" class="visually-hidden" role="status">${this.busyText}</div>
      ${skipPastEnd(msg('End of the projects'))}
    </div>`;
  }
}
