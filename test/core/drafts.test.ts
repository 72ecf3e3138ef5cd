import { LitElement, html } from 'lit';
import { aTimeout, expect, fixture } from '@open-wc/testing';
import { DraftController } from '../../packages/core/src/drafts/index.js';

interface IdeaDraft {
  title: string;
  body: string;
}

/** A Storage that counts writes and can be made to fail like a full or blocked one. */
class RecordingStorage implements Storage {
  readonly items = new Map<string, string>();
  writes = 0;
  failing = false;

  get length(): number {
    return this.items.size;
  }

  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    if (this.failing) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    if (this.failing) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.writes++;
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    if (this.failing) throw new DOMException('The operation is insecure.', 'SecurityError');
    this.items.delete(key);
  }

  clear(): void {
    this.items.clear();
  }
}

let storage = new RecordingStorage();

class DraftHost extends LitElement {
  static override properties = { draftKey: { attribute: 'draft-key' } };
  draftKey?: string;
  readonly draft = new DraftController<IdeaDraft>(this, {
    key: () => this.draftKey,
    debounceMs: 40,
    storage: () => storage,
  });

  protected override render() {
    return html`${this.draft.value?.title ?? ''}`;
  }
}
customElements.define('draft-host', DraftHost);

const stored = (key: string) => storage.items.get(`civic-widgets:draft:${key}`);

beforeEach(() => {
  storage = new RecordingStorage();
});

describe('DraftController', () => {
  it('writes nothing until the citizen types', async () => {
    const el = await fixture<DraftHost>(html`<draft-host draft-key="idea-box:b1"></draft-host>`);
    el.remove();
    await aTimeout(60);

    expect(storage.writes).to.equal(0);
    expect(el.draft.value).to.equal(undefined);
  });

  it('saves the last value once typing pauses', async () => {
    const el = await fixture<DraftHost>(html`<draft-host draft-key="idea-box:b1"></draft-host>`);

    el.draft.save({ title: 'B', body: '' });
    el.draft.save({ title: 'Be', body: '' });
    el.draft.save({ title: 'Benches', body: '' });

    expect(storage.writes).to.equal(0);
    expect(el.draft.value).to.deep.equal({ title: 'Benches', body: '' });
    await aTimeout(80);
    expect(storage.writes).to.equal(1);
    expect(JSON.parse(stored('idea-box:b1')!)).to.deep.equal({ title: 'Benches', body: '' });
  });

  it('restores the draft after a reload', async () => {
    storage.setItem('civic-widgets:draft:idea-box:b1', JSON.stringify({ title: 'Trees', body: 'Plant some' }));

    const el = await fixture<DraftHost>(html`<draft-host draft-key="idea-box:b1"></draft-host>`);

    expect(el.draft.value).to.deep.equal({ title: 'Trees', body: 'Plant some' });
    expect(el.shadowRoot!.textContent).to.equal('Trees');
  });

  it('writes at once when the page is hidden, left, or the widget removed', async () => {
    const el = await fixture<DraftHost>(html`<draft-host draft-key="k"></draft-host>`);

    el.draft.save({ title: 'one', body: '' });
    window.dispatchEvent(new Event('pagehide'));
    expect(JSON.parse(stored('k')!).title).to.equal('one');

    el.draft.save({ title: 'two', body: '' });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
    }
    expect(JSON.parse(stored('k')!).title).to.equal('two');

    el.draft.save({ title: 'three', body: '' });
    el.remove();
    expect(JSON.parse(stored('k')!).title).to.equal('three');
    expect(storage.writes).to.equal(3);
  });

  it('follows its key: the old draft is kept, the new one restored', async () => {
    storage.setItem('civic-widgets:draft:b', JSON.stringify({ title: 'in b', body: '' }));
    const el = await fixture<DraftHost>(html`<draft-host draft-key="a"></draft-host>`);
    el.draft.save({ title: 'in a', body: '' });

    el.draftKey = 'b';
    await el.updateComplete;

    expect(JSON.parse(stored('a')!).title).to.equal('in a');
    expect(el.draft.value?.title).to.equal('in b');
    expect(el.shadowRoot!.textContent).to.equal('in b');
  });

  it('is cleared after a successful submission', async () => {
    const el = await fixture<DraftHost>(html`<draft-host draft-key="k"></draft-host>`);
    el.draft.save({ title: 'sent', body: '' });
    el.draft.flush();

    el.draft.save({ title: 'sent, edited', body: '' });
    el.draft.clear();
    await aTimeout(80);

    expect(stored('k')).to.equal(undefined);
    expect(el.draft.value).to.equal(undefined);
  });

  it('keeps working when the storage is full or blocked', async () => {
    storage.failing = true;
    const el = await fixture<DraftHost>(html`<draft-host draft-key="k"></draft-host>`);

    el.draft.save({ title: 'typed', body: '' });
    el.draft.flush();
    el.draft.clear();
    el.remove();

    expect(el.draft.value).to.equal(undefined);
    expect(storage.items.size).to.equal(0);
  });

  it('uses localStorage by default', async () => {
    const key = `default-${Date.now()}`;
    const host = {
      addController() {},
      removeController() {},
      requestUpdate() {},
      updateComplete: Promise.resolve(true),
    };
    const draft = new DraftController<string>(host, { key: () => key, debounceMs: 0 });
    draft.hostConnected();

    draft.save('hello');
    draft.flush();

    try {
      expect(localStorage.getItem(`civic-widgets:draft:${key}`)).to.equal('"hello"');
      draft.clear();
      expect(localStorage.getItem(`civic-widgets:draft:${key}`)).to.equal(null);
    } finally {
      draft.hostDisconnected();
      localStorage.removeItem(`civic-widgets:draft:${key}`);
    }
  });
});
