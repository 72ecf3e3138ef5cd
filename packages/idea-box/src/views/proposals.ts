import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { CivicError, Idea, IdeaInput, OutboxEntry } from '@civic-widgets/core';

/*
 * What became of the ideas a citizen sent or kept on the device, and the way to propose one. The
 * form itself is a chunk of its own (./proposal-form.ts), fetched when it is first opened.
 */

export interface ProposalsContext {
  /** The proposals the outbox holds for this box. */
  proposals: readonly OutboxEntry<IdeaInput>[];
  submissionStatus(entry: OutboxEntry): TemplateResult;
}

export interface WriteContext extends ProposalsContext {
  canWrite: boolean;
  /** Why the form could not be opened (its chunk could not be fetched). */
  formError?: CivicError;
  onStart(): void;
  renderError(error: CivicError, retry?: () => void): TemplateResult;
}

/** Ideas kept on the device until they can be sent, and the last one sent. */
export function proposals(context: ProposalsContext): TemplateResult {
  const entries = context.proposals.filter((entry) => entry.status !== 'failed');
  const waiting = entries.filter((entry) => entry.status !== 'sent');
  const sent = entries.find((entry) => entry.status === 'sent' && (entry.result as Idea | undefined)?.moderation === 'pending');
  return html`<div id="proposal-status" part="status" role="status">
    ${waiting.map(
      (entry) => html`<div class="waiting">
        <p><strong>${entry.payload.title}</strong></p>
        ${context.submissionStatus(entry)}
      </div>`,
    )}
    ${sent ? html`<p part="notice">${msg('Your idea is awaiting moderation: it will appear here once a moderator approves it.')}</p>` : nothing}
  </div>`;
}

/** The proposals' status, then the form when it is open, else the button that opens it. */
export function write(context: WriteContext, form: TemplateResult | undefined): TemplateResult {
  if (!context.canWrite) return proposals(context);
  return html`${proposals(context)}
  ${form ??
  html`${context.formError ? context.renderError(context.formError, context.onStart) : nothing}<p><button type="button" part="button" class="primary" id="propose" @click=${context.onStart}>${msg('Propose an idea')}</button></p>`}`;
}
