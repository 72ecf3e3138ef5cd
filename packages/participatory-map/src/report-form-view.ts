import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import {
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  MAP_ADDRESS_MAX_LENGTH,
  errorSummary,
  formatNumber,
  heading,
  requiredMark,
  type GeoPoint,
  type MapCategory,
  type MapCategoryField,
  type ParticipatoryMap,
} from '@civic-widgets/core';
import { positionText } from './position.js';

/*
 * The report form: what, where, a description and a photo, with its errors beside each field and
 * summed up at the top. Plain functions of what the element holds; the element keeps the draft,
 * the checks and the sending.
 */

/** What a citizen types into the report form, kept on the device (the photo is not). */
export interface ReportDraft {
  categoryId?: string;
  point?: GeoPoint;
  address?: string;
  description: string;
  attributes?: Record<string, string | boolean>;
}

export type Field = 'categoryId' | 'point' | 'address' | 'description' | 'image' | `attributes.${string}`;
export type FieldErrors = Partial<Record<Field | 'form', string>>;

export interface ReportFormContext {
  headingLevel: number;
  draft: ReportDraft;
  errors: FieldErrors;
  /** The error summary is shown (after a refused submit). */
  summary: boolean;
  /** The map is on screen: the point is placed there. */
  mapShown: boolean;
  locating: boolean;
  locationNote?: { text: string; alert: boolean };
  image?: { name: string };
  /** Where the error summary's links find their fields. */
  root: ParentNode;
  /** Reports near the point, rendered by the element. */
  nearby: TemplateResult | typeof nothing;
  categoryOf(id: string | undefined): MapCategory | undefined;
  onType(change: Partial<ReportDraft>): void;
  onAnswer(field: MapCategoryField, value: string | boolean): void;
  onPlaceOnMap(): void;
  onRemovePoint(): void;
  onLocate(): void;
  onChooseImage(event: Event): void;
  onSubmit(event: Event): void;
  onCancel(): void;
}

function fieldLabel(ctx: ReportFormContext, field: Field): string {
  if (field.startsWith('attributes.')) {
    const code = field.slice('attributes.'.length);
    return ctx.categoryOf(ctx.draft.categoryId)?.fields.find((item) => item.code === code)?.label ?? code;
  }
  switch (field) {
    case 'categoryId':
      return msg('Category');
    case 'point':
      return msg('Point on the map');
    case 'address':
      return msg('Address or place');
    case 'description':
      return msg('Description');
    default:
      return msg('Photo');
  }
}

/** The id of the control a field's error points to. */
export function fieldId(ctx: Pick<ReportFormContext, 'mapShown'>, field: Field): string {
  if (field.startsWith('attributes.')) return `report-attr-${field.slice('attributes.'.length)}`;
  if (field === 'categoryId') return 'report-category';
  // A point refused is moved with the same button that placed it.
  if (field === 'point' && !ctx.mapShown) return 'report-address';
  return `report-${field}`;
}

function describedBy(ctx: ReportFormContext, field: Field, ...ids: string[]): string | typeof nothing {
  const all = [...ids, ctx.errors[field] ? `${fieldId(ctx, field)}-error` : ''].filter(Boolean);
  return all.length > 0 ? all.join(' ') : nothing;
}

function fieldError(ctx: ReportFormContext, field: Field) {
  const error = ctx.errors[field];
  return error ? html`<p id=${`${fieldId(ctx, field)}-error`} class="field-error">${error}</p>` : nothing;
}

function summary(ctx: ReportFormContext) {
  const fields = (Object.keys(ctx.errors) as Array<Field | 'form'>).filter((field): field is Field => field !== 'form' && !!ctx.errors[field]);
  if (!ctx.summary) return nothing;
  return errorSummary(
    ctx.root,
    msg('Check these fields before sending your report:'),
    fields.map((field) => ({ id: fieldId(ctx, field), label: fieldLabel(ctx, field), error: ctx.errors[field]! })),
  );
}

function required() {
  return requiredMark(msg('(required)'));
}

