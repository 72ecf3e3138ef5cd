import { characterProblem, isBlank, textLength } from '../content/text-rules.js';
/*
 * The ideas domain of MemoryAdapter: idea boxes, proposals, supports, reports and the council's
 * follow-up, with the semantics of the reference server (see the idea routes of the REST
 * contract). Kept apart from the adapter so that the adapter file stays about calls, latency and
 * failures.
 */
import { CivicError } from '../contract/errors.js';
import {
  IDEA_AUTO_HIDE_REPORTS,
  IDEA_BODY_MAX_LENGTH,
  IDEA_BODY_MIN_LENGTH,
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  IDEA_MAX_PAGE_SIZE,
  IDEA_PAGE_SIZE,
  IDEA_TITLE_MAX_LENGTH,
  IDEA_TITLE_MIN_LENGTH,
  REPORT_DETAILS_MAX_LENGTH,
  SIMILAR_IDEAS_LIMIT,
} from '../contract/limits.js';
import type {
  CouncilHtml,
  Idea,
  IdeaBox,
  IdeaInput,
  IdeaLiveEvent,
  IdeaQuery,
  IdeaSort,
  IdeaStatus,
  Page,
  ReportInput,
  ReportReason,
  VerificationLevel,
} from '../contract/types.js';

/** A seeded idea, with the participant who proposed it; `mine` and `supportedByMe` are worked out. */
export interface MemorySeedIdea extends Omit<Idea, 'mine' | 'supportedByMe' | 'supports' | 'comments'> {
  participantId: string;
  /** Supports, at least as many as `supportedBy` lists. */
  supports?: number;
  /** Participants who support it: they cannot support it again, and it counts towards their limit. */
  supportedBy?: string[];
  /** Participants who have reported it. */
  reportedBy?: string[];
  /** Comments, when the seed has no `idea:<id>` thread to count them from. */
  comments?: number;
}

export interface MemoryIdeaSeed {
  ideaBoxes?: IdeaBox[];
  ideas?: MemorySeedIdea[];
}

/** The council's moderation of an idea (the admin side, for stories and tests). */
export type IdeaModerationAction = 'approve' | 'hide' | 'restore';

/** The council's follow-up of an idea (the admin side, for stories and tests). */
export interface IdeaAnswerInput {
  status: IdeaStatus;
  /** Council HTML, sanitised where it is shown. */
  body: CouncilHtml;
  /** The idea this one repeats; required with status `duplicate`. */
  duplicateOf?: string;
  author?: string;
}

/** Who is asking: each idea is seen as this participant sees it. */
export interface IdeaViewer {
  id: string;
  verification: VerificationLevel;
  displayName?: string;
}

interface StoredIdea extends Omit<Idea, 'mine' | 'supportedByMe' | 'supports' | 'comments'> {
  participantId: string;
  /** Supports from participants not listed in `supporters` (seeded counts). */
  anonymousSupports: number;
  supporters: Set<string>;
  reporters: Set<string>;
  /** Reports already weighed by a moderator: only later ones count towards auto-hide. */
  reportsHandled: number;
  seededComments: number;
  /** createdAt in ms, for sorting dates written in any zone. */
  at: number;
}

/** The sort key of the last idea of a page: the next page starts after it. */
type CursorKey = [rank: number, at: number, id: string];

const SORTS: ReadonlySet<string> = new Set<IdeaSort>(['newest', 'most-supported', 'most-discussed', 'random']);
const STATUSES: ReadonlySet<string> = new Set<IdeaStatus>(['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate']);
const REASONS: ReadonlySet<string> = new Set<ReportReason>(['spam', 'abuse', 'personal-data', 'off-topic', 'other']);
/** Live messages go to everyone: they are seen as by a participant who proposed and supported nothing. */
const PUBLIC: IdeaViewer = { id: '', verification: 'anonymous' };

