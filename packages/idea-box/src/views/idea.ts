import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import { formatNumber, plural, type CivicError, type Category, type Idea, type IdeaBox } from '@civic-widgets/core';
import { statusLabel, supportsText } from '../wording.js';

/*
 * What an idea shows wherever it is shown (a card, a row, the detail, a similar idea): its tags,
 * its support button and the message under it. The context is what every view of the box reads.
 */

/** A message under an idea: a support that failed, a report received. */
export interface Note {
  text: string;
  alert: boolean;
}

export interface IdeaContext {
  box: IdeaBox;
  headingLevel: number;
  /** The box is open and the citizen may take part: propose, support, report. */
  canWrite: boolean;
  notes: ReadonlyMap<string, Note>;
  /** One listener for the buttons of every idea (`data-action`): templates stay cheap on long lists. */
  onIdeaAction(event: Event): void;
  renderError(error: CivicError, retry?: () => void): TemplateResult;
}

export const ideaAnchor = (id: string) => `idea-${id}`;

/** A category's colour, only when it is a colour: the text label always says the same. */
function swatch(category: Category) {
  const color = category.color;
  return color && CSS.supports('color', color) ? styleMap({ '--category-color': color }) : nothing;
}

/** The idea's category and status. */
export function tags(context: IdeaContext, idea: Idea): TemplateResult {
  const category = idea.categoryId ? context.box.categories.find((each) => each.id === idea.categoryId) : undefined;
  return html`<p class="tags">${category
      ? html`<span part="category" class="category" style=${swatch(category)}>${category.label}</span>`
      : nothing} <span part="badge" class="badge" data-status=${idea.status}>${statusLabel(idea.status)}</span></p>`;
}

/** Only the author sees their idea before a moderator approves it: they are told so. */
export function pendingNotice(idea: Idea) {
  return idea.mine && idea.moderation === 'pending'
    ? html`<p part="notice">${msg('Your idea is awaiting moderation: only you can see it until a moderator approves it.')}</p>`
    : nothing;
}

export function supportButton(context: IdeaContext, idea: Idea): TemplateResult {
  if (!context.canWrite) return html`<span>${supportsText(idea.supports)}</span>`;
  // The name stays the same whichever the state: aria-pressed says whether it is given.
  return html`<button
    type="button"
    part="button support"
    data-action="support"
    data-id=${idea.id}
    aria-pressed=${idea.supportedByMe ? 'true' : 'false'}
    aria-describedby=${context.box.supportLimit !== undefined ? 'limit' : nothing}
  >
    ${msg('Support')}<span class="visually-hidden"> ${msg(str`the idea “${idea.title}”`)}</span> <span class="supports">${formatNumber(idea.supports)}</span><span class="visually-hidden"> ${plural(idea.supports, { one: msg('support', { id: 'idea-support-unit-one' }), other: msg('supports', { id: 'idea-support-unit-other' }) })}</span>
  </button>`;
}

export function note(context: IdeaContext, id: string) {
  const note = context.notes.get(id);
  if (!note) return nothing;
  return html`<p class=${note.alert ? 'field-error' : 'hint'} role=${note.alert ? 'alert' : 'status'}>${note.text}</p>`;
}
