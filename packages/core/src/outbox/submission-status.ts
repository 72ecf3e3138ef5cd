import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { describeError } from '../errors-text.js';
import type { OutboxEntry } from './outbox.js';

export interface SubmissionStatusOptions {
  onRetry: (entry: OutboxEntry) => void;
  onDiscard: (entry: OutboxEntry) => void;
  /** For the time of the next attempt; the page's `lang`, else English. */
  locale?: string;
}

/**
 * What became of a submission, in words, for every widget. Render it inside the widget's own
 * polite live region (`role="status"`), so that each change is announced once.
 *
 * Parts: `submission-status` (the sentence), `submission-actions` (around the buttons), `button`.
 */
export function renderSubmissionStatus(entry: OutboxEntry, options: SubmissionStatusOptions): TemplateResult {
  switch (entry.status) {
    case 'sending':
      return html`<p part="submission-status" data-status="sending">${msg('Sending…')}</p>`;
    case 'waiting':
      return html`<p part="submission-status" data-status="waiting">
        ${waitingReason(entry)} ${nextAttempt(entry, options.locale)}
      </p>`;
    case 'failed': {
      const reason = describeError(entry.lastError ?? { kind: 'server' });
      return html`<p part="submission-status" data-status="failed">${msg(str`Could not be sent: ${reason}`)}</p>
        <p part="submission-actions">
          <button type="button" part="button" @click=${() => options.onRetry(entry)}>${msg('Try again')}</button>
          <button type="button" part="button" @click=${() => options.onDiscard(entry)}>${msg('Discard')}</button>
        </p>`;
    }
    case 'sent':
      return html`<p part="submission-status" data-status="sent">${msg('Sent')}</p>`;
  }
}

function waitingReason(entry: OutboxEntry): string {
  const kind = entry.lastError?.kind;
  if (kind === undefined || kind === 'offline' || kind === 'network') {
    return msg('Saved on this device. It will be sent when the connection is back.');
  }
  return msg('Saved on this device. The service is not answering; it will be sent again automatically.');
}

function nextAttempt(entry: OutboxEntry, locale?: string): string {
  if (entry.nextAttemptAt === undefined) return '';
  const time = timeFormat(locale ?? globalThis.document?.documentElement.lang).format(entry.nextAttemptAt);
  return msg(str`Next attempt at ${time}.`);
}

function timeFormat(locale: string | undefined): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale || 'en', { timeStyle: 'medium' });
  } catch {
    // A malformed `lang` attribute (e.g. `fr_FR`) must not break the widget.
    return new Intl.DateTimeFormat('en', { timeStyle: 'medium' });
  }
}