/*
 * Words too common to make two ideas alike, French and English, accents folded. Words of fewer
 * than three letters are dropped before this list is read.
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

export class MemoryIdeas {
  private readonly boxes = new Map<string, IdeaBox>();
  private readonly ideas = new Map<string, StoredIdea>();

  constructor(
    seed: MemoryIdeaSeed,
    private readonly now: () => Date,
    /** Comments under an idea, from its `idea:<id>` thread when the comments domain has one. */
    private readonly commentCount: (ideaId: string) => number | undefined,
    private readonly publish: (boxId: string, event: IdeaLiveEvent) => void,
  ) {
    for (const box of seed.ideaBoxes ?? []) this.boxes.set(box.id, box);
    for (const { supports, supportedBy, reportedBy, comments, ...idea } of seed.ideas ?? []) {
      if (!this.boxes.has(idea.boxId)) {
        throw new CivicError('misconfigured', `Seeded idea "${idea.id}" belongs to box "${idea.boxId}", which is not seeded`);
      }
      const supporters = new Set(supportedBy ?? []);
      this.ideas.set(idea.id, {
        ...idea,
        anonymousSupports: Math.max(0, (supports ?? 0) - supporters.size),
        supporters,
        reporters: new Set(reportedBy ?? []),
        reportsHandled: 0,
        seededComments: comments ?? 0,
        at: Date.parse(idea.createdAt),
      });
    }
  }

  // ------------------------------------------------------------------ reads

  box(boxId: string): IdeaBox {
    const box = this.boxes.get(boxId);
    if (!box) throw new CivicError('not-found', `There is no idea box "${boxId}"`, { status: 404 });
    return box;
  }

  /** The settings of a published idea's discussion, or undefined when there is no such idea. */
  discussion(ideaId: string): { requiredVerification: IdeaBox['requiredVerification'] } | undefined {
    const idea = this.ideas.get(ideaId);
    if (!idea || idea.moderation !== 'published') return undefined;
    return { requiredVerification: this.boxes.get(idea.boxId)?.requiredVerification ?? 'anonymous' };
  }

  /** The box as a participant reads it: with the supports they have given when there is a limit. */
  boxFor(boxId: string, viewer: IdeaViewer): IdeaBox {
    const box = this.box(boxId);
    return box.supportLimit === undefined ? box : { ...box, supportsGiven: this.supportsGiven(box, viewer) };
  }

  private supportsGiven(box: IdeaBox, viewer: IdeaViewer): number {
    let given = 0;
    for (const idea of this.ideas.values()) if (idea.boxId === box.id && idea.supporters.has(viewer.id)) given++;
    return given;
  }

  list(boxId: string, query: IdeaQuery, viewer: IdeaViewer): Page<Idea> {
    this.box(boxId);
    const sort = query.sort ?? 'newest';
    if (!SORTS.has(sort)) throw validation('Unknown sort order', { sort: 'Sort by newest, most supported, most discussed or at random' });
    if (query.status !== undefined && !STATUSES.has(query.status)) throw validation('Unknown status', { status: 'Choose a known status' });
    const limit = Math.min(IDEA_MAX_PAGE_SIZE, Math.max(1, Math.floor(query.limit ?? IDEA_PAGE_SIZE)));
    const seed = query.seed ?? '';
    const terms = words(query.q ?? '');

    const matching = [...this.ideas.values()].filter(
      (idea) =>
        idea.boxId === boxId &&
        this.listed(idea, viewer) &&
        (query.category === undefined || idea.categoryId === query.category) &&
        (query.status === undefined || idea.status === query.status) &&
        (terms.length === 0 || matches(idea, terms)),
    );
    const keyOf = (idea: StoredIdea): CursorKey => [this.rank(sort, idea, seed), idea.at, idea.id];
    const keys = new Map(matching.map((idea) => [idea, keyOf(idea)]));
    matching.sort((a, b) => compare(keys.get(a)!, keys.get(b)!));

    const scope = [boxId, sort, seed, query.category ?? '', query.status ?? '', terms.join(' ')];
    let start = 0;
    if (query.cursor !== undefined) {
      const after = readCursor(query.cursor, scope);
      // The first idea after the cursor's key, so that ideas proposed meanwhile shift nothing.
      start = matching.findIndex((idea) => compare(keys.get(idea)!, after) > 0);
      if (start < 0) start = matching.length;
    }
    const items = matching.slice(start, start + limit);
    const page: Page<Idea> = { items: items.map((idea) => this.view(idea, viewer)), total: matching.length };
    const last = items.at(-1);
    if (last && start + limit < matching.length) page.nextCursor = writeCursor(scope, keys.get(last)!);
    return page;
  }

  /** Every idea the viewer proposed, whatever moderation made of it (for "what became of my contributions"). */
  authoredBy(viewer: IdeaViewer): Idea[] {
    if (viewer === PUBLIC) return [];
    return [...this.ideas.values()].filter((idea) => idea.participantId === viewer.id).map((idea) => this.view(idea, viewer));
  }

  get(ideaId: string, viewer: IdeaViewer): Idea {
    return this.view(this.visibleIdea(ideaId, viewer), viewer);
  }

  /** Published ideas of the box sharing the most significant words with `text`. */
  similar(boxId: string, text: string, viewer: IdeaViewer): Idea[] {
    this.box(boxId);
    const wanted = significantWords(typeof text === 'string' ? text : '');
    if (wanted.size === 0) return [];
    const scored: Array<{ idea: StoredIdea; shared: number }> = [];
    for (const idea of this.ideas.values()) {
      if (idea.boxId !== boxId || idea.moderation !== 'published') continue;
      let shared = 0;
      for (const word of significantWords(`${idea.title} ${idea.body}`)) if (wanted.has(word)) shared++;
      if (shared > 0) scored.push({ idea, shared });
    }
    scored.sort((a, b) => b.shared - a.shared || this.supports(b.idea) - this.supports(a.idea) || b.idea.at - a.idea.at);
    return scored.slice(0, SIMILAR_IDEAS_LIMIT).map(({ idea }) => this.view(idea, viewer));
  }

  // ------------------------------------------------------------------ writes

  propose(boxId: string, input: IdeaInput, viewer: IdeaViewer): Idea {
    const box = this.box(boxId);
    this.mayParticipate(box, viewer, 'propose ideas');
    this.open(box);
    const valid = validIdea(box, input);
    const createdAt = this.now().toISOString();
    const idea: StoredIdea = {
      ...valid,
      id: `idea-${crypto.randomUUID()}`,
      boxId,
      status: 'submitted',
      moderation: box.preModeration ? 'pending' : 'published',
      createdAt,
      participantId: viewer.id,
      anonymousSupports: 0,
      supporters: new Set(),
      reporters: new Set(),
      reportsHandled: 0,
      seededComments: 0,
      at: Date.parse(createdAt),
    };
    if (viewer.displayName !== undefined) idea.authorName = viewer.displayName;
    this.ideas.set(idea.id, idea);
    this.broadcast('created', idea);
    return this.view(idea, viewer);
  }

  support(ideaId: string, viewer: IdeaViewer): Idea {
    const idea = this.visibleIdea(ideaId, viewer);
    const box = this.boxes.get(idea.boxId)!;
    if (idea.moderation !== 'published') {
      throw new CivicError('forbidden', 'Only a published idea can be supported', { status: 403 });
    }
    this.mayParticipate(box, viewer, 'support ideas');
    this.open(box);
    if (idea.supporters.has(viewer.id)) return this.view(idea, viewer);
    if (box.supportLimit !== undefined) {
      if (this.supportsGiven(box, viewer) >= box.supportLimit) throw new CivicError('conflict', 'support limit reached', { status: 409 });
    }
    idea.supporters.add(viewer.id);
    this.broadcast('updated', idea);
    return this.view(idea, viewer);
  }

  withdrawSupport(ideaId: string, viewer: IdeaViewer): Idea {
    const idea = this.visibleIdea(ideaId, viewer);
    this.open(this.boxes.get(idea.boxId)!);
    if (idea.supporters.delete(viewer.id)) this.broadcast('updated', idea);
    return this.view(idea, viewer);
  }

  report(ideaId: string, input: ReportInput, viewer: IdeaViewer): void {
    const idea = this.visibleIdea(ideaId, viewer);
    const errors: Record<string, string> = {};
    if (typeof input?.reason !== 'string' || !REASONS.has(input.reason)) errors.reason = 'Choose a reason';
    if (input?.details !== undefined && input.details !== '') {
      if (typeof input.details !== 'string') errors.details = 'The details must be text';
      else if (input.details.length > REPORT_DETAILS_MAX_LENGTH) {
        errors.details = `The details must be at most ${REPORT_DETAILS_MAX_LENGTH} characters`;
      }
    }
    if (Object.keys(errors).length > 0) throw validation('The report is incomplete', errors);

    // A repeated report is accepted but not counted again.
    idea.reporters.add(viewer.id);
    const threshold = this.boxes.get(idea.boxId)!.autoHideReports ?? IDEA_AUTO_HIDE_REPORTS;
    if (idea.moderation === 'published' && threshold > 0 && idea.reporters.size - idea.reportsHandled >= threshold) {
      idea.moderation = 'hidden';
    }
  }

  // ------------------------------------------------------------------ council

  /** Sets the status and the official answer; a duplicate names a published idea of the same box. */
  answer(ideaId: string, input: IdeaAnswerInput): void {
    const idea = this.stored(ideaId);
    if (!STATUSES.has(input.status)) throw validation('Unknown status', { status: 'Choose a known status' });
    if (input.status === 'duplicate') {
      const original = input.duplicateOf === undefined ? undefined : this.ideas.get(input.duplicateOf);
      if (!original || original.id === idea.id || original.boxId !== idea.boxId) {
        throw validation('A duplicate names another idea of its box', { duplicateOf: 'Choose the idea this one repeats' });
      }
      idea.duplicateOf = original.id;
    } else {
      delete idea.duplicateOf;
    }
    idea.status = input.status;
    idea.answer = { body: input.body, answeredAt: this.now().toISOString() };
    if (input.author !== undefined) idea.answer.author = input.author;
    this.broadcast('updated', idea);
  }

  /**
   * The council's decision. `hide` hides a published idea and rejects a pending one; `approve` and
   * `restore` publish it, and the reports so far are taken as weighed.
   */
  moderate(ideaId: string, action: IdeaModerationAction): void {
    const idea = this.stored(ideaId);
    const before = idea.moderation;
    if (action === 'hide') {
      if (before === 'published') idea.moderation = 'hidden';
      else if (before === 'pending') idea.moderation = 'rejected';
      return;
    }
    idea.reportsHandled = idea.reporters.size;
    if (before === 'published') return;
    idea.moderation = 'published';
    // A hidden idea was published once: screens that still hold it update it, the others add it.
    this.broadcast(before === 'hidden' ? 'updated' : 'created', idea);
  }

  // ------------------------------------------------------------------ views

  /** Published ideas are seen by all; pending and rejected ones by their author only; hidden ones by none. */
  private listed(idea: StoredIdea, viewer: IdeaViewer): boolean {
    if (idea.moderation === 'published') return true;
    if (idea.moderation === 'hidden') return false;
    return viewer !== PUBLIC && idea.participantId === viewer.id;
  }

  private view(idea: StoredIdea, viewer: IdeaViewer): Idea {
    const {
      participantId,
      anonymousSupports: _a,
      supporters,
      reporters: _r,
      reportsHandled: _h,
      seededComments: _c,
      at: _at,
      ...fields
    } = idea;
    const view: Idea = { ...fields, supports: this.supports(idea), comments: this.comments(idea) };
    if (viewer !== PUBLIC) {
      view.supportedByMe = supporters.has(viewer.id);
      if (participantId === viewer.id) view.mine = true;
    }
    return view;
  }

  private supports(idea: StoredIdea): number {
    return idea.anonymousSupports + idea.supporters.size;
  }

  private comments(idea: StoredIdea): number {
    return this.commentCount(idea.id) ?? idea.seededComments;
  }

  private rank(sort: IdeaSort, idea: StoredIdea, seed: string): number {
    switch (sort) {
      case 'newest':
        return -idea.at;
      case 'most-supported':
        return -this.supports(idea);
      case 'most-discussed':
        return -this.comments(idea);
      case 'random':
        return hash(`${seed}\n${idea.id}`);
    }
  }

  private broadcast(type: IdeaLiveEvent['type'], idea: StoredIdea): void {
    if (idea.moderation !== 'published') return;
    this.publish(idea.boxId, { type, idea: this.view(idea, PUBLIC) });
  }

  // ------------------------------------------------------------------ rules

  private mayParticipate(box: IdeaBox, viewer: IdeaViewer, what: string): void {
    if (box.requiredVerification === 'verified' && viewer.verification !== 'verified') {
      throw new CivicError('forbidden', `Only verified participants may ${what} in this box`, { status: 403 });
    }
  }

  /** A box takes proposals and supports between its opening and closing dates. */
  private open(box: IdeaBox): void {
    const now = this.now();
    if (box.opensAt && now < new Date(box.opensAt)) {
      throw new CivicError('closed', `This idea box opens on ${box.opensAt}`, { status: 403 });
    }
    if (box.closesAt && now >= new Date(box.closesAt)) {
      throw new CivicError('closed', `This idea box closed on ${box.closesAt}`, { status: 403 });
    }
  }

  private visibleIdea(ideaId: string, viewer: IdeaViewer): StoredIdea {
    const idea = this.ideas.get(ideaId);
    if (!idea || !this.listed(idea, viewer)) throw new CivicError('not-found', `There is no idea "${ideaId}"`, { status: 404 });
    return idea;
  }

  private stored(ideaId: string): StoredIdea {
    const idea = this.ideas.get(ideaId);
    if (!idea) throw new CivicError('not-found', `There is no idea "${ideaId}"`, { status: 404 });
    return idea;
  }
}

