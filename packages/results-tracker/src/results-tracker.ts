import { html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  LiveController,
  PROJECT_MAX_PAGE_SIZE,
  PROJECT_PAGE_SIZE,
  prepareCouncilHtml,
  FocusController,
  ResourceController,
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
import { progressText, resultsText, statusLabel } from './wording.js';
import type { TrackerViews } from './views.js';
import * as views from './list-views.js';
import { projectAnchor, type ListContext } from './list-views.js';

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
    if (adapter) this.requestUpdate();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  /** The tracker with its first page of projects, read again when its id or backend changes. */
  private readonly resource = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.tracker] as const,
    task: async ([domain, id], signal) => {
      // The list's own ticket too: a sort or filter chosen while this read is under way wins.
      const ticket = this.projects.begin();
      const answers = Promise.all([domain!.getTracker(id!, { signal }), domain!.listProjects(id!, this.listQuery, { signal })]);
      prepareFormatters();
      const [data, page] = await answers;
      // Its council text comes in the same render as the rest, not a moment later, pushing it down.
      if (data.description) await prepareCouncilHtml();
      signal.throwIfAborted();
      if (this.projects.current(ticket)) this.projects.show(page);
      return data;
    },
    onReset: () => this.reset(),
    onError: (error) => this.reportError(error, 'load'),
  });

  private readonly focusControl = new FocusController(this, '#title');

  protected readonly live = new LiveController<TrackerLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.resource.value && this.tracker ? `tracker:${this.tracker}:projects` : undefined),
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
  private pending?: Promise<unknown>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sort') && changed.get('sort') !== undefined && !changed.has('tracker')) void this.loadProjects();
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.opened = this.opening = this.openError = undefined;
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

  /** The first page again, in the current order and with the current filters. */
  private async loadProjects(announce = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id || !this.resource.value) return;
    const page = await this.projects.reload((signal) => domain.listProjects(id, this.listQuery, { signal }));
    if (page && announce) this.announcement = resultsText(page.total ?? page.items.length);
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.tracker;
    if (!domain || !id) return;
    await this.projects.more(
      (cursor, signal) => domain.listProjects(id, { ...this.listQuery, cursor }, { signal }),
      ([first]) => {
        if (first) this.focusControl.after(`#${CSS.escape(projectAnchor(first.id))}`);
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
      if (id === this.tracker && this.resource.ready) this.resource.set(data);
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
    const status = statusLabel(project.status, this.resource.value);
    const progress = progressText(project.progress);
    this.liveNews = msg(str`Updated: ${title} — ${status}, ${progress}.`);
  }

  private showArrivals(): void {
    // The reader asked for them: focus goes to the newest.
    const newest = this.projects.takeArrivals().at(-1);
    if (newest) this.focusControl.after(`#${CSS.escape(projectAnchor(newest.id))}`);
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
          this.discussing = false;
          this.discussionError = undefined;
          this.focusControl.open('#detail-title', returnTo);
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
    this.focusControl.back();
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
    this.focusControl.after('#contributions-title');
    void this.loadContributions();
  }

  private hideContributions(): void {
    this.contributing = false;
    this.focusControl.after('#my-contributions');
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
      if (more && page.items.length > 0) this.focusControl.after(`#fate-${start}`);
      else if (!more) this.focusControl.after('#contributions-title');
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

  private get listContext(): ListContext {
    return {
      headingLevel: this.headingLevel,
      projects: this.projects,
      filtered: this.filtered,
      asTable: this.asTable,
      query: this.query,
      sort: this.sort,
      status: this.status,
      district: this.district,
      category: this.category,
      feed: this.feed,
      opening: this.opening,
      openError: this.openError,
      arrivalsText: (count) => this.arrivalsText(count),
      renderError: (error, retry) => this.renderError(error, retry),
      onToggleTable: () => (this.asTable = !this.asTable),
      onShowContributions: () => this.showContributions(),
      onSearch: (value) => this.search(value),
      onSort: (sort) => (this.sort = sort),
      onFilter: (change) => this.filter(change),
      onShowArrivals: () => this.showArrivals(),
      onListClick: (event) => this.onListClick(event),
      onOpen: (projectId, returnTo) => this.open(projectId, 'list', returnTo),
      onMore: () => void this.loadMore(),
      onRetryList: () => void (this.projects.nextCursor ? this.loadMore() : this.loadProjects()),
    };
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
    const loading = () => html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the projects…')}</p>`;
    return this.resource.render({
      initial: loading,
      pending: loading,
      error: (error) => this.renderError(error, error.transient ? () => void this.resource.run() : undefined),
      complete: (tracker) => this.renderTracker(tracker),
    });
  }

  private renderTracker(tracker: Tracker) {
    const list = this.listContext;
    return html`<div class="tracker">
      ${skipPast(msg('Skip past the projects'))} ${views.header(list, tracker)}
      ${this.opened || this.contributing
        ? this.renderOpenView(tracker)
        : html`${views.overview(list, tracker)} ${views.follow(list)} ${views.toolbar(list, tracker)} ${views.list(list, tracker)}`}
      <div id="announcement" class="visually-hidden" role="status">${this.announcement}</div>
      <div id="live" class="visually-hidden" aria-live="polite">${this.liveNews}</div>
      <div id="busy" class="visually-hidden" role="status">${this.busyText}</div>
      ${skipPastEnd(msg('End of the projects'))}
    </div>`;
  }
}
