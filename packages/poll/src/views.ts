import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { OTHER_MAX_LENGTH, councilHtml, heading, type BallotInput, type Poll, type Session } from '@civic-widgets/core';
import { boundsText, chosenText, dates, verificationText } from './wording.js';

/*
 * The poll's templates that depend only on what they are given: its header, the ballot's fields
 * for choices and ratings, and a ballot in words. The element keeps the state and the actions.
 */

/** What went wrong on a submit, and where to point the citizen. */
export interface Invalid {
  field: 'choices' | 'other' | 'ratings';
  message: string;
}

export interface HeaderContext {
  headingLevel: number;
  session?: Session;
}

export interface BallotContext {
  invalid?: Invalid;
  choices: readonly string[];
  otherChosen: boolean;
  /** What the citizen wrote under "Other" (kept as a draft). */
  otherText: string;
  ratings: Readonly<Record<string, number>>;
  missingRatings(): string[];
  onChoose(optionId: string, checked: boolean): void;
  onChooseOther(checked: boolean): void;
  onTypeOther(event: Event): void;
  onRate(optionId: string, value: number): void;
}

export function header(ctx: HeaderContext, poll: Poll) {
  return html`<header part="header">
    ${heading(ctx.headingLevel, poll.title, { id: 'title', part: 'title', focusable: true })}
    ${poll.description ? html`<div part="description">${councilHtml(poll.description)}</div>` : nothing}
    ${dates(poll)}
    <div part="notice">
      <p>${verificationText(poll, ctx.session)}</p>
      ${poll.eligibilityNote ? html`<p>${poll.eligibilityNote}</p>` : nothing}
      <p>
        ${msg('Only totals are published; nobody sees individual votes.')}
        ${poll.allowOther ? msg('Answers written under "Other" are read by the council and are not published as they are.') : nothing}
      </p>
    </div>
  </header>`;
}

/** The options of a single or multiple choice, with "Other". */
export function choiceOptions(ctx: BallotContext, poll: Poll) {
  const type = poll.type === 'single' ? 'radio' : 'checkbox';
  const invalid = ctx.invalid?.field === 'choices';
  const multiple = poll.type === 'multiple';
  const describedBy = [multiple ? 'hint' : '', invalid ? 'choices-error' : ''].join(' ').trim() || nothing;
  const otherInvalid = ctx.invalid?.field === 'other';
  return html`<fieldset aria-describedby=${describedBy}>
    <legend class="visually-hidden">${poll.title}</legend>
    ${multiple
      ? html`<p id="hint" class="hint" aria-live="polite">
          ${boundsText(poll)} — ${chosenText(ctx.choices.length + (ctx.otherChosen ? 1 : 0))}.
        </p>`
      : nothing}
    ${invalid ? html`<p id="choices-error" class="field-error">${ctx.invalid!.message}</p>` : nothing}
    <div class="options">
      ${poll.options.map(
        (option, index) => html`<label part="option" class="option">
          <input
            part="input"
            type=${type}
            name="choice"
            .value=${option.id}
            .checked=${ctx.choices.includes(option.id)}
            aria-invalid=${invalid ? 'true' : nothing}
            aria-describedby=${option.description ? `description-${index}` : nothing}
            @change=${(event: Event) => ctx.onChoose(option.id, (event.target as HTMLInputElement).checked)}
          />
          <span
            >${option.label}${option.description
              ? html`<span class="description" id="description-${index}">${option.description}</span>`
              : nothing}</span
          >
        </label>`,
      )}
      ${poll.allowOther
        ? html`<label part="option" class="option">
            <input
              part="input"
              type=${type}
              name="choice"
              value=""
              .checked=${ctx.otherChosen}
              aria-invalid=${invalid ? 'true' : nothing}
              @change=${(event: Event) => ctx.onChooseOther((event.target as HTMLInputElement).checked)}
            />
            <span>${msg('Other')}</span>
          </label>`
        : nothing}
    </div>
    ${ctx.otherChosen
      ? html`<div part="other">
          <label for="other-text">${msg('Your answer for "Other"')}</label>
          <input
            id="other-text"
            part="input"
            type="text"
            maxlength=${OTHER_MAX_LENGTH}
            autocomplete="off"
            .value=${ctx.otherText}
            aria-invalid=${otherInvalid ? 'true' : nothing}
            aria-describedby=${otherInvalid ? 'other-error' : nothing}
            @input=${ctx.onTypeOther}
          />
          ${otherInvalid ? html`<p id="other-error" class="field-error">${ctx.invalid!.message}</p>` : nothing}
        </div>`
      : nothing}
  </fieldset>`;
}

/** A rating of every option on the poll's scale. */
export function rating(ctx: BallotContext, poll: Poll) {
  const scale = poll.scale ?? { min: 1, max: 5 };
  const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  const labels = scale.labels ?? {};
  const ends = values.filter((value) => labels[value] !== undefined);
  const invalid = ctx.invalid?.field === 'ratings';
  const missing = invalid ? ctx.missingRatings() : [];
  return html`<fieldset aria-describedby="hint">
    <legend class="visually-hidden">${poll.title}</legend>
    <p id="hint" class="hint">
      ${msg(str`Rate each item from ${scale.min} to ${scale.max}.`)}
      ${ends.map((value) => html` ${value} = ${labels[value]}.`)}
    </p>
    ${invalid ? html`<p id="ratings-error" class="field-error">${ctx.invalid!.message}</p>` : nothing}
    ${poll.options.map((option, index) => {
      const wrong = missing.includes(option.id);
      return html`<fieldset
        class="rating"
        part="option"
        aria-describedby=${[option.description ? `description-${index}` : '', wrong ? 'ratings-error' : ''].join(' ').trim() || nothing}
      >
        <legend>${option.label}</legend>
        ${option.description ? html`<p class="description" id="description-${index}">${option.description}</p>` : nothing}
        <div class="scale">
          ${values.map(
            (value) => html`<label>
              <input
                part="input"
                type="radio"
                name="rating-${index}"
                .value=${String(value)}
                .checked=${ctx.ratings[option.id] === value}
                aria-invalid=${wrong ? 'true' : nothing}
                @change=${() => ctx.onRate(option.id, value)}
              />
              <span>${value}</span>
              ${labels[value] ? html`<span class="scale-label">${labels[value]}</span>` : nothing}
            </label>`,
          )}
        </div>
      </fieldset>`;
    })}
  </fieldset>`;
}

/** The citizen's ballot in words. */
export function choice(poll: Poll, ballot: BallotInput) {
  const label = (id: string) => poll.options.find((option) => option.id === id)?.label ?? id;
  if (poll.type === 'ranking') {
    return html`<p>${msg('Your ranking:')}</p>
      <ol>
        ${(ballot.ranking ?? []).map((id) => html`<li>${label(id)}</li>`)}
      </ol>`;
  }
  if (poll.type === 'rating') {
    return html`<p>${msg('Your ratings:')}</p>
      <ul>
        ${poll.options.map((option) => {
          const value = ballot.ratings?.[option.id];
          const words = value === undefined ? undefined : poll.scale?.labels?.[value];
          return html`<li>${option.label}: ${value}${words ? html` (${words})` : nothing}</li>`;
        })}
      </ul>`;
  }
  return html`<p>${poll.type === 'single' ? msg('Your choice:') : msg('Your choices:')}</p>
    <ul>
      ${(ballot.choices ?? []).map((id) => html`<li>${label(id)}</li>`)}
      ${ballot.other !== undefined ? html`<li>${msg('Other')}: ${ballot.other}</li>` : nothing}
    </ul>`;
}
