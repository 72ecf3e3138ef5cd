import { LitElement, html, render } from 'lit';
import { aTimeout, expect, fixture, fixtureSync, waitUntil } from '@open-wc/testing';
import { CivicError, type CivicErrorKind } from '../../packages/core/src/contract/errors.js';
import type { WriteOptions } from '../../packages/core/src/contract/types.js';
import { adminDetails, describeError } from '../../packages/core/src/errors-text.js';
import {
  FallbackStore,
  IndexedDbStore,
  LocalStorageStore,
  MemoryStore,
  Outbox,
  OutboxController,
  createOutboxStore,
  renderSubmissionStatus,
  type KeyValueStore,
  type OutboxEntry,
  type OutboxOptions,
  type OutboxStatus,
} from '../../packages/core/src/outbox/index.js';

const outboxes: Outbox[] = [];
let unique = 0;
const uniqueName = (base: string) => `${base}-${Date.now()}-${++unique}`;

function outbox(options: OutboxOptions = {}): Outbox {
  const created = new Outbox({ store: new MemoryStore(), backoff: { baseMs: 20, maxMs: 80 }, ...options });
  outboxes.push(created);
  return created;
}

function statusOf(box: Outbox, id: string): OutboxStatus | undefined {
  return box.entries().find((entry) => entry.id === id)?.status;
}

function until(box: Outbox, id: string, status: OutboxStatus): Promise<unknown> {
  return waitUntil(() => statusOf(box, id) === status, `entry never became ${status}`, { timeout: 3000 });
}

/** Records every status an outbox reports, per entry id. */
function history(box: Outbox): OutboxEntry[] {
  const seen: OutboxEntry[] = [];
  box.addEventListener('change', (event) => seen.push(event.detail));
  return seen;
}

/** A sender that fails with the given errors, in order, then resolves with `{ ok: n }`. */
function flakySender(...failures: unknown[]) {
  const calls: { entry: OutboxEntry; options: WriteOptions }[] = [];
  const send = async (entry: OutboxEntry, options: WriteOptions) => {
    calls.push({ entry, options });
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
    return { ok: calls.length };
  };
  return { calls, send };
}

async function databaseExists(name: string): Promise<boolean> {
  const databases = await indexedDB.databases();
  return databases.some((database) => database.name === name);
}

function localKeys(prefix: string): string[] {
  return Object.keys(localStorage).filter((key) => key.startsWith(prefix));
}

const brokenIndexedDb = {
  open() {
    throw new DOMException('The operation is insecure.', 'InvalidStateError');
  },
} as unknown as IDBFactory;

afterEach(() => {
  for (const box of outboxes.splice(0)) box.dispose();
});

async function sendManyTimesAtOnce(): Promise<void> {
  const store = new MemoryStore<OutboxEntry>();
  const box = outbox({ store });
  const ids = [box.submit('poll.ballot', 'p', { n: 1 }).entry.id, box.submit('poll.ballot', 'q', { n: 2 }).entry.id];
  await waitUntil(async () => (await store.values()).length === 2);
  const sends: string[] = [];
  box.register('poll.ballot', async (entry) => {
    sends.push(entry.id);
    await aTimeout(30);
    return 'ok';
  });

  await Promise.all([
    ...Array.from({ length: 10 }, () => box.flush()),
    ...ids.map((id) => box.retry(id)),
    ...ids.map((id) => box.retry(id)),
    box.flush('poll.ballot'),
  ]);
  await box.flush();

  expect(sends.sort()).to.deep.equal([...ids].sort());
  expect(ids.map((id) => statusOf(box, id))).to.deep.equal(['sent', 'sent']);
}

