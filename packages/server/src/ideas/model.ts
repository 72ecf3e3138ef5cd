import { isBlank, textLength } from '../../../core/src/content/text-rules.js';
import type { Selectable } from 'kysely';
import type { IdeaBoxTable, IdeaTable } from '../db/schema.js';
import type { FieldError } from '../http/problem.js';
import type { IdeaBoxCreate, IdeaBoxWire, IdeaInputWire, IdeaWire } from '../http/schemas.js';

/**
 * The idea limits of the contract (packages/core/src/contract/limits.ts), kept here because the
 * server ships without the browser packages; contract-check.ts makes the compiler hold them equal.
 */
export const IDEA_TITLE_MIN_LENGTH = 5;
export const IDEA_TITLE_MAX_LENGTH = 140;
export const IDEA_BODY_MIN_LENGTH = 20;
export const IDEA_BODY_MAX_LENGTH = 5000;
export const IDEA_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const IDEA_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];
export const IDEA_PAGE_SIZE = 12;
export const IDEA_MAX_PAGE_SIZE = 50;
export const SIMILAR_IDEAS_LIMIT = 5;
export const IDEA_AUTO_HIDE_REPORTS = 5;

export type IdeaRow = Selectable<IdeaTable>;

export function ideaThreadId(ideaId: string): string {
  return `idea:${ideaId}`;
}

export function boxFromRow(row: Selectable<IdeaBoxTable>): IdeaBoxWire {
  return {
    id: row.id,
    title: row.title,
    ...(row.description === null ? {} : { description: row.description }),
    categories: JSON.parse(row.categories) as IdeaBoxWire['categories'],
    ...(row.opens_at === null ? {} : { opensAt: row.opens_at }),
    ...(row.closes_at === null ? {} : { closesAt: row.closes_at }),
    ...(row.support_limit === null ? {} : { supportLimit: row.support_limit }),
    preModeration: row.pre_moderation === 1,
    requiredVerification: row.required_verification,
    allowImages: row.allow_images === 1,
    allowLocation: row.allow_location === 1,
    autoHideReports: row.auto_hide_reports,
  };
}

export function boxToRow(box: IdeaBoxCreate, now: string): Selectable<IdeaBoxTable> {
  return {
    id: box.id,
    title: box.title,
    description: box.description ?? null,
    categories: JSON.stringify(box.categories ?? []),
    opens_at: box.opensAt ?? null,
    closes_at: box.closesAt ?? null,
    support_limit: box.supportLimit ?? null,
    pre_moderation: box.preModeration ? 1 : 0,
    required_verification: box.requiredVerification ?? 'anonymous',
    allow_images: box.allowImages ? 1 : 0,
    allow_location: box.allowLocation ? 1 : 0,
    auto_hide_reports: box.autoHideReports ?? IDEA_AUTO_HIDE_REPORTS,
    created_at: now,
    updated_at: now,
  };
}

/** Who reads: `mine` and `supportedByMe` are worked out for a participant; none for the public view. */
export interface IdeaReader {
  participantId?: string;
  supported?: ReadonlySet<string>;
}

export function ideaView(row: IdeaRow, reader: IdeaReader): IdeaWire {
  const view: IdeaWire = {
    id: row.id,
    boxId: row.box_id,
    title: row.title,
    body: row.body,
    status: row.status,
    moderation: row.moderation,
    supports: row.supports,
    comments: row.comments,
    createdAt: row.created_at,
  };
  if (row.category_id !== null) view.categoryId = row.category_id;
  if (row.location !== null) view.location = JSON.parse(row.location) as IdeaWire['location'];
  if (row.image !== null) view.imageUrl = row.image;
  if (row.duplicate_of !== null) view.duplicateOf = row.duplicate_of;
  if (row.answer_body !== null && row.answered_at !== null) {
    view.answer = { body: row.answer_body, answeredAt: row.answered_at, ...(row.answer_author === null ? {} : { author: row.answer_author }) };
  }
  if (row.author_name !== null) view.authorName = row.author_name;
  if (row.tracked_project_id !== null) view.trackedProjectId = row.tracked_project_id;
  if (reader.participantId !== undefined) {
    view.supportedByMe = reader.supported?.has(row.id) ?? false;
    if (row.participant_id === reader.participantId) view.mine = true;
  }
  return view;
}

/** A box takes proposals and supports between its opening and closing dates. */
export function closedReason(box: IdeaBoxWire, now: number): string | undefined {
  if (box.opensAt && now < Date.parse(box.opensAt)) return `This idea box opens on ${box.opensAt}.`;
  if (box.closesAt && now >= Date.parse(box.closesAt)) return `This idea box closed on ${box.closesAt}.`;
  return undefined;
}