// ------------------------------------------------------------------ validation

type ValidIdea = Pick<Idea, 'title' | 'body' | 'categoryId' | 'location' | 'imageUrl'>;

/** The proposal reduced to what the box accepts, or a `validation` error naming every field at fault. */
function validIdea(box: IdeaBox, input: IdeaInput): ValidIdea {
  if (!input || typeof input !== 'object') throw validation('An idea is an object', { title: 'Give your idea a title' });
  const errors: Record<string, string> = {};
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (characterProblem(input.title)) errors.title = characterProblem(input.title)!;
  else if (isBlank(title) || textLength(title) < IDEA_TITLE_MIN_LENGTH) errors.title = `The title must be at least ${IDEA_TITLE_MIN_LENGTH} characters`;
  else if (textLength(title) > IDEA_TITLE_MAX_LENGTH) errors.title = `The title must be at most ${IDEA_TITLE_MAX_LENGTH} characters`;
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (characterProblem(input.body)) errors.body = characterProblem(input.body)!;
  else if (isBlank(body) || textLength(body) < IDEA_BODY_MIN_LENGTH) errors.body = `Describe your idea in at least ${IDEA_BODY_MIN_LENGTH} characters`;
  else if (textLength(body) > IDEA_BODY_MAX_LENGTH) errors.body = `The description must be at most ${IDEA_BODY_MAX_LENGTH} characters`;
  const idea: ValidIdea = { title, body };

  if (box.categories.length > 0) {
    if (input.categoryId === undefined || input.categoryId === '') errors.categoryId = 'Choose a category';
    else if (!box.categories.some((category) => category.id === input.categoryId)) errors.categoryId = 'Choose one of the categories of the box';
    else idea.categoryId = input.categoryId;
  } else if (input.categoryId !== undefined) {
    errors.categoryId = 'This box has no categories';
  }

  if (input.location !== undefined) {
    if (!box.allowLocation) errors.location = 'This box does not take a location';
    else {
      const location = validLocation(input.location);
      if (typeof location === 'string') errors.location = location;
      else idea.location = location;
    }
  }

  if (input.image !== undefined) {
    if (!box.allowImages) errors.image = 'This box does not take images';
    else {
      const problem = imageProblem(input.image);
      if (problem) errors.image = problem;
      else idea.imageUrl = input.image;
    }
  }

  if (Object.keys(errors).length > 0) throw validation('The idea does not fit the box', errors);
  return idea;
}

