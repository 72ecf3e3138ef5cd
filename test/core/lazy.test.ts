import { expect } from '@open-wc/testing';
import { lazy, onlineOrAfter } from '@civic-widgets/core';

describe('lazy', () => {
  it('fetches once, on first use, and keeps what it got', async () => {
    let calls = 0;
    const load = lazy(async () => ++calls);
    expect(calls).to.equal(0);
    expect(await Promise.all([load(), load()])).to.deep.equal([1, 1]);
    expect(await load()).to.equal(1);
    expect(calls).to.equal(1);
  });

  it('tries again on the next call after a failed fetch, instead of failing for the page’s life', async () => {
    let calls = 0;
    const load = lazy(async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'chunk';
    });
    let failure: unknown;
    await load().catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(TypeError);
    expect(await load()).to.equal('chunk');
    expect(await load()).to.equal('chunk');
    expect(calls).to.equal(2);
  });
});

describe('onlineOrAfter', () => {
  it('resolves as soon as the browser is back online', async () => {
    const started = performance.now();
    const waiting = onlineOrAfter(60_000);
    window.dispatchEvent(new Event('online'));
    await waiting;
    expect(performance.now() - started).to.be.below(1000);
  });

  it('resolves after its delay when nothing says the network is back', async () => {
    let done = false;
    const waiting = onlineOrAfter(50).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).to.equal(false);
    await waiting;
    expect(done).to.equal(true);
  });
});