function attributeField(ctx: ReportFormContext, field: MapCategoryField) {
  const key: Field = `attributes.${field.code}`;
  const id = fieldId(ctx, key);
  const value = ctx.draft.attributes?.[field.code];
  const invalid = ctx.errors[key] ? 'true' : nothing;
  const help = field.description ? html`<p id=${`${id}-help`} class="hint">${field.description}</p>` : nothing;
  const described = describedBy(ctx, key, ...(field.description ? [`${id}-help`] : []));
  if (field.type === 'checkbox') {
    return html`<div class="field">
      <div class="check">
        <input id=${id} type="checkbox" .checked=${value === true} ?required=${field.required} aria-invalid=${invalid} aria-describedby=${described}
          @change=${(event: Event) => ctx.onAnswer(field, (event.target as HTMLInputElement).checked)} />
        <label for=${id}>${field.label}${field.required ? required() : nothing}</label>
      </div>
      ${help} ${fieldError(ctx, key)}
    </div>`;
  }
  const text = typeof value === 'string' ? value : '';
  return html`<div class="field">
    <label for=${id}>${field.label}${field.required ? required() : nothing}</label>
    ${help}
    ${field.type === 'select'
      ? html`<select id=${id} part="input" ?required=${field.required} aria-invalid=${invalid} aria-describedby=${described}
          @change=${(event: Event) => ctx.onAnswer(field, (event.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!text}>${msg('Choose an answer')}</option>
          ${(field.options ?? []).map((option) => html`<option value=${option.value} ?selected=${option.value === text}>${option.label}</option>`)}
        </select>`
      : html`<input id=${id} part="input" inputmode=${field.type === 'number' ? 'decimal' : nothing} .value=${text} ?required=${field.required}
          aria-invalid=${invalid} aria-describedby=${described}
          @input=${(event: Event) => ctx.onAnswer(field, (event.target as HTMLInputElement).value)} />`}
    ${fieldError(ctx, key)}
  </div>`;
}

function where(ctx: ReportFormContext, map: ParticipatoryMap) {
  const draft = ctx.draft;
  const point = draft.point;
  const mapShown = ctx.mapShown;
  return html`<fieldset class="where">
    <legend>${msg('Where is it?')}</legend>
    <p class="hint" id="where-help">
      ${mapShown
        ? msg('Click the map, or place the crosshair with the keyboard, or use your location, or type an address. An address alone is enough.')
        : msg('Type the address, or describe the place precisely.')}
    </p>
    ${point
      ? html`<p id="report-point-status"><strong>${msg('Point placed:')}</strong> ${positionText(point, map.center)}</p>`
      : nothing}
    ${mapShown || point
      ? html`<p class="actions">
          ${mapShown
            ? html`<button type="button" part="button" id="report-point" aria-describedby=${describedBy(ctx, 'point', 'where-help', ...(point ? ['report-point-status'] : []))} aria-invalid=${ctx.errors.point ? 'true' : nothing} @click=${ctx.onPlaceOnMap}>
                ${point ? msg('Move the point on the map') : msg('Place the point on the map')}
              </button>`
            : nothing}
          ${point ? html`<button type="button" part="button" id="remove-point" @click=${ctx.onRemovePoint}>${msg('Remove the point')}</button>` : nothing}
          ${'geolocation' in navigator
            ? html`<button type="button" part="button" id="locate" ?disabled=${ctx.locating} @click=${ctx.onLocate}>${msg('Use my location')}</button>`
            : nothing}
        </p>`
      : 'geolocation' in navigator
        ? html`<p><button type="button" part="button" id="locate" ?disabled=${ctx.locating} @click=${ctx.onLocate}>${msg('Use my location')}</button></p>`
        : nothing}
    ${mapShown ? fieldError(ctx, 'point') : nothing}
    ${ctx.locationNote
      ? html`<p class=${ctx.locationNote.alert ? 'field-error' : 'hint'} role=${ctx.locationNote.alert ? 'alert' : 'status'}>${ctx.locationNote.text}</p>`
      : nothing}
    <div class="field">
      <label for="report-address">${mapShown || point ? msg('Address or place (optional with a point)') : html`${msg('Address or place')}${required()}`}</label>
      <input
        id="report-address"
        part="input"
        autocomplete="street-address"
        maxlength=${MAP_ADDRESS_MAX_LENGTH + 20}
        .value=${draft.address ?? ''}
        aria-invalid=${ctx.errors.address ? 'true' : nothing}
        aria-describedby=${describedBy(ctx, 'address', 'where-help')}
        @input=${(event: Event) => ctx.onType({ address: (event.target as HTMLInputElement).value })}
      />
      ${fieldError(ctx, 'address')} ${mapShown ? nothing : fieldError(ctx, 'point')}
    </div>
  </fieldset>`;
}

export function reportForm(ctx: ReportFormContext, map: ParticipatoryMap) {
  const draft = ctx.draft;
  const category = ctx.categoryOf(draft.categoryId);
  const invalid = (field: Field) => (ctx.errors[field] ? 'true' : nothing);
  return html`<form part="form" class="report-form" novalidate aria-labelledby="form-title" @submit=${ctx.onSubmit}>
    ${heading(ctx.headingLevel + 1, msg('Report a problem'), { id: 'form-title' })}
    ${summary(ctx)}
    ${ctx.errors.form ? html`<p class="field-error" role="alert">${ctx.errors.form}</p>` : nothing}
    <fieldset>
      <legend>${msg('What is the problem?')}</legend>
      <div class="field">
        <label for="report-category">${msg('Category')}${required()}</label>
        <select
          id="report-category"
          part="input"
          required
          aria-invalid=${invalid('categoryId')}
          aria-describedby=${describedBy(ctx, 'categoryId')}
          @change=${(event: Event) => ctx.onType({ categoryId: (event.target as HTMLSelectElement).value || undefined })}
        >
          <option value="" ?selected=${!draft.categoryId}>${msg('Choose a category')}</option>
          ${map.categories.map((item) => html`<option value=${item.id} ?selected=${item.id === draft.categoryId}>${item.icon ? `${item.icon} ` : ''}${item.label}</option>`)}
        </select>
        ${category?.description ? html`<p class="hint">${category.description}</p>` : nothing}
        ${fieldError(ctx, 'categoryId')}
      </div>
      ${category?.fields.map((field) => attributeField(ctx, field))}
    </fieldset>
    ${where(ctx, map)} ${ctx.nearby}
    <div class="field">
      <label for="report-description">${msg('Description')}${required()}</label>
      <p id="report-description-help" class="hint">
        ${msg('What is wrong, since when, and anything that helps find it. You can write **bold**, *italic*, [a link](https://example.org) and lists (lines starting with "- ").')}
      </p>
      <textarea
        id="report-description"
        part="input"
        rows="5"
        required
        .value=${draft.description}
        aria-invalid=${invalid('description')}
        aria-describedby=${describedBy(ctx, 'description', 'report-description-help')}
        @input=${(event: Event) => ctx.onType({ description: (event.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${fieldError(ctx, 'description')}
    </div>
    ${map.allowImages
      ? html`<div class="field">
          <label for="report-image">${msg('Photo (optional)')}</label>
          <p id="report-image-help" class="hint">
            ${msg(str`JPEG, PNG or WebP, ${formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024))} MB at most. Avoid faces and number plates. Photos are not kept in the draft.`)}
          </p>
          <input
            id="report-image"
            part="input"
            type="file"
            accept=${IDEA_IMAGE_TYPES.join(',')}
            aria-invalid=${invalid('image')}
            aria-describedby=${describedBy(ctx, 'image', 'report-image-help')}
            @change=${ctx.onChooseImage}
          />
          ${fieldError(ctx, 'image')}
          ${ctx.image ? html`<p class="hint">${msg(str`Chosen: ${ctx.image.name}`)}</p>` : nothing}
        </div>`
      : nothing}
    ${map.preModeration ? html`<p class="hint">${msg('A moderator reads every report before it is published.')}</p>` : nothing}
    <p class="actions">
      <button type="submit" part="button" class="primary">${msg('Send my report')}</button>
      <button type="button" part="button" @click=${ctx.onCancel}>${msg('Cancel')}</button>
    </p>
  </form>`;
}