/** The location kept, or what is wrong with it. */
function validLocation(raw: unknown): NonNullable<Idea['location']> | string {
  if (!raw || typeof raw !== 'object') return 'Give an address or a point on the map';
  const { address, point } = raw as { address?: unknown; point?: unknown };
  const location: NonNullable<Idea['location']> = {};
  if (address !== undefined) {
    if (typeof address !== 'string' || address.trim() === '') return 'The address must not be blank';
    location.address = address.trim();
  }
  if (point !== undefined) {
    const { lat, lng } = (point ?? {}) as { lat?: unknown; lng?: unknown };
    const inRange = (value: unknown, bound: number) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= bound;
    if (!inRange(lat, 90) || !inRange(lng, 180)) return 'The point must have a latitude within ±90 and a longitude within ±180';
    location.point = { lat: lat as number, lng: lng as number };
  }
  if (location.address === undefined && location.point === undefined) return 'Give an address or a point on the map';
  return location;
}

/** What is wrong with an image given as a `data:` URL, if anything. */
function imageProblem(image: unknown): string | undefined {
  const match = typeof image === 'string' ? /^data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(image) : null;
  if (!match) return 'The image must be a JPEG, PNG or WebP file';
  if (!IDEA_IMAGE_TYPES.includes(match[1]!.toLowerCase())) return 'The image must be a JPEG, PNG or WebP file';
  const data = match[2]!;
  const bytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (bytes === 0) return 'The image is empty';
  if (bytes > IDEA_IMAGE_MAX_BYTES) return `The image must be at most ${IDEA_IMAGE_MAX_BYTES / (1024 * 1024)} MB`;
  return undefined;
}

