import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import {
  IDEA_BODY_MAX_LENGTH,
  IDEA_BODY_MIN_LENGTH,
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  IDEA_TITLE_MAX_LENGTH,
  IDEA_TITLE_MIN_LENGTH,
  citizenText,
  errorSummary,
  formatNumber,
  heading,
  requiredMark,
  type Idea,
  type IdeaBox,
  type IdeaInput,
} from '@civic-widgets/core';
import { FIELDS, type Field } from '../wording.js';
import { note, supportButton, type IdeaContext } from './idea.js';

/*
 * Proposing an idea: the form with its help, preview, error summary and similar ideas, and the
 * checks made before sending. A chunk of its own, fetched when a citizen first opens the form (as
 * the report form is), so that the list paints sooner; what is typed is kept on the device and
 * what is sent by the outbox, both in the box's first chunk.
 */

/** What a citizen types into the proposal form, kept on the device (the image is not). */
export interface IdeaDraft {
  title: string;
  body: string;
  categoryId?: string;
  address?: string;
}

export type FieldErrors = Partial<Record<Field | 'form', string>>;

export interface ProposalContext extends IdeaContext {
  /** Where the error summary's links find their fields. */
  root: ParentNode;
  draft: IdeaDraft;
  errors: FieldErrors;
  /** The error summary is shown (after a send that failed validation). */
  summary: boolean;
  previewing: boolean;
  image?: { name: string; url: string };
  similar: readonly Idea[];
  onType(change: Partial<IdeaDraft>): void;
  onPreview(): void;
  onChooseImage(event: Event): void;
  onSubmit(event: Event): void;
  onCancel(): void;
}

export function fieldLabel(field: Field): string {
  switch (field) {
    case 'title':
      return msg('Title');
    case 'body':
      return msg('Your idea');
    case 'categoryId':
      return msg('Category');
    case 'address':
      return msg('Location (optional)');
    case 'image':
      return msg('Image (optional)');
  }
}

const fieldId = (field: Field) => (field === 'categoryId' ? 'idea-category' : `idea-${field}`);

function similar(context: ProposalContext) {
  if (context.similar.length === 0) return nothing;
  return html`<section part="similar" class="similar" aria-labelledby="similar-title" @click=${context.onIdeaAction}>
    <p id="similar-title"><strong>${msg('Similar ideas already proposed — support one of them instead?')}</strong></p>
    <ul>
      ${context.similar.map(
        (idea) => html`<li id=${`similar-${idea.id}`}>
          <span>${idea.title}</span>
          ${supportButton(context, idea)} ${note(context, idea.id)}
        </li>`,
      )}
    </ul>
  </section>`;
}

