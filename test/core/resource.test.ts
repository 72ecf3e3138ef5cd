import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { CivicError, FocusController, ResourceController } from '@civic-widgets/core';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  signal: AbortSignal;
}

/** A host whose resource reads `name`, with each read left for the test to answer. */
class ResourceHost extends LitElement {
  static override properties = { name: {} };
  name = '';
  reads: Array<Deferred<string> & { args: readonly [string] }> = [];
  resets = 0;
  errors: CivicError[] = [];
  readonly resource = new ResourceController(this, {
    args: () => [this.name] as const,
    task: (args, signal) => {
      let resolve!: (value: string) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<string>((ok, fail) => ((resolve = ok), (reject = fail)));
      this.reads.push({ promise, resolve, reject, signal, args });
      return promise;
    },
    onReset: () => this.resets++,
    onError: (error) => this.errors.push(error),
  });

  override render() {
    return html`<p>${this.resource.render({
      initial: () => 'initial',
      pending: () => 'pending',
      complete: (value) => `complete:${value}`,
      error: (error) => `error:${error.kind}`,
    })}</p>`;
  }
}
customElements.define('test-resource-host', ResourceHost);

const shown = (el: ResourceHost) => el.shadowRoot!.querySelector('p')!.textContent;
const flush = async (el: LitElement) => {
  await new Promise((resolve) => setTimeout(resolve));
  await el.updateComplete;
};

describe('ResourceController', () => {
  it('reads nothing while an input is empty, then reads and renders by status', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host></test-resource-host>`);
    expect(el.reads).to.have.length(0);
    expect(shown(el)).to.equal('initial');
    el.name = 'budget';
    await el.updateComplete;
    expect(el.reads.map((read) => read.args[0])).to.deep.equal(['budget']);
    expect(shown(el)).to.equal('pending');
    el.reads[0]!.resolve('B');
    await flush(el);
    expect(shown(el)).to.equal('complete:B');
    expect(el.resets).to.equal(0);
  });

  it('aborts the read that new inputs replace, drops its late answer and forgets the old value', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host name="a"></test-resource-host>`);
    el.reads[0]!.resolve('A');
    await flush(el);
    el.name = 'b';
    await el.updateComplete;
    el.name = 'c';
    await el.updateComplete;
    expect(el.reads.map((read) => read.args[0])).to.deep.equal(['a', 'b', 'c']);
    expect(el.reads[1]!.signal.aborted).to.equal(true);
    expect(el.reads[2]!.signal.aborted).to.equal(false);
    expect(el.resets).to.equal(2);
    expect(shown(el)).to.equal('pending');
    el.reads[2]!.resolve('C');
    el.reads[1]!.resolve('B, too late');
    await flush(el);
    expect(shown(el)).to.equal('complete:C');
  });

  it('keeps the value in view while the same inputs are read again', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host name="a"></test-resource-host>`);
    el.reads[0]!.resolve('A');
    await flush(el);
    const again = el.resource.run();
    await el.updateComplete;
    expect(el.resource.status).to.equal('pending');
    expect(shown(el)).to.equal('complete:A');
    el.reads[1]!.resolve('A2');
    await again;
    await el.updateComplete;
    expect(shown(el)).to.equal('complete:A2');
  });

  it('reports a failure, and reads again once back online when the network may have been the cause', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host name="a"></test-resource-host>`);
    el.reads[0]!.reject(new CivicError('network', 'offline'));
    await flush(el);
    expect(shown(el)).to.equal('error:network');
    expect(el.errors.map((error) => error.kind)).to.deep.equal(['network']);
    window.dispatchEvent(new Event('online'));
    await el.updateComplete;
    expect(el.reads).to.have.length(2);
    el.reads[1]!.resolve('A');
    await flush(el);
    expect(shown(el)).to.equal('complete:A');
  });

  it('does not read again online after a failure the network does not mend', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host name="a"></test-resource-host>`);
    el.reads[0]!.reject(new CivicError('not-found', 'gone'));
    await flush(el);
    window.dispatchEvent(new Event('online'));
    await flush(el);
    expect(el.reads).to.have.length(1);
    expect(shown(el)).to.equal('error:not-found');
  });

  it('aborts its read when taken off the page, and reads again when put back', async () => {
    const el = await fixture<ResourceHost>(testHtml`<test-resource-host name="a"></test-resource-host>`);
    const parent = el.parentElement!;
    el.remove();
    expect(el.reads[0]!.signal.aborted).to.equal(true);
    parent.append(el);
    await el.updateComplete;
    expect(el.reads).to.have.length(2);
    expect(el.resets).to.equal(0);
    el.reads[1]!.resolve('A');
    await el.resource.settled();
    await el.updateComplete;
    expect(shown(el)).to.equal('complete:A');
  });
});

/** A host with a list and a detail view, as the widgets open and close theirs. */
class FocusHost extends LitElement {
  static override properties = { open: {} };
  open = false;
  readonly focusing = new FocusController(this, '#title');
  override render() {
    return this.open
      ? html`<h2 id="title" tabindex="-1">T</h2><div id="detail"><button id="close">Close</button></div>`
      : html`<h2 id="title" tabindex="-1">T</h2><ul><li><button id="item">Item</button></li></ul>`;
  }
}
customElements.define('test-focus-host', FocusHost);

describe('FocusController', () => {
  const active = (el: LitElement) => el.shadowRoot!.activeElement?.id;

  it('moves focus to the control asked for once rendered, and back where it came from', async () => {
    const el = await fixture<FocusHost>(testHtml`<test-focus-host></test-focus-host>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('#item')!.focus();
    el.open = true;
    el.focusing.open('#close', '#item');
    await el.updateComplete;
    expect(active(el)).to.equal('close');
    el.open = false;
    el.focusing.back();
    await el.updateComplete;
    expect(active(el)).to.equal('item');
  });

  it('puts focus on the fallback when the focused control went away with an update', async () => {
    const el = await fixture<FocusHost>(testHtml`<test-focus-host></test-focus-host>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('#item')!.focus();
    el.open = true;
    await el.updateComplete;
    expect(active(el)).to.equal('title');
  });
});