// ------------------------------------------------------------------ text

/** Lower case without accents, so that "École" and "ecole" are the same word. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Every word of the query appears in the title or the body, as a word or part of one. */
function matches(idea: StoredIdea, terms: string[]): boolean {
  const text = fold(`${idea.title}\n${idea.body}`);
  return terms.every((term) => text.includes(term));
}

/** Words that say what an idea is about: three letters or more, no stop word, plural `s` dropped. */
function significantWords(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of words(text)) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    result.add(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return result;
}

// ------------------------------------------------------------------ order and cursors

/** A 32-bit FNV-1a hash: the same seed orders the same ideas the same way on every page. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function compare(a: CursorKey, b: CursorKey): number {
  return a[0] - b[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Cursors carry the last item's sort key, scoped to the listing they came from. */
function writeCursor(scope: string[], key: CursorKey): string {
  const bytes = new TextEncoder().encode(JSON.stringify([scope, key]));
  return btoa(String.fromCharCode(...bytes));
}

function readCursor(cursor: string, scope: string[]): CursorKey {
  try {
    const bytes = Uint8Array.from(atob(cursor), (char) => char.charCodeAt(0));
    const [cursorScope, key] = JSON.parse(new TextDecoder().decode(bytes)) as [unknown, unknown];
    if (
      JSON.stringify(cursorScope) === JSON.stringify(scope) &&
      Array.isArray(key) &&
      typeof key[0] === 'number' &&
      typeof key[1] === 'number' &&
      typeof key[2] === 'string'
    ) {
      return key as CursorKey;
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw validation('This cursor does not belong to this listing', { cursor: 'Start again from the first page' });
}

function validation(message: string, fieldErrors: Record<string, string>): CivicError {
  return new CivicError('validation', message, { status: 422, fieldErrors });
}
