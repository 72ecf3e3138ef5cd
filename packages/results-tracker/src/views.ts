import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import {
  councilHtml,
  formatDate,
  formatNumber,
  heading,
  plural,
  type ContributionOutcome,
  type OriginKind,
  type ProjectOrigin,
  type CivicError,
  type ContributionFate,
  type ParticipationAdapter,
  type ProjectUpdate,
  type TrackedProject,
  type Tracker,
} from '@civic-widgets/core';
import {
  badge,
  budgetText,
  commentsText,
  meter,
  originsSummary,
  periodText,
  progressText,
  safeImage,
  safeLink,
  statusLabel,
} from './wording.js';

/*
 * The views a citizen opens: a project with its origins, timeline and discussion, and what became
 * of their own contributions. A chunk of its own, fetched with the first project opened, so that
 * the list paints sooner.
 */

type RenderError = (error: CivicError, retry?: () => void) => TemplateResult;

export interface ProjectViewContext {
  tracker: Tracker;
  headingLevel: number;
  adapter?: ParticipationAdapter;
  backLabel: string;
  discussing: boolean;
  discussionError?: CivicError;
  onBack(): void;
  onDiscuss(): void;
  renderError: RenderError;
}

export interface ContributionsViewContext {
  tracker: Tracker;
  headingLevel: number;
  contributions: ContributionFate[];
  loading: boolean;
  error?: CivicError;
  hasMore: boolean;
  /** The project being opened from a contribution, and why it could not be. */
  opening?: string;
  openError?: { id: string; error: CivicError };
  onBack(): void;
  onMore(): void;
  onRetry(): void;
  onOpenProject(projectId: string, index: number): void;
  renderError: RenderError;
}

export interface TrackerViews {
  project(context: ProjectViewContext, project: TrackedProject): TemplateResult;
  contributions(context: ContributionsViewContext): TemplateResult;
}

/** An origin on its own: its kind, as the list of origins names it. */
export function originKindText(kind: OriginKind): string {
  switch (kind) {
    case 'idea':
      return msg('Idea', { id: 'origin-kind-idea' });
    case 'poll':
      return msg('Poll', { id: 'origin-kind-poll' });
    case 'map-report':
      return msg('Map report', { id: 'origin-kind-map-report' });
    case 'comment-thread':
      return msg('Discussion', { id: 'origin-kind-comment-thread' });
  }
}

/** "412 supports", "820 answers", "15 followers", "48 comments". */
export function originCountText(origin: ProjectOrigin): string {
  const n = formatNumber(origin.count);
  switch (origin.kind) {
    case 'idea':
      return plural(origin.count, { one: msg(str`${n} support`, { id: 'origin-supports-one' }), other: msg(str`${n} supports`, { id: 'origin-supports-other' }) });
    case 'poll':
      return plural(origin.count, { one: msg(str`${n} answer`, { id: 'origin-answers-one' }), other: msg(str`${n} answers`, { id: 'origin-answers-other' }) });
    case 'map-report':
      return plural(origin.count, {
        one: msg(str`${n} follower`, { id: 'origin-followers-one' }),
        other: msg(str`${n} followers`, { id: 'origin-followers-other' }),
      });
    case 'comment-thread':
      return commentsText(origin.count);
  }
}

/** What the citizen did, from their side: "Your idea", "Your vote", … */
export function contributionKindText(kind: OriginKind): string {
  switch (kind) {
    case 'idea':
      return msg('Your idea');
    case 'poll':
      return msg('Your vote in a poll');
    case 'map-report':
      return msg('Your map report');
    case 'comment-thread':
      return msg('Your comments in a discussion');
  }
}

/** What became of a contribution, in words. */
export function outcomeText(outcome: ContributionOutcome, kind: OriginKind): string {
  switch (outcome) {
    case 'in-project':
      return msg('It led to a project the council follows.');
    case 'awaiting':
      return msg('The council has not looked at it yet.');
    case 'under-review':
      return msg('The council is looking at it.');
    case 'accepted':
      return msg('The council accepted it.');
    case 'rejected':
      return msg('The council did not retain it.');
    case 'done':
      return kind === 'map-report' ? msg('The problem has been dealt with.') : msg('It has been carried out.');
    case 'duplicate':
      return msg('It was merged with a similar contribution.');
    case 'counted':
      return kind === 'poll' ? msg('Your vote was counted in the results.') : msg('Your comments are part of the discussion.');
    case 'not-published':
      return msg('It was not published after moderation: only you can see it.');
  }
}

