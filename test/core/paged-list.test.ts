import { expect } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import { CivicError, PagedList, type Page } from '@civic-widgets/core';

interface Item {
  id: string;
  v?: number;
}

/** A host that counts the renders it is asked for. */
function host(): ReactiveControllerHost & { updates: number } {
  const counting = {
    updates: 0,
    requestUpdate() {
      counting.updates++;
    },
  };
  return counting as unknown as ReactiveControllerHost & { updates: number };
}

const page = (ids: string[], nextCursor?: string, total?: number): Page<Item> => ({ items: ids.map((id) => ({ id })), nextCursor, total });

/** A read that resolves when told to. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('PagedList', () => {
  it('aborts the reads that a newer first page or a clear overtakes, and reports no error for them', async () => {
    const errors: CivicError[] = [];
    const list = new PagedList<Item>(host(), { key: (item) => item.id, onError: (error) => errors.push(error) });
    const signals: AbortSignal[] = [];
    const abortable = (signal: AbortSignal) =>
      new Promise<Page<Item>>((_, reject) => {
        signals.push(signal);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const first = list.reload(abortable);
    await list.reload(async () => page(['a'], 'next'));
    expect(signals[0]!.aborted).to.equal(true);
    expect(await first).to.equal(undefined);
    const more = list.more((_cursor, signal) => abortable(signal));
    expect(signals[1]!.aborted).to.equal(false);
    list.clear();
    expect(signals[1]!.aborted).to.equal(true);
    expect(await more).to.equal(undefined);
    expect(errors).to.deep.equal([]);
    expect(list.items).to.deep.equal([]);
  });

  it('drops an answer that comes back after a newer request', async () => {
    const list = new PagedList<Item>(host(), { key: (item) => item.id });
    const slow = deferred<Page<Item>>();
    const first = list.reload(() => slow.promise);
    const second = list.reload(async () => page(['b']));
    expect((await second)?.items.map((item) => item.id)).to.deep.equal(['b']);
    slow.resolve(page(['a']));
    expect(await first).to.equal(undefined);
    expect(list.items.map((item) => item.id)).to.deep.equal(['b']);
    expect(list.loading).to.equal(false);
  });

  it('lists an item once when the next page overlaps news, and says what it added before rendering', async () => {
    const h = host();
    const list = new PagedList<Item>(h, { key: (item) => item.id });
    await list.reload(async () => page(['c', 'b'], 'next', 3));
    list.insert({ id: 'd' });
    expect(list.total).to.equal(4);
    let addedAt = -1;
    const fresh = await list.more(
      async (cursor) => {
        expect(cursor).to.equal('next');
        return page(['d', 'a']);
      },
      (items) => {
        addedAt = h.updates;
        expect(items.map((item) => item.id)).to.deep.equal(['a']);
      },
    );
    expect(fresh?.map((item) => item.id)).to.deep.equal(['a']);
    expect(list.items.map((item) => item.id)).to.deep.equal(['d', 'c', 'b', 'a']);
    expect(list.nextCursor).to.equal(undefined);
    expect(h.updates, 'a render was asked for after `added` ran').to.be.greaterThan(addedAt);
    expect(await list.more(async () => page(['z']))).to.equal(undefined);
  });

  it('holds live arrivals until asked, then lists them newest first', async () => {
    const list = new PagedList<Item>(host(), { key: (item) => item.id });
    await list.reload(async () => page(['a'], undefined, 1));
    expect(list.arrive({ id: 'a' })).to.equal(false);
    expect(list.arrive({ id: 'b' })).to.equal(true);
    expect(list.arrive({ id: 'b' })).to.equal(false);
    expect(list.arrive({ id: 'c' })).to.equal(true);
    expect(list.replace({ id: 'c', v: 2 })).to.equal(true);
    expect(list.items.map((item) => item.id)).to.deep.equal(['a']);
    const taken = list.takeArrivals();
    expect(taken.map((item) => item.id)).to.deep.equal(['b', 'c']);
    expect(list.items).to.deep.equal([{ id: 'c', v: 2 }, { id: 'b' }, { id: 'a' }]);
    expect(list.arrivals).to.deep.equal([]);
    expect(list.total).to.equal(3);
  });

  it('keeps what is listed when a page fails, and tells the error once', async () => {
    const heard: CivicError[] = [];
    const list = new PagedList<Item>(host(), { key: (item) => item.id, onError: (error) => heard.push(error) });
    await list.reload(async () => page(['a'], 'next'));
    await list.more(async () => {
      throw new CivicError('network', 'down');
    });
    expect(list.error?.kind).to.equal('network');
    expect(heard).to.have.length(1);
    expect(list.items.map((item) => item.id)).to.deep.equal(['a']);
    expect(list.nextCursor, 'the same page can be asked for again').to.equal('next');
    await list.more(async () => page(['b']));
    expect(list.error).to.equal(undefined);
    expect(list.items.map((item) => item.id)).to.deep.equal(['a', 'b']);
  });

  it('forgets everything on clear, including an answer on its way', async () => {
    const list = new PagedList<Item>(host(), { key: (item) => item.id });
    const slow = deferred<Page<Item>>();
    const pending = list.reload(() => slow.promise);
    list.clear();
    slow.resolve(page(['a'], 'next', 1));
    expect(await pending).to.equal(undefined);
    expect(list.items).to.deep.equal([]);
    expect(list.get('a')).to.equal(undefined);
    expect(list.loading).to.equal(false);
  });
});