describe('Outbox', () => {
  it('stores an entry before its first attempt and forgets it once sent', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const box = outbox({ store });
    let storedDuringSend: OutboxEntry | undefined;
    box.register('poll.ballot', async (entry) => {
      storedDuringSend = await store.get(entry.id);
      return { ballot: 1 };
    });

    const { entry, settled } = box.submit('poll.ballot', 'budget-2027', { choices: ['a'] });

    expect(entry.status).to.equal('sending');
    expect(await settled).to.deep.equal({ ballot: 1 });
    expect(storedDuringSend?.id).to.equal(entry.id);
    expect(storedDuringSend?.payload).to.deep.equal({ choices: ['a'] });
    expect(await store.values()).to.deep.equal([]);
    const [sent] = box.entries('poll.ballot', 'budget-2027');
    expect(sent?.status).to.equal('sent');
    expect(sent?.result).to.deep.equal({ ballot: 1 });
    expect(sent?.attempts).to.equal(1);
  });

  it('sends, after a reload, what a previous page stored, once a sender registers', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const before = outbox({ store });
    const { entry } = before.submit('idea.propose', 'box-1', { title: 'More benches' });
    await waitUntil(async () => (await store.values()).length === 1);
    expect(statusOf(before, entry.id)).to.equal('waiting');
    before.dispose();

    const after = outbox({ store });
    const { calls, send } = flakySender();
    after.register('idea.propose', send);
    await until(after, entry.id, 'sent');

    expect(calls).to.have.length(1);
    expect(calls[0]!.options.idempotencyKey).to.equal(entry.id);
    expect(calls[0]!.entry.payload).to.deep.equal({ title: 'More benches' });
    expect(await store.values()).to.deep.equal([]);
  });

  it('lets an attempt under way when its page closes end without writing or retrying', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const before = outbox({ store });
    let fail!: (error: unknown) => void;
    before.register('comment.post', () => new Promise((_, reject) => (fail = reject)));
    const { entry } = before.submit('comment.post', 'thread-1', { body: 'Hello' });
    await waitUntil(() => statusOf(before, entry.id) === 'sending');
    before.dispose();

    // A closed page's Web Lock is released with it; in one test page it is not, so do without.
    Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    try {
      const after = outbox({ store });
      const { calls, send } = flakySender();
      after.register('comment.post', send);
      await until(after, entry.id, 'sent');
      await waitUntil(async () => (await store.values()).length === 0);
      expect(calls).to.have.length(1);
    } finally {
      delete (navigator as { locks?: unknown }).locks;
    }

    // The closed page's request fails late: it must not bring the entry back, nor try again.
    fail(new CivicError('network', 'connection reset'));
    await aTimeout(150);
    expect(await store.values()).to.deep.equal([]);
    expect(statusOf(before, entry.id)).to.equal('sending');
  });

  it('survives a reload through IndexedDB', async () => {
    const database = uniqueName('civic-widgets-test');
    const before = outbox({ store: new IndexedDbStore({ database }) });
    const { entry } = before.submit('comment.post', 'thread-1', { body: 'Hello' });
    await waitUntil(async () => (await new IndexedDbStore({ database }).values()).length === 1);
    before.dispose();

    const after = outbox({ store: new IndexedDbStore({ database }) });
    const { calls, send } = flakySender();
    after.register('comment.post', send);
    await until(after, entry.id, 'sent');

    expect(calls.map((call) => call.options.idempotencyKey)).to.deep.equal([entry.id]);
    expect(await new IndexedDbStore({ database }).values()).to.deep.equal([]);
  });

  it('keeps waiting on transient failures, backing off exponentially up to the cap, with a stable key', async () => {
    let clock = 1000;
    const box = outbox({ now: () => clock, random: () => 1, backoff: { baseMs: 10, maxMs: 40 } });
    const seen = history(box);
    const { calls, send } = flakySender(
      new CivicError('network', 'down'),
      new CivicError('server', 'oops', { status: 503 }),
      new CivicError('timeout', 'slow'),
      new Error('not a CivicError'),
    );
    box.register('poll.ballot', send);

    const { entry, settled } = box.submit('poll.ballot', 'p', { choices: ['b'] });
    clock = 2000;

    expect(await settled).to.deep.equal({ ok: 5 });
    const waits = seen.filter((change) => change.status === 'waiting');
    expect(waits.map((change) => change.nextAttemptAt! - 2000)).to.deep.equal([10, 20, 40, 40]);
    expect(waits.map((change) => change.lastError?.kind)).to.deep.equal(['network', 'server', 'timeout', 'server']);
    expect(new Set(calls.map((call) => call.options.idempotencyKey))).to.deep.equal(new Set([entry.id]));
    expect(calls.map((call) => call.entry.attempts)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(statusOf(box, entry.id)).to.equal('sent');
  });

  it('waits at least as long as a rate limit asks', async () => {
    const box = outbox({ now: () => 0, random: () => 0 });
    const seen = history(box);
    const { send } = flakySender(new CivicError('rate-limited', 'slow down', { retryAfter: 0.05 }));
    box.register('idea.support', send);

    await box.submit('idea.support', 'idea-1', {}).settled;

    expect(seen.find((change) => change.status === 'waiting')?.nextAttemptAt).to.equal(50);
  });

  it('retries at once when the browser comes back online', async () => {
    const box = outbox({ backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const { calls, send } = flakySender(new CivicError('network', 'down'));
    box.register('poll.ballot', send);
    const { entry } = box.submit('poll.ballot', 'p', {});
    await until(box, entry.id, 'waiting');

    window.dispatchEvent(new Event('online'));
    await until(box, entry.id, 'sent');

    expect(calls).to.have.length(2);
  });

  it('does not attempt while the browser is offline', async () => {
    const box = outbox();
    const { calls, send } = flakySender();
    box.register('poll.ballot', send);
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    let id = '';
    try {
      const { entry } = box.submit('poll.ballot', 'p', {});
      id = entry.id;
      expect(entry.status).to.equal('waiting');
      await box.flush();
      expect(calls).to.have.length(0);
      expect(box.entries()[0]?.lastError?.kind).to.equal('offline');
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }

    window.dispatchEvent(new Event('online'));
    await until(box, id, 'sent');
    expect(calls).to.have.length(1);
  });

  it('ends failed on a refusal, is not retried automatically, and can be retried by the citizen', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const box = outbox({ store });
    const refusal = new CivicError('validation', 'invalid', { fieldErrors: { choices: 'Pick at most 2' } });
    const { calls, send } = flakySender(refusal);
    box.register('poll.ballot', send);

    const { entry, settled } = box.submit('poll.ballot', 'p', { choices: ['a', 'b', 'c'] });

    const error = await settled.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).to.equal(refusal);
    const failed = box.entries()[0]!;
    expect(failed.status).to.equal('failed');
    expect(failed.lastError).to.deep.equal({
      kind: 'validation',
      message: 'invalid',
      fieldErrors: { choices: 'Pick at most 2' },
    });
    expect((await store.get(entry.id))?.status).to.equal('failed');
    await box.flush();
    await aTimeout(60);
    expect(calls).to.have.length(1);

    await box.retry(entry.id);

    expect(statusOf(box, entry.id)).to.equal('sent');
    expect(calls.map((call) => call.options.idempotencyKey)).to.deep.equal([entry.id, entry.id]);
    expect(await store.values()).to.deep.equal([]);
  });

  for (const kind of ['conflict', 'forbidden', 'closed', 'not-found', 'unauthorised', 'misconfigured'] as const) {
    it(`ends failed on ${kind}`, async () => {
      const box = outbox();
      box.register('x', flakySender(new CivicError(kind, kind)).send);
      const { entry, settled } = box.submit('x', 't', {});
      await settled.catch(() => undefined);
      expect(statusOf(box, entry.id)).to.equal('failed');
    });
  }

  it('discards an entry, on the device too', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const box = outbox({ store });
    box.register('poll.ballot', flakySender(new CivicError('conflict', 'already voted')).send);
    const { entry, settled } = box.submit('poll.ballot', 'p', {});
    await settled.catch(() => undefined);
    const seen = history(box);

    expect(await box.discard(entry.id)).to.equal(true);

    expect(box.entries()).to.deep.equal([]);
    expect(await store.values()).to.deep.equal([]);
    expect(seen.map((change) => change.id)).to.deep.equal([entry.id]);
  });

  it('rejects the pending submission with an AbortError when a waiting entry is discarded', async () => {
    const box = outbox();
    const { entry, settled } = box.submit('nobody.sends', 't', {});

    await box.discard(entry.id);

    const error = await settled.catch((reason: unknown) => reason);
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('AbortError');
  });

  it('never discards an entry while it is being sent', async () => {
    const box = outbox();
    let release!: () => void;
    box.register('poll.ballot', () => new Promise<void>((resolve) => (release = resolve)));
    const { entry, settled } = box.submit('poll.ballot', 'p', {});
    await until(box, entry.id, 'sending');
    await waitUntil(() => release);

    expect(await box.discard(entry.id)).to.equal(false);

    release();
    await settled;
    expect(statusOf(box, entry.id)).to.equal('sent');
  });

  for (const locks of ['with', 'without'] as const) {
    it(`sends each entry exactly once however many flushes run together, ${locks} Web Locks`, async () => {
      if (locks === 'without') Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
      try {
        await sendManyTimesAtOnce();
      } finally {
        delete (navigator as { locks?: LockManager }).locks;
      }
    });
  }

  it('leaves an entry to the tab that holds its lock', async () => {
    const box = outbox();
    const { entry } = box.submit('poll.ballot', 'p', {});
    let releaseLock!: () => void;
    const held = new Promise<void>((resolve) => (releaseLock = resolve));
    let acquired!: () => void;
    const lockTaken = new Promise<void>((resolve) => (acquired = resolve));
    void navigator.locks.request(`civic-outbox-${entry.id}`, () => {
      acquired();
      return held;
    });
    await lockTaken;
    const { calls, send } = flakySender();

    box.register('poll.ballot', send);
    await box.flush();

    expect(calls).to.have.length(0);
    expect(statusOf(box, entry.id)).to.equal('waiting');
    releaseLock();
    await until(box, entry.id, 'sent');
    expect(calls).to.have.length(1);
  });

  it('uses the latest registered sender and falls back to the previous one after unregistering', async () => {
    const box = outbox();
    const first = flakySender();
    const second = flakySender();
    box.register('poll.ballot', first.send);
    const unregister = box.register('poll.ballot', second.send);

    await box.submit('poll.ballot', 'p', {}).settled;
    unregister();
    await box.submit('poll.ballot', 'p', {}).settled;

    expect([first.calls.length, second.calls.length]).to.deep.equal([1, 1]);
  });

  it('is shared page-wide through a global symbol', () => {
    const shared = Outbox.shared();
    expect(Outbox.shared()).to.equal(shared);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('civic-widgets.outbox')]).to.equal(shared);
  });
});

