import type { ReactiveControllerHost } from 'lit';
import { CivicError } from '../contract/errors.js';
import type { Page } from '../contract/types.js';

export interface PagedListOptions<T> {
  /** The id of an item. */
  key(item: T): string;
  /** Told of each failure to read a page. */
  onError?(error: CivicError): void;
}

/**
 * A list read page by page ("show more"), which live news may add to: ideas, map reports,
 * projects. An answer that comes back after a newer request is dropped; an item is listed once even
 * when a page overlaps news; items announced live wait in `arrivals` until the reader asks for them,
 * so that nothing moves under their eyes. Every change asks the host to render again.
 */
export class PagedList<T> {
  /** Newest news first, then the pages in the order read. */
  items: readonly T[] = [];
  /** Announced live, not shown yet. */
  arrivals: readonly T[] = [];
  total?: number;
  nextCursor?: string;
  /** A page is being read. */
  loading = false;
  /** Why the last page could not be read. */
  error?: CivicError;

  private readonly byId = new Map<string, T>();
  private ticket = 0;
  /** Aborts the reads of the current ticket when a newer first page is asked for, or on `clear()`. */
  private controller = new AbortController();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PagedListOptions<T>,
  ) {}

  /** Starts a read of the first page done by the caller (with other reads); see `current` and `show`. */
  begin(): number {
    this.controller.abort();
    this.controller = new AbortController();
    return ++this.ticket;
  }

  /** Aborted when the reads under way are overtaken: pass it to the adapter. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the answer to the read that got this ticket is still wanted. */
  current(ticket: number): boolean {
    return ticket === this.ticket;
  }

  /** Shows a first page in place of everything listed. */
  show(page: Page<T>): void {
    this.byId.clear();
    this.arrivals = [];
    this.items = this.index(page.items);
    this.nextCursor = page.nextCursor;
    this.total = page.total;
    this.error = undefined;
    this.host.requestUpdate();
  }

  /** Reads the first page again; resolves to it, or to `undefined` when it failed or was overtaken. */
  async reload(read: (signal: AbortSignal) => Promise<Page<T>>): Promise<Page<T> | undefined> {
    const ticket = this.begin();
    const signal = this.signal;
    return this.reading(ticket, async () => {
      const page = await read(signal);
      if (!this.current(ticket)) return undefined;
      this.show(page);
      return page;
    });
  }

  /**
   * Reads the next page; resolves to the items it added (none listed yet). `added` hears of them
   * before the host renders them, in time to say where focus goes.
   */
  async more(read: (cursor: string, signal: AbortSignal) => Promise<Page<T>>, added?: (fresh: T[]) => void): Promise<T[] | undefined> {
    const cursor = this.nextCursor;
    if (!cursor || this.loading) return undefined;
    const ticket = this.ticket;
    const signal = this.signal;
    return this.reading(ticket, async () => {
      const page = await read(cursor, signal);
      if (!this.current(ticket)) return undefined;
      const fresh = this.index(page.items);
      this.items = [...this.items, ...fresh];
      this.nextCursor = page.nextCursor;
      added?.(fresh);
      return fresh;
    });
  }

  /** Forgets everything, and any answer still on its way. */
  clear(): void {
    this.begin();
    this.byId.clear();
    this.items = this.arrivals = [];
    this.total = this.nextCursor = this.error = undefined;
    this.loading = false;
    this.host.requestUpdate();
  }

  /** A listed item. */
  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Whether an item is listed or waiting among the arrivals. */
  knows(id: string): boolean {
    return this.byId.has(id) || this.arrivals.some((item) => this.options.key(item) === id);
  }

  /** Puts a new version of an item wherever the list holds it; false when it holds none. */
  replace(item: T): boolean {
    const id = this.options.key(item);
    const swap = (list: readonly T[]) => list.map((each) => (this.options.key(each) === id ? item : each));
    const waiting = this.arrivals.some((each) => this.options.key(each) === id);
    if (waiting) this.arrivals = swap(this.arrivals);
    if (!this.byId.has(id)) return waiting;
    this.byId.set(id, item);
    this.items = swap(this.items);
    this.host.requestUpdate();
    return true;
  }

  /** Lists an item at the top, or puts its new version in place when it is listed already. */
  insert(item: T): void {
    const id = this.options.key(item);
    if (this.byId.has(id)) {
      this.replace(item);
      return;
    }
    this.byId.set(id, item);
    this.items = [item, ...this.items];
    if (this.total !== undefined) this.total += 1;
    this.host.requestUpdate();
  }

  /** Holds an item announced live until the reader asks for it; false when it is known already. */
  arrive(item: T): boolean {
    if (this.knows(this.options.key(item))) return false;
    this.arrivals = [...this.arrivals, item];
    this.host.requestUpdate();
    return true;
  }

  /** Lists the waiting items at the top, newest first; resolves to them, oldest first. */
  takeArrivals(): readonly T[] {
    const arrivals = this.arrivals;
    this.arrivals = [];
    for (const item of arrivals) this.insert(item);
    this.host.requestUpdate();
    return arrivals;
  }

  private async reading<R>(ticket: number, read: () => Promise<R>): Promise<R | undefined> {
    this.loading = true;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      return await read();
    } catch (thrown) {
      if (!this.current(ticket)) return undefined;
      this.error = CivicError.from(thrown);
      this.options.onError?.(this.error);
      return undefined;
    } finally {
      if (this.current(ticket)) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Remembers items by id, leaving out those already listed (a page may overlap news). */
  private index(items: readonly T[]): T[] {
    const fresh = items.filter((item) => !this.byId.has(this.options.key(item)));
    for (const item of fresh) this.byId.set(this.options.key(item), item);
    return fresh;
  }
}