// ------------------------------------------------------------------ proposals

export interface CheckedIdea {
  title: string;
  body: string;
  categoryId?: string;
  location?: NonNullable<IdeaWire['location']>;
  image?: string;
}

/** The proposal reduced to what the box accepts, or one message per faulty field. */
export function checkIdea(box: IdeaBoxWire, input: Omit<IdeaInputWire, 'website'>): CheckedIdea | FieldError[] {
  const errors: FieldError[] = [];
  const title = input.title.trim();
  if (isBlank(title) || textLength(title) < IDEA_TITLE_MIN_LENGTH) errors.push({ field: 'title', message: `The title must be at least ${IDEA_TITLE_MIN_LENGTH} characters.` });
  else if (textLength(title) > IDEA_TITLE_MAX_LENGTH) errors.push({ field: 'title', message: `The title must be at most ${IDEA_TITLE_MAX_LENGTH} characters.` });
  const body = input.body.trim();
  if (isBlank(body) || textLength(body) < IDEA_BODY_MIN_LENGTH) errors.push({ field: 'body', message: `Describe your idea in at least ${IDEA_BODY_MIN_LENGTH} characters.` });
  else if (textLength(body) > IDEA_BODY_MAX_LENGTH) errors.push({ field: 'body', message: `The description must be at most ${IDEA_BODY_MAX_LENGTH} characters.` });
  const idea: CheckedIdea = { title, body };

  if (box.categories.length > 0) {
    if (input.categoryId === undefined || input.categoryId === '') errors.push({ field: 'categoryId', message: 'Choose a category.' });
    else if (!box.categories.some((category) => category.id === input.categoryId)) errors.push({ field: 'categoryId', message: 'Choose one of the categories of the box.' });
    else idea.categoryId = input.categoryId;
  } else if (input.categoryId !== undefined) {
    errors.push({ field: 'categoryId', message: 'This box has no categories.' });
  }

  if (input.location !== undefined) {
    const address = input.location.address?.trim();
    if (!box.allowLocation) errors.push({ field: 'location', message: 'This box does not take a location.' });
    else if (input.location.address !== undefined && (!address || isBlank(address))) errors.push({ field: 'location', message: 'The address must not be blank.' });
    else if (address === undefined && input.location.point === undefined) errors.push({ field: 'location', message: 'Give an address or a point on the map.' });
    else idea.location = { ...(address === undefined ? {} : { address }), ...(input.location.point === undefined ? {} : { point: input.location.point }) };
  }

  if (input.image !== undefined) {
    const problem = box.allowImages ? imageProblem(input.image) : 'This box does not take images.';
    if (problem) errors.push({ field: 'image', message: problem });
    else idea.image = input.image;
  }
  return errors.length ? errors : idea;
}

export function imageProblem(image: string): string | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(image);
  if (!match || !IDEA_IMAGE_TYPES.includes(match[1]!.toLowerCase())) return 'The image must be a JPEG, PNG or WebP file.';
  const data = match[2]!;
  const bytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (bytes === 0) return 'The image is empty.';
  if (bytes > IDEA_IMAGE_MAX_BYTES) return `The image must be at most ${IDEA_IMAGE_MAX_BYTES / (1024 * 1024)} MB.`;
  return undefined;
}

// ------------------------------------------------------------------ text

/*
 * Words too common to make two ideas alike, French and English, accents folded: the same list as
 * the memory adapter's, so that both backends find the same similar ideas.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'les des une est pas par pour sur dans avec sans sous entre vers chez que qui quoi dont ses son sa leurs leur ' +
    'nos notre vos votre mes mon aux ces cet cette ceux celle celles elle elles ils nous vous mais donc car ' +
    'plus moins tres trop bien aussi comme tout tous toute toutes etre avoir fait faire peut peuvent ' +
    'faut sont ont etait serait pourrait avait ici cela ceci quand alors encore deja meme autre autres ' +
    'the and for are but not you all any can her was one our out has have had this that these those ' +
    'with from they them their there what when where which who will would could should about into more ' +
    'some such than then also just very been being its his she were your over only other most'
  ).split(' '),
);

/** Lower case without accents, so that "École" and "ecole" are the same word on either database. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function words(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Words that say what an idea is about: three letters or more, no stop word, plural `s` dropped. */
export function significantWords(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of words(text)) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    result.add(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return result;
}

/** A 32-bit FNV-1a hash: the same seed orders the same ideas the same way on every page. */
export function seededRank(seed: string, id: string): number {
  const text = `${seed}\n${id}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
