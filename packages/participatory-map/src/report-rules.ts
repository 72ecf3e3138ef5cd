import { msg, str } from '@lit/localize';
import {
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  MAP_ADDRESS_MAX_LENGTH,
  MAP_ATTRIBUTE_MAX_LENGTH,
  MAP_DESCRIPTION_MAX_LENGTH,
  MAP_DESCRIPTION_MIN_LENGTH,
  formatNumber,
  type CivicError,
  type GeoPoint,
  type MapCategory,
  type MapReportInput,
  type ParticipatoryMap,
} from '@civic-widgets/core';
import type { Field, FieldErrors, ReportDraft } from './report-form-view.js';

/* The report form's rules: what a report needs, what is sent, and what to say when it is refused. */

/** Whether a point lies within the map's area (anywhere on Earth when it has none). */
export function inBounds(point: GeoPoint, bounds: ParticipatoryMap['bounds']): boolean {
  if (!bounds) return point.lat >= -90 && point.lat <= 90 && point.lng >= -180 && point.lng <= 180;
  const [south, north] = [Math.min(bounds[0].lat, bounds[1].lat), Math.max(bounds[0].lat, bounds[1].lat)];
  const [west, east] = [Math.min(bounds[0].lng, bounds[1].lng), Math.max(bounds[0].lng, bounds[1].lng)];
  return point.lat >= south && point.lat <= north && point.lng >= west && point.lng <= east;
}

/**
 * What to fix before a report can be sent, field by field, in the citizen's words: the same
 * rules as the server's, so that a report is refused here rather than after the trip.
 */
export function checkReport(draft: ReportDraft, map: ParticipatoryMap, { mapShown, imageError }: { mapShown: boolean; imageError?: string }): FieldErrors {
  const errors: FieldErrors = {};
  const category = draft.categoryId ? map.categories.find((item) => item.id === draft.categoryId) : undefined;
  if (!category) errors.categoryId = msg('Choose a category.');
  for (const field of category?.fields ?? []) {
    const value = draft.attributes?.[field.code];
    const key: Field = `attributes.${field.code}`;
    const text = typeof value === 'string' ? value.trim() : '';
    if (field.type === 'checkbox') {
      if (field.required && value !== true) errors[key] = msg('Tick this box to go on.');
    } else if (!text) {
      if (field.required) errors[key] = field.type === 'select' ? msg('Choose an answer.') : msg('Answer this question.');
    } else if (field.type === 'number' && !Number.isFinite(Number(text.replace(',', '.')))) {
      errors[key] = msg('Enter a number, such as 3 or 2.5.');
    } else if (field.type === 'select' && !field.options?.some((option) => option.value === text)) {
      errors[key] = msg('Choose an answer.');
    } else if (text.length > MAP_ATTRIBUTE_MAX_LENGTH) {
      errors[key] = msg(str`This answer is ${formatNumber(text.length - MAP_ATTRIBUTE_MAX_LENGTH)} characters too long.`);
    }
  }
  const address = draft.address?.trim() ?? '';
  if (!draft.point && !address) {
    errors.address = mapShown ? msg('Place the point on the map, use your location, or type an address.') : msg('Type the address or describe the place.');
  } else if (address.length > MAP_ADDRESS_MAX_LENGTH) {
    errors.address = msg(str`The address is ${formatNumber(address.length - MAP_ADDRESS_MAX_LENGTH)} characters too long.`);
  }
  if (draft.point && !inBounds(draft.point, map.bounds)) errors.point = msg('This point is outside the map’s area. Place it within the area shown.');
  const description = draft.description.trim().length;
  if (description === 0) errors.description = msg('Describe the problem.');
  else if (description < MAP_DESCRIPTION_MIN_LENGTH) errors.description = msg(str`The description needs at least ${formatNumber(MAP_DESCRIPTION_MIN_LENGTH)} characters.`);
  else if (description > MAP_DESCRIPTION_MAX_LENGTH) errors.description = msg(str`The description is ${formatNumber(description - MAP_DESCRIPTION_MAX_LENGTH)} characters too long.`);
  if (imageError) errors.image = imageError;
  return errors;
}

/** The report to send, from the draft: trimmed, with each answer in its field's type. */
export function reportInput(draft: ReportDraft, category: MapCategory, image: string | undefined): MapReportInput {
  const input: MapReportInput = { categoryId: category.id, description: draft.description.trim() };
  if (draft.point) input.point = draft.point;
  if (draft.address?.trim()) input.address = draft.address.trim();
  const attributes: Record<string, string | number | boolean> = {};
  for (const field of category.fields) {
    const value = draft.attributes?.[field.code];
    if (field.type === 'checkbox') attributes[field.code] = value === true;
    else if (typeof value === 'string' && value.trim()) attributes[field.code] = field.type === 'number' ? Number(value.trim().replace(',', '.')) : value.trim();
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  if (image) input.image = image;
  return input;
}

/** The server's reasons for refusing a report, on the fields of the form they belong to. */
export function formErrorsOf(error: CivicError): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, text] of Object.entries(error.fieldErrors ?? {})) {
    if (key === 'categoryId' || key === 'point' || key === 'address' || key === 'description' || key === 'image' || key.startsWith('attributes.')) {
      errors[key as Field] = text;
    }
  }
  return errors;
}

/** Why a chosen photo cannot be sent, or undefined when it can. */
export function imageProblem(file: File): string | undefined {
  if (!IDEA_IMAGE_TYPES.includes(file.type)) return msg('Choose a JPEG, PNG or WebP photo.');
  if (file.size > IDEA_IMAGE_MAX_BYTES) {
    const limit = formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024));
    return msg(str`This photo is too large: choose one of ${limit} MB at most.`);
  }
  return undefined;
}

/** What to tell the citizen when their location could not be had. */
export function locationErrorText(error: GeolocationPositionError): string {
  return error.code === error.PERMISSION_DENIED
    ? msg('Your location was not shared. Place the point on the map or type an address instead.')
    : error.code === error.TIMEOUT
      ? msg('Finding your location took too long. Try again, place the point on the map or type an address.')
      : msg('Your location could not be found. Place the point on the map or type an address instead.');
}