describe('outbox storage', () => {
  it('writes nothing on the device before the first submission', async () => {
    const database = uniqueName('civic-widgets-test');
    const prefix = `${uniqueName('test-outbox')}:`;
    const box = outbox({
      store: createOutboxStore({ indexedDb: { database }, localStorage: { prefix } }),
      backoff: { baseMs: 60_000, maxMs: 60_000 },
    });
    box.register('poll.ballot', flakySender(new CivicError('network', 'down')).send);
    await box.flush();

    expect(await databaseExists(database)).to.equal(false);
    expect(localKeys(prefix)).to.deep.equal([]);

    const { entry } = box.submit('poll.ballot', 'p', {});
    await until(box, entry.id, 'waiting');
    expect(await databaseExists(database)).to.equal(true);
  });

  it('falls back to localStorage when IndexedDB cannot be opened, across reloads', async () => {
    const prefix = `${uniqueName('test-outbox')}:`;
    const options = { indexedDb: { factory: brokenIndexedDb }, localStorage: { prefix } };
    const store = createOutboxStore<OutboxEntry>(options);
    const before = outbox({ store });
    const { entry } = before.submit('idea.propose', 'box', { title: 'Trees' });
    await waitUntil(() => localKeys(prefix).length === 1);

    expect(store.active).to.be.instanceOf(LocalStorageStore);
    expect(JSON.parse(localStorage.getItem(prefix + entry.id)!).payload).to.deep.equal({ title: 'Trees' });
    before.dispose();

    const after = outbox({ store: createOutboxStore(options) });
    const { calls, send } = flakySender();
    after.register('idea.propose', send);
    await until(after, entry.id, 'sent');
    expect(calls[0]!.options.idempotencyKey).to.equal(entry.id);
    expect(localKeys(prefix)).to.deep.equal([]);
  });

  it('falls back to memory when IndexedDB and localStorage both fail', async () => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const store = createOutboxStore<OutboxEntry>({ indexedDb: { factory: brokenIndexedDb }, localStorage: { storage: blocked } });
    const box = outbox({ store });
    box.register('poll.ballot', flakySender().send);

    expect(await box.submit('poll.ballot', 'p', {}).settled).to.deep.equal({ ok: 1 });
    expect(store.active).to.be.instanceOf(MemoryStore);
  });

  it('moves on to the next store when one fails mid-way', async () => {
    const failing: KeyValueStore<string> = {
      get: () => Promise.reject(new Error('gone')),
      values: () => Promise.reject(new Error('gone')),
      set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
      delete: () => Promise.reject(new Error('gone')),
    };
    const memory = new MemoryStore<string>();
    const store = new FallbackStore([failing, memory]);

    await store.set('a', 'x');

    expect(await memory.get('a')).to.equal('x');
    expect(await store.values()).to.deep.equal(['x']);
  });

  it('reads an absent IndexedDB database without creating it', async () => {
    const database = uniqueName('civic-widgets-test');
    const store = new IndexedDbStore<string>({ database });

    expect(await store.values()).to.deep.equal([]);
    expect(await store.get('a')).to.equal(undefined);
    await store.delete('a');
    expect(await databaseExists(database)).to.equal(false);

    await store.set('a', 'x');
    expect(await new IndexedDbStore<string>({ database }).get('a')).to.equal('x');
  });
});

