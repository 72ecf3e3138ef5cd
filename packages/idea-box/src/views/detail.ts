import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { citizenText, councilHtml, formatDate, heading, type CivicError, type Idea, type ParticipationAdapter, type ReportInput } from '@civic-widgets/core';
import { commentsText } from '../wording.js';
import { ideaAnchor, note, pendingNotice, supportButton, tags, type IdeaContext } from './idea.js';

/*
 * An idea opened in place: its whole text, the council's answer, where it led, the report form and
 * the discussion, which the comment thread's chunk shows once a citizen opens it.
 */

export interface DetailContext extends IdeaContext {
  adapter?: ParticipationAdapter;
  /** Address of a tracked project, `{id}` standing for its id. */
  projectUrl?: string;
  /** The idea whose report form is open. */
  reporting?: string;
  discussing: boolean;
  discussionError?: CivicError;
  /** The title of an idea at hand (the original of a duplicate), when it is. */
  titleOf(id: string): string | undefined;
  onBack(): void;
  onOpen(id: string): void;
  onReport(idea: Idea): void;
  onSendReport(idea: Idea, report: ReportInput): void;
  onCancelReport(): void;
  onDiscuss(): void;
}

function discussion(context: DetailContext, idea: Idea) {
  const discussing = context.discussing;
  return html`<p>
      <button type="button" part="button" id="discuss" aria-expanded=${discussing ? 'true' : 'false'} @click=${context.onDiscuss}>
        ${discussing ? msg('Hide the discussion') : msg(str`Discussion (${commentsText(idea.comments)})`)}
      </button>
    </p>
    ${context.discussionError ? context.renderError(context.discussionError, context.onDiscuss) : nothing}
    ${discussing && customElements.get('civic-comment-thread')
      ? html`<civic-comment-thread
          thread=${`idea:${idea.id}`}
          heading-level=${Math.min(6, context.headingLevel + 2)}
          .adapter=${context.adapter}
        ></civic-comment-thread>`
      : discussing
        ? html`<p class="loading" role="status">${msg('Loading the discussion…')}</p>`
        : nothing}`;
}

export function detail(context: DetailContext, idea: Idea): TemplateResult {
  const { headingLevel, projectUrl } = context;
  const duplicateOf = idea.duplicateOf;
  const project = idea.trackedProjectId;
  return html`<section part="detail" class="detail" aria-labelledby="detail-title" @click=${context.onIdeaAction}>
    <p><button type="button" part="button" id="back" @click=${context.onBack}>${msg('Back to all ideas')}</button></p>
    ${heading(headingLevel + 1, idea.title, { id: 'detail-title', part: 'idea-title', focusable: true })}
    ${tags(context, idea)}
    <p part="meta" class="meta">
      ${msg(str`Proposed by ${idea.authorName || msg('an anonymous participant')} on ${formatDate(idea.createdAt)}`)}
    </p>
    ${pendingNotice(idea)}
    <div part="body" class="body">${citizenText(idea.body)}</div>
    ${idea.imageUrl && /^(https?:|data:image\/)/.test(idea.imageUrl) ? html`<img class="image" src=${idea.imageUrl} alt=${msg('Image attached to the idea')} />` : nothing}
    ${idea.location?.address ? html`<p><strong>${msg('Location:')}</strong> ${idea.location.address}</p>` : nothing}
    ${idea.answer
      ? html`<section part="answer" class="answer" aria-labelledby="answer-title">
          ${heading(headingLevel + 2, msg('The council’s answer'), { id: 'answer-title' })}
          <div>${councilHtml(idea.answer.body)}</div>
          <p class="meta">${idea.answer.author ? `${idea.answer.author}, ` : ''}${formatDate(idea.answer.answeredAt)}</p>
        </section>`
      : nothing}
    ${duplicateOf
      ? html`<p>${msg('This idea duplicates another one:')} <button type="button" class="link" @click=${() => context.onOpen(duplicateOf)}>${context.titleOf(duplicateOf) ?? msg('see the original idea')}</button></p>`
      : nothing}
    ${project
      ? projectUrl
        ? html`<p><a href=${projectUrl.replace('{id}', encodeURIComponent(project))}>${msg('Follow the project this idea became')}</a></p>`
        : html`<p>${msg('This idea became a project the council follows.')}</p>`
      : nothing}
    <p part="meta" class="meta actions" id=${ideaAnchor(idea.id)}>
      ${supportButton(context, idea)}
      ${context.canWrite && !idea.mine
        ? html`<button type="button" part="button" data-action="report" aria-expanded=${context.reporting === idea.id ? 'true' : 'false'} @click=${() => context.onReport(idea)}>${msg('Report')}</button>`
        : nothing}
    </p>
    ${note(context, idea.id)}
    ${context.reporting === idea.id
      ? html`<civic-report-form
          exportparts="form, input, button"
          question=${msg('Why are you reporting this idea?')}
          @civic-report-submit=${(event: CustomEvent<ReportInput>) => context.onSendReport(idea, event.detail)}
          @civic-report-cancel=${context.onCancelReport}
        ></civic-report-form>`
      : nothing}
    ${discussion(context, idea)}
  </section>`;
}
