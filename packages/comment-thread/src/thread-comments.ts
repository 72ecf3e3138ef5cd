import type { ReactiveControllerHost } from 'lit';
import type { CommentSort, Page, ThreadComment } from '@civic-widgets/core';
import type { Replies } from './views/context.js';

/*
 * A long page shows its first slice of comments at once and the rest in idle moments after the
 * first paint, so that the first screen is not held up by comments far below it, and every
 * comment is in the document (find in page, screen readers, Tab) a moment later. SLICE comments
 * are rendered before the first paint and whenever more are needed at once (in view, focused).
 */
export const SLICE = 10;

export interface ThreadCommentsOptions {
  /** The thread's order, where a comment new to the page goes. */
  sort(): CommentSort;
  /** The thread's count of comments changed by `delta` here. */
  recount(delta: number): void;
}

/**
 * The comments of a thread as the page knows them: the top-level pages read, the replies opened,
 * a comment a link led to, and news waiting to be shown. A comment is listed once however it came
 * (a page may overlap news); every change asks the host to render again.
 */
export class ThreadComments {
  /** The top-level comments, in the thread's order. */
  items: ThreadComment[] = [];
  nextCursor?: string;
  /** A permalinked comment that is not on the loaded pages. */
  linked?: ThreadComment;
  /** New comments from the live subscription, waiting for the reader to show them. */
  arrivals: ThreadComment[] = [];
  /** How many comments at the end of the top-level list are not rendered yet. */
  pending = 0;
  readonly replies = new Map<string, Replies>();
  private readonly byId = new Map<string, ThreadComment>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ThreadCommentsOptions,
  ) {}

  get(id: string): ThreadComment | undefined {
    return this.byId.get(id);
  }

  /** The top-level comments rendered so far. */
  get shown(): ThreadComment[] {
    return this.pending ? this.items.slice(0, -this.pending) : this.items;
  }

  /** Forgets everything: the comments belong to another thread. */
  clear(): void {
    this.linked = undefined;
    this.show({ items: [] });
  }

  /** Lists a first page in place of everything listed, but the linked comment. */
  show(page: Page<ThreadComment>): void {
    this.replies.clear();
    this.byId.clear();
    if (this.linked) this.byId.set(this.linked.id, this.linked);
    this.arrivals = [];
    this.items = this.index(page.items);
    this.pending = Math.max(0, this.items.length - SLICE);
    this.nextCursor = page.nextCursor;
    this.host.requestUpdate();
  }

  /** Lists the next page; returns the comments it added. */
  append(page: Page<ThreadComment>): ThreadComment[] {
    const fresh = this.index(page.items);
    this.items = [...this.items, ...fresh];
    // What was still to come of earlier pages goes in now, before the first new comment takes focus.
    this.pending = Math.max(0, fresh.length - SLICE);
    this.nextCursor = page.nextCursor;
    this.host.requestUpdate();
    return fresh;
  }

  /** Remembers comments by id, leaving out those already shown (a page may overlap news). */
  index(items: ThreadComment[]): ThreadComment[] {
    const fresh = items.filter((comment) => !this.byId.has(comment.id));
    for (const comment of fresh) this.byId.set(comment.id, comment);
    return fresh;
  }

  /** Shows a comment a link led to that no page read holds. */
  link(comment: ThreadComment): void {
    if (this.byId.has(comment.id)) return;
    this.byId.set(comment.id, comment);
    this.linked = comment;
    this.host.requestUpdate();
  }

  /** Renders the next `count` comments still to come. */
  nextSlice(count: number): void {
    this.renderTo(this.pending - count);
  }

  /** Renders the list down to a comment (or the comment its reply hangs from). */
  reveal(id: string): void {
    let comment = this.byId.get(id);
    while (comment?.parentId && this.byId.has(comment.parentId)) comment = this.byId.get(comment.parentId);
    const index = this.items.findIndex((item) => item.id === comment?.id);
    if (index >= 0) this.renderTo(Math.min(this.pending, this.items.length - index - 1));
  }

  /** Leaves `pending` comments still to come, asking for an update only when that changes. */
  private renderTo(pending: number): void {
    pending = Math.max(0, pending);
    if (pending === this.pending) return;
    this.pending = pending;
    this.host.requestUpdate();
  }

  /** Puts a new version of a comment wherever it is shown. */
  replace(comment: ThreadComment): void {
    const swap = (list: ThreadComment[]) => list.map((item) => (item.id === comment.id ? comment : item));
    this.byId.set(comment.id, comment);
    this.items = swap(this.items);
    for (const replies of this.replies.values()) replies.items = swap(replies.items);
    if (this.linked?.id === comment.id) this.linked = comment;
    this.arrivals = swap(this.arrivals);
    this.host.requestUpdate();
  }

  /** Takes a deleted comment away, or leaves a placeholder when it has replies to keep readable. */
  remove(comment: ThreadComment): void {
    if (comment.replies > 0) {
      this.replace({ ...comment, deleted: true, body: '', authorName: undefined, stance: undefined, mine: false });
    } else {
      const keep = (list: ThreadComment[]) => list.filter((item) => item.id !== comment.id);
      // One of the comments still to come: one fewer to come.
      if (this.items.findIndex((item) => item.id === comment.id) >= this.items.length - this.pending) this.pending--;
      this.byId.delete(comment.id);
      this.items = keep(this.items);
      for (const replies of this.replies.values()) replies.items = keep(replies.items);
      if (this.linked?.id === comment.id) this.linked = undefined;
      const parent = comment.parentId ? this.byId.get(comment.parentId) : undefined;
      if (parent) this.replace({ ...parent, replies: Math.max(0, parent.replies - 1) });
    }
    this.options.recount(-1);
    this.host.requestUpdate();
  }

  /** Shows a comment that is new to this page where it belongs. */
  insert(comment: ThreadComment): void {
    if (this.byId.has(comment.id)) {
      this.replace(comment);
      return;
    }
    this.byId.set(comment.id, comment);
    this.arrivals = this.arrivals.filter((item) => item.id !== comment.id);
    const parent = comment.parentId ? this.byId.get(comment.parentId) : undefined;
    if (comment.parentId) {
      if (parent) this.replace({ ...parent, replies: parent.replies + 1 });
      const replies = this.replies.get(comment.parentId);
      if (replies?.open) replies.items = [...replies.items, comment];
      else if (parent) this.replies.set(comment.parentId, { items: [comment], open: true, loading: false, nextCursor: replies?.nextCursor });
    } else {
      this.items = this.options.sort() === 'newest' ? [comment, ...this.items] : [...this.items, comment];
    }
    if (comment.moderation === 'published') this.options.recount(1);
    this.host.requestUpdate();
  }

  /** Holds a comment announced live until the reader asks for it; false when it is known already. */
  arrive(comment: ThreadComment): boolean {
    if (this.byId.has(comment.id) || this.arrivals.some((item) => item.id === comment.id)) return false;
    this.arrivals = [...this.arrivals, comment];
    this.host.requestUpdate();
    return true;
  }

  /** Shows the comments announced live; returns the first of them now listed. */
  takeArrivals(): ThreadComment | undefined {
    const arrivals = this.arrivals;
    this.arrivals = [];
    for (const comment of arrivals) this.insert(comment);
    return arrivals.find((comment) => this.byId.has(comment.id));
  }
}