class OutboxHost extends LitElement {
  static override properties = { target: {} };
  target?: string;
  box!: Outbox;
  sends: string[] = [];
  renders = 0;
  readonly outbox = new OutboxController<{ n: number }>(this, {
    kind: 'test.write',
    target: () => this.target,
    send: async (entry) => {
      this.sends.push(entry.id);
      return 'done';
    },
    outbox: (this.box = outbox()),
  });

  protected override render() {
    this.renders++;
    return html`${this.outbox.latest?.status ?? 'none'}`;
  }
}
customElements.define('outbox-host', OutboxHost);

describe('OutboxController', () => {
  it('registers once the target is known, lists its entries newest first and re-renders on changes', async () => {
    const el = await fixture<OutboxHost>(html`<outbox-host></outbox-host>`);
    const waiting = el.box.submit('test.write', 'poll-1', { n: 1 }).entry;
    el.box.submit('test.write', 'poll-2', { n: 2 });
    await el.box.flush();
    expect(el.sends).to.deep.equal([]);

    el.target = 'poll-1';
    await until(el.box, waiting.id, 'sent');
    const { entry } = el.outbox.submit({ n: 3 });
    await until(el.box, entry.id, 'sent');
    await el.updateComplete;

    expect(el.outbox.entries.map((e) => e.payload.n)).to.deep.equal([3, 1]);
    expect(el.outbox.latest?.id).to.equal(entry.id);
    expect(el.shadowRoot!.textContent).to.equal('sent');
  });

  it('ignores changes to other targets', async () => {
    const el = await fixture<OutboxHost>(html`<outbox-host target="a"></outbox-host>`);
    const rendersBefore = el.renders;

    await el.box.submit('test.write', 'b', { n: 1 }).settled;
    await el.updateComplete;

    expect(el.renders).to.equal(rendersBefore);
  });

  it('unregisters when disconnected', async () => {
    const el = await fixture<OutboxHost>(html`<outbox-host target="a"></outbox-host>`);
    el.remove();

    const { entry } = el.box.submit('test.write', 'a', { n: 1 });
    await el.box.flush();

    expect(statusOf(el.box, entry.id)).to.equal('waiting');
    expect(el.sends).to.deep.equal([]);
  });

  it('refuses to submit before the target is known', async () => {
    const el = await fixture<OutboxHost>(html`<outbox-host></outbox-host>`);
    expect(() => el.outbox.submit({ n: 1 })).to.throw(CivicError);
  });

  it('tells each change of status once: history is not news, and waiting is told once per submission', async () => {
    const el = await fixture<OutboxHost>(html`<outbox-host></outbox-host>`);
    // Earlier on the page, before the host knew its target: history once marked as seen.
    const old = el.box.submit('test.write', 'a', { n: 1 }).entry;
    el.target = 'a';
    el.outbox.markSeen();
    await until(el.box, old.id, 'sent');
    expect(el.outbox.changes().map(({ entry, before }) => [entry.id, before, entry.status])).to.deep.equal([[old.id, 'waiting', 'sent']]);
    expect(el.outbox.changes()).to.deep.equal([]);

    // Submitted through the controller: its first status is seen already.
    el.remove();
    const offline = el.outbox.submit({ n: 2 }).entry;
    await el.box.flush();
    expect(statusOf(el.box, offline.id)).to.equal('waiting');
    expect(el.outbox.changes(), 'waiting at once is told by the host as it submits').to.deep.equal([]);

    // Found waiting without having been seen before: a change, but not one to tell as "now waiting".
    const unseen = el.box.submit('test.write', 'a', { n: 3 }).entry;
    await el.box.flush();
    const change = el.outbox.changes().find((each) => each.entry.id === unseen.id);
    expect([change?.before, change?.entry.status, change?.nowWaiting]).to.deep.equal([undefined, 'waiting', false]);
  });
});

