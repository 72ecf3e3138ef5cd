import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ReportInput, ReportReason } from '../contract/types.js';
import { REPORT_DETAILS_MAX_LENGTH } from '../contract/limits.js';
import { LocaleController } from '../i18n/controller.js';
import { formatNumber } from '../i18n/format.js';
import { baseStyles } from '../styles/base.styles.js';

const REASONS: ReportReason[] = ['spam', 'abuse', 'personal-data', 'off-topic', 'other'];

/**
 * The form to report citizen content to the moderators: a reason and optional details. Loaded by
 * {@link defineReportForm} the first time a citizen asks to report something. Fires
 * `civic-report-submit` (detail: the report) and `civic-report-cancel` on itself; the widget
 * showing it sends the report.
 *
 * @csspart form - The form.
 * @csspart input - The reasons and the details field.
 * @csspart button - Its buttons.
 */
export class CivicReportForm extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: var(--civic-space, 0.5em);
        padding: calc(var(--civic-space, 0.5em) * 1.5);
        border: 1px solid var(--civic-color-border, #8a8a8a);
        border-radius: var(--civic-radius, 0.25em);
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: grid;
        gap: calc(var(--civic-space, 0.5em) / 2);
      }
      legend {
        padding: 0;
        margin-bottom: calc(var(--civic-space, 0.5em) / 2);
        font-weight: bold;
      }
      fieldset label {
        display: flex;
        align-items: center;
        gap: var(--civic-space, 0.5em);
        min-block-size: 2.75em;
      }
      input {
        inline-size: 1.25em;
        block-size: 1.25em;
        margin: 0;
        accent-color: var(--civic-color-primary, #1f5fa6);
      }
      textarea {
        inline-size: 100%;
        box-sizing: border-box;
        padding: var(--civic-space, 0.5em);
        border: 1px solid var(--civic-color-border, #8a8a8a);
        border-radius: var(--civic-radius, 0.25em);
      }
      [aria-invalid='true'] {
        border-color: var(--civic-color-danger, #b3261e);
      }
      p {
        margin: 0;
      }
      .error {
        color: var(--civic-color-danger, #b3261e);
        font-weight: bold;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--civic-space, 0.5em);
      }
      button {
        min-block-size: 2.75em;
      }
    `,
  ];

  protected readonly localeController = new LocaleController(this);

  /** The question over the reasons, naming what is reported ("Why are you reporting this idea?"). */
  @property() question = '';

  @state() private reason?: ReportReason;
  @state() private details = '';
  @state() private invalid?: 'reason' | 'details';

  private reasonLabel(reason: ReportReason): string {
    switch (reason) {
      case 'spam':
        return msg('Spam or advertising');
      case 'abuse':
        return msg('Insults, harassment or hate');
      case 'personal-data':
        return msg('Reveals personal information');
      case 'off-topic':
        return msg('Off topic');
      case 'other':
        return msg('Something else');
    }
  }

  private submit(event: Event): void {
    event.preventDefault();
    const details = this.details.trim();
    if (!this.reason) this.invalid = 'reason';
    else if (details.length > REPORT_DETAILS_MAX_LENGTH) this.invalid = 'details';
    else {
      const report: ReportInput = details ? { reason: this.reason, details } : { reason: this.reason };
      this.dispatchEvent(new CustomEvent<ReportInput>('civic-report-submit', { detail: report }));
      return;
    }
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
  }

  protected override render() {
    const over = this.details.trim().length - REPORT_DETAILS_MAX_LENGTH;
    return html`<form part="form" novalidate aria-labelledby="reasons-legend" @submit=${this.submit}>
      <fieldset aria-describedby=${this.invalid === 'reason' ? 'reason-error' : nothing}>
        <legend id="reasons-legend">${this.question}</legend>
        ${this.invalid === 'reason' ? html`<p id="reason-error" class="error">${msg('Choose a reason.')}</p>` : nothing}
        ${REASONS.map(
          (reason) => html`<label>
            <input
              part="input"
              type="radio"
              name="reason"
              .value=${reason}
              .checked=${this.reason === reason}
              aria-invalid=${this.invalid === 'reason' ? 'true' : nothing}
              @change=${() => {
                this.reason = reason;
                this.invalid = undefined;
              }}
            />
            ${this.reasonLabel(reason)}
          </label>`,
        )}
      </fieldset>
      <label for="details">${msg('Details for the moderators (optional)')}</label>
      <textarea
        id="details"
        part="input"
        rows="3"
        .value=${this.details}
        aria-invalid=${this.invalid === 'details' ? 'true' : nothing}
        aria-describedby=${this.invalid === 'details' ? 'details-error' : nothing}
        @input=${(event: Event) => {
          this.details = (event.target as HTMLTextAreaElement).value;
          if (this.invalid === 'details') this.invalid = undefined;
        }}
      ></textarea>
      ${this.invalid === 'details'
        ? html`<p id="details-error" class="error">${msg(str`Keep the details under ${formatNumber(REPORT_DETAILS_MAX_LENGTH)} characters: ${formatNumber(over)} too many.`)}</p>`
        : nothing}
      <p class="actions">
        <button type="submit" part="button">${msg('Send the report')}</button>
        <button type="button" part="button" @click=${() => this.dispatchEvent(new Event('civic-report-cancel'))}>${msg('Cancel')}</button>
      </p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'civic-report-form': CivicReportForm;
  }
}