/** What an update changed, in words: "Status: In progress. Progress: 60 % done." */
function changeText(update: ProjectUpdate, tracker: Tracker): string | undefined {
  const parts: string[] = [];
  if (update.status) {
    const status = statusLabel(update.status, tracker);
    parts.push(msg(str`Status: ${status}.`));
  }
  if (update.progress !== undefined) {
    const progress = progressText(update.progress);
    parts.push(msg(str`Progress: ${progress}.`));
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function renderTimeline(context: ProjectViewContext, project: TrackedProject) {
  const level = context.headingLevel + 2;
  return html`<section part="timeline" class="timeline" aria-labelledby="timeline-title">
    ${heading(level, msg('Timeline'), { id: 'timeline-title' })}
    ${project.updates.length === 0
      ? html`<p class="hint">${msg('The council has not published any update yet.')}</p>`
      : html`<ol class="updates">
          ${project.updates.map((update) => {
            const change = changeText(update, context.tracker);
            return html`<li part="update" class="update" data-update=${update.id}>
              <p class="meta"><time datetime=${update.at}>${formatDate(update.at)}</time></p>
              ${update.title ? heading(level + 1, update.title, { part: 'update-title' }) : nothing}
              ${change ? html`<p class="change">${change}</p>` : nothing}
              <div class="council-text">${councilHtml(update.body)}</div>
            </li>`;
          })}
        </ol>`}
  </section>`;
}

function renderOrigins(context: ProjectViewContext, project: TrackedProject) {
  const summary = originsSummary(project.origins);
  return html`<section part="origins" class="origins" aria-labelledby="origins-title">
    ${heading(context.headingLevel + 2, msg('Where this project came from'), { id: 'origins-title' })}
    ${summary
      ? html`<p id="origins-summary">${summary}</p>
          <ul class="origin-list">
            ${project.origins.map((origin) => {
              const href = safeLink(origin.url);
              return html`<li data-kind=${origin.kind}>
                <span class="kind">${originKindText(origin.kind)}</span>
                ${href ? html`<a href=${href}>${origin.title}</a>` : html`<span>${origin.title}</span>`}
                <span class="meta">(${originCountText(origin)})</span>
              </li>`;
            })}
          </ul>`
      : html`<p class="hint">${msg('The council started this project on its own initiative.')}</p>`}
  </section>`;
}

function project(context: ProjectViewContext, project: TrackedProject): TemplateResult {
  const { tracker } = context;
  const image = safeImage(project.imageUrl);
  const budget = budgetText(project, tracker.currency);
  const period = periodText(project);
  // An article, not a region: the discussion inside is a region that may bear the project's title.
  return html`<article part="detail" class="detail" aria-labelledby="detail-title">
    <p><button type="button" part="button" id="back" @click=${context.onBack}>${context.backLabel}</button></p>
    ${heading(context.headingLevel + 1, project.title, { id: 'detail-title', part: 'project-title', focusable: true })}
    <p class="tags">
      ${badge(project.status, tracker)}
      ${project.district ? html`<span part="tag" class="tag">${project.district}</span>` : nothing}
      ${project.category ? html`<span part="tag" class="tag">${project.category}</span>` : nothing}
    </p>
    ${meter(project.progress)}
    ${image ? html`<img part="image" class="image" src=${image} alt=${project.imageAlt ?? ''} />` : nothing}
    ${project.summary ? html`<p part="summary" class="summary">${project.summary}</p>` : nothing}
    ${budget || period || project.district || project.category
      ? html`<dl part="meta" class="facts">
          ${budget ? html`<div><dt>${msg('Budget')}</dt><dd>${budget}</dd></div>` : nothing}
          ${period ? html`<div><dt>${msg('Dates')}</dt><dd>${period}</dd></div>` : nothing}
          ${project.district ? html`<div><dt>${msg('District')}</dt><dd>${project.district}</dd></div>` : nothing}
          ${project.category ? html`<div><dt>${msg('Category')}</dt><dd>${project.category}</dd></div>` : nothing}
        </dl>`
      : nothing}
    ${renderOrigins(context, project)} ${renderTimeline(context, project)}
    <p>
      <button type="button" part="button" id="discuss" aria-expanded=${context.discussing ? 'true' : 'false'} @click=${context.onDiscuss}>
        ${context.discussing ? msg('Hide the discussion') : msg(str`Discussion (${commentsText(project.comments)})`)}
      </button>
    </p>
    ${context.discussionError ? context.renderError(context.discussionError, context.onDiscuss) : nothing}
    ${context.discussing && customElements.get('civic-comment-thread')
      ? html`<civic-comment-thread
          thread=${`project:${project.id}`}
          heading-level=${Math.min(6, context.headingLevel + 2)}
          .adapter=${context.adapter}
        ></civic-comment-thread>`
      : context.discussing
        ? html`<p class="loading" part="status" role="status">${msg('Loading the discussion…')}</p>`
        : nothing}
  </article>`;
}

function renderFate(context: ContributionsViewContext, fate: ContributionFate, index: number) {
  const level = context.headingLevel + 2;
  const related = fate.project;
  const openError = related && context.openError?.id === related.id ? context.openError.error : undefined;
  return html`<li>
    <article id=${`fate-${index}`} part="contribution" class="contribution" tabindex="-1" aria-labelledby=${`fate-${index}-title`}>
      ${heading(level, html`<span class="kind">${contributionKindText(fate.kind)}:</span> ${fate.title}`, { id: `fate-${index}-title` })}
      <p class="meta">${msg(str`On ${formatDate(fate.at)}`)}</p>
      <p part="outcome" class="outcome" data-outcome=${fate.outcome}>${outcomeText(fate.outcome, fate.kind)}</p>
      ${related
        ? html`<p class="project-link">
            ${msg('Project:')}
            <button type="button" class="link" data-action="open-project" @click=${() => context.onOpenProject(related.id, index)}>${related.title}</button>
            ${badge(related.status, context.tracker)}
          </p>`
        : nothing}
      ${context.opening && context.opening === related?.id ? html`<p class="loading" part="status">${msg('Opening the project…')}</p>` : nothing}
      ${openError ? context.renderError(openError, () => context.onOpenProject(related!.id, index)) : nothing}
      ${fate.answer
        ? html`<div part="answer" class="answer">
            <p><strong>${msg('The council’s answer:')}</strong></p>
            <div class="council-text">${councilHtml(fate.answer)}</div>
          </div>`
        : nothing}
    </article>
  </li>`;
}

function contributions(context: ContributionsViewContext): TemplateResult {
  const { contributions: fates, loading, error } = context;
  return html`<section part="contributions" class="detail" aria-labelledby="contributions-title">
    <p><button type="button" part="button" id="back" @click=${context.onBack}>${msg('Back to all projects')}</button></p>
    ${heading(context.headingLevel + 1, msg('What became of my contributions'), { id: 'contributions-title', focusable: true })}
    <p class="hint">${msg('Your ideas, votes, map reports and comments on this site, newest first, with what the council made of them.')}</p>
    ${fates.length === 0 && !loading && !error
      ? html`<p id="no-contributions">
          ${msg('You have not contributed on this site yet, or not from this device. Ideas you propose, polls you answer, problems you report on the map and discussions you join will show here, with what became of them.')}
        </p>`
      : html`<ol part="contribution-list" class="list">
          ${fates.map((fate, index) => renderFate(context, fate, index))}
        </ol>`}
    ${error
      ? context.renderError(error, context.onRetry)
      : loading
        ? html`<p class="loading" part="status">${msg('Loading your contributions…')}</p>`
        : context.hasMore
          ? html`<p><button type="button" part="button" id="more-contributions" @click=${context.onMore}>${msg('Show more contributions')}</button></p>`
          : nothing}
  </section>`;
}

export const views: TrackerViews = { project, contributions };