export function proposalForm(context: ProposalContext): TemplateResult {
  const { box, draft, errors } = context;
  const invalid = (field: Field) => (errors[field] ? 'true' : nothing);
  const describedBy = (field: Field, ...ids: string[]) => {
    const all = [...ids, errors[field] ? `${fieldId(field)}-error` : ''].filter(Boolean);
    return all.length > 0 ? all.join(' ') : nothing;
  };
  const fieldError = (field: Field) => {
    const error = errors[field];
    return error ? html`<p id=${`${fieldId(field)}-error`} class="field-error">${error}</p>` : nothing;
  };
  const required = () => requiredMark(msg('(required)'));
  const value = (event: Event) => (event.target as HTMLInputElement).value;
  return html`<form part="form" class="proposal" novalidate aria-labelledby="propose-title" @submit=${context.onSubmit}>
    ${heading(context.headingLevel + 1, msg('Propose an idea'), { id: 'propose-title' })}
    ${context.summary
      ? errorSummary(
          context.root,
          msg('Check these fields before sending your idea:'),
          FIELDS.filter((field) => errors[field]).map((field) => ({ id: fieldId(field), label: fieldLabel(field), error: errors[field]! })),
        )
      : nothing}
    ${errors.form ? html`<p class="field-error" role="alert">${errors.form}</p>` : nothing}
    <div class="field">
      <label for="idea-title">${msg('Title')}${required()}</label>
      <input
        id="idea-title"
        part="input"
        required
        maxlength=${IDEA_TITLE_MAX_LENGTH + 20}
        .value=${draft.title}
        aria-invalid=${invalid('title')}
        aria-describedby=${describedBy('title')}
        @input=${(event: Event) => context.onType({ title: value(event) })}
      />
      ${fieldError('title')}
    </div>
    <div class="field">
      <label for="idea-body">${msg('Your idea')}${required()}</label>
      <p id="idea-body-help" class="hint">
        ${msg('You can write **bold**, *italic*, [a link](https://example.org) and lists (lines starting with "- "). Leave a blank line between paragraphs.')}
      </p>
      <textarea
        id="idea-body"
        part="input"
        required
        rows="6"
        .value=${draft.body}
        aria-invalid=${invalid('body')}
        aria-describedby=${describedBy('body', 'idea-body-help')}
        @input=${(event: Event) => context.onType({ body: value(event) })}
      ></textarea>
      ${fieldError('body')}
      <p>
        <button type="button" part="button" aria-pressed=${context.previewing ? 'true' : 'false'} @click=${context.onPreview}>
          ${msg('Preview')}
        </button>
      </p>
      ${context.previewing
        ? html`<section part="preview" aria-label=${msg('Preview')}>
            ${draft.body.trim() ? citizenText(draft.body) : html`<p class="hint">${msg('Nothing to preview yet.')}</p>`}
          </section>`
        : nothing}
    </div>
    ${similar(context)}
    ${box.categories.length > 0
      ? html`<div class="field">
          <label for="idea-category">${msg('Category')}${required()}</label>
          <select
            id="idea-category"
            part="input"
            required
            aria-invalid=${invalid('categoryId')}
            aria-describedby=${describedBy('categoryId')}
            @change=${(event: Event) => context.onType({ categoryId: value(event) || undefined })}
          >
            <option value="" ?selected=${!draft.categoryId}>${msg('Choose a category')}</option>
            ${box.categories.map((category) => html`<option value=${category.id} ?selected=${category.id === draft.categoryId}>${category.label}</option>`)}
          </select>
          ${fieldError('categoryId')}
        </div>`
      : nothing}
    ${box.allowLocation
      ? html`<div class="field">
          <label for="idea-address">${msg('Location (optional)')}</label>
          <p id="idea-address-help" class="hint">${msg('A street, a place or a neighbourhood, if your idea concerns one.')}</p>
          <input
            id="idea-address"
            part="input"
            .value=${draft.address ?? ''}
            aria-invalid=${invalid('address')}
            aria-describedby=${describedBy('address', 'idea-address-help')}
            @input=${(event: Event) => context.onType({ address: value(event) })}
          />
          ${fieldError('address')}
        </div>`
      : nothing}
    ${box.allowImages
      ? html`<div class="field">
          <label for="idea-image">${msg('Image (optional)')}</label>
          <p id="idea-image-help" class="hint">
            ${msg(str`JPEG, PNG or WebP, ${formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024))} MB at most. Images are not kept in the draft.`)}
          </p>
          <input
            id="idea-image"
            part="input"
            type="file"
            accept=${IDEA_IMAGE_TYPES.join(',')}
            aria-invalid=${invalid('image')}
            aria-describedby=${describedBy('image', 'idea-image-help')}
            @change=${context.onChooseImage}
          />
          ${fieldError('image')}
          ${context.image ? html`<p class="hint">${msg(str`Chosen: ${context.image.name}`)}</p>` : nothing}
        </div>`
      : nothing}
    ${box.preModeration ? html`<p class="hint">${msg('A moderator reads every idea before it is published.')}</p>` : nothing}
    <p class="actions">
      <button type="submit" part="button" class="primary">${msg('Send my idea')}</button>
      <button type="button" part="button" @click=${context.onCancel}>${msg('Cancel')}</button>
    </p>
  </form>`;
}

/** What to fix before the idea can be sent; an image refused when it was chosen stays refused. */
export function validate(draft: IdeaDraft, box: IdeaBox, imageError?: string): FieldErrors {
  const errors: FieldErrors = {};
  const title = draft.title.trim().length;
  const body = draft.body.trim().length;
  if (title === 0) errors.title = msg('Give your idea a title.');
  else if (title < IDEA_TITLE_MIN_LENGTH) errors.title = msg(str`The title needs at least ${formatNumber(IDEA_TITLE_MIN_LENGTH)} characters.`);
  else if (title > IDEA_TITLE_MAX_LENGTH) errors.title = msg(str`The title is ${formatNumber(title - IDEA_TITLE_MAX_LENGTH)} characters too long.`);
  if (body === 0) errors.body = msg('Describe your idea.');
  else if (body < IDEA_BODY_MIN_LENGTH) errors.body = msg(str`The description needs at least ${formatNumber(IDEA_BODY_MIN_LENGTH)} characters.`);
  else if (body > IDEA_BODY_MAX_LENGTH) errors.body = msg(str`The description is ${formatNumber(body - IDEA_BODY_MAX_LENGTH)} characters too long.`);
  if (box.categories.length > 0 && !box.categories.some((category) => category.id === draft.categoryId)) {
    errors.categoryId = msg('Choose a category.');
  }
  if (imageError) errors.image = imageError;
  return errors;
}

/** The idea as sent: trimmed, with only what the box asks for. */
export function ideaInput(draft: IdeaDraft, box: IdeaBox, image?: string): IdeaInput {
  const input: IdeaInput = { title: draft.title.trim(), body: draft.body.trim() };
  if (draft.categoryId && box.categories.length > 0) input.categoryId = draft.categoryId;
  if (box.allowLocation && draft.address?.trim()) input.location = { address: draft.address.trim() };
  if (box.allowImages && image) input.image = image;
  return input;
}

/** Why a chosen image cannot be sent, checked in the browser before it is read. */
export function imageProblem(file: File): string | undefined {
  if (!IDEA_IMAGE_TYPES.includes(file.type)) return msg('Choose a JPEG, PNG or WebP image.');
  if (file.size > IDEA_IMAGE_MAX_BYTES) {
    const limit = formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024));
    return msg(str`This image is too large: choose one of ${limit} MB at most.`);
  }
  return undefined;
}