describe('renderSubmissionStatus', () => {
  const base: OutboxEntry = { id: 'x', kind: 'k', target: 't', payload: {}, status: 'sending', attempts: 1, createdAt: 0 };

  async function view(entry: OutboxEntry, onRetry = (_: OutboxEntry) => {}, onDiscard = (_: OutboxEntry) => {}) {
    // Not `fixture`: it waits for an animation frame, which a page in the background never gets.
    const el = fixtureSync<HTMLDivElement>(html`<div role="status"></div>`);
    render(renderSubmissionStatus(entry, { onRetry, onDiscard, locale: 'en-GB' }), el);
    return el;
  }

  it('says when it is sending', async () => {
    const el = await view(base);
    expect(el.textContent!.trim()).to.equal('Sending…');
    await expect(el).to.be.accessible();
  });

  it('says that a waiting entry is safe and when it will be tried again', async () => {
    const at = new Date(2027, 2, 10, 14, 5, 30).getTime();
    const el = await view({ ...base, status: 'waiting', nextAttemptAt: at, lastError: { kind: 'offline', message: '' } });
    expect(el.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Saved on this device. It will be sent when the connection is back. Next attempt at 14:05:30.',
    );
    await expect(el).to.be.accessible();
  });

  it('says why a failed entry was refused and offers to retry or discard it', async () => {
    const retried: OutboxEntry[] = [];
    const discarded: OutboxEntry[] = [];
    const entry: OutboxEntry = { ...base, status: 'failed', lastError: { kind: 'rate-limited', message: '429' } };
    const el = await view(entry, (e) => retried.push(e), (e) => discarded.push(e));

    expect(el.querySelector('[part~="submission-status"]')!.textContent).to.equal(
      'Could not be sent: Too many attempts. Please wait a moment and try again.',
    );
    const buttons = [...el.querySelectorAll('button')];
    expect(buttons.map((b) => [b.textContent, b.type, b.getAttribute('part')])).to.deep.equal([
      ['Try again', 'button', 'button'],
      ['Discard', 'button', 'button'],
    ]);
    buttons[0]!.click();
    buttons[1]!.click();
    expect(retried).to.deep.equal([entry]);
    expect(discarded).to.deep.equal([entry]);
    await expect(el).to.be.accessible();
  });

  it('says when it was sent', async () => {
    const el = await view({ ...base, status: 'sent' });
    expect(el.textContent!.trim()).to.equal('Sent');
    await expect(el).to.be.accessible();
  });
});

describe('describeError', () => {
  const kinds: CivicErrorKind[] = [
    'network',
    'offline',
    'timeout',
    'validation',
    'unauthorised',
    'forbidden',
    'not-found',
    'conflict',
    'rate-limited',
    'closed',
    'server',
    'misconfigured',
  ];

  it('gives every kind its own sentence, never a status code', () => {
    const sentences = kinds.map((kind) => describeError(new CivicError(kind, 'HTTP 500', { status: 500 })));
    expect(new Set(sentences).size).to.equal(kinds.length);
    for (const sentence of sentences.slice(0, -1)) {
      expect(sentence).to.match(/^[A-Z].*\.$/);
      expect(sentence).not.to.match(/\d/);
    }
    expect(describeError({ kind: 'offline' })).to.match(/^You are offline\./);
  });

  it('tells the webmaster what is missing in the configuration once, in the details', () => {
    const error = new CivicError('misconfigured', 'no adapter serves polls.');
    expect(describeError(error)).to.equal("This widget is not configured. Please tell the site's webmaster.");
    expect(adminDetails(error)).to.equal('no adapter serves polls.');
    expect(adminDetails(new CivicError('server', 'HTTP 500'))).to.equal(undefined);
  });

  it('tells the site administrator that an endpoint answering 404 looks wrong', () => {
    const details = adminDetails(new CivicError('not-found', 'Route GET:/polls/budget not found', { status: 404 }));
    expect(details).to.contain('Route GET:/polls/budget not found');
    expect(details).to.contain('endpoint looks wrong');
  });
});
