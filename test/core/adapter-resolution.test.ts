import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '@civic-widgets/core/define.js';
import { MemoryAdapter, RestAdapter, configure, getConfig, type AdapterSource } from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import type { CivicPoll } from '@civic-widgets/poll';
import { createTownSeed, POLL_IDS } from './fixtures/polls.js';

/** Where the poll took its adapter from, read through its controller. */
function sourceOf(el: CivicPoll): { source?: AdapterSource; adapter?: unknown } {
  const controller = (el as unknown as { adapterController: { source?: AdapterSource; adapter?: unknown } }).adapterController;
  return { source: controller.source, adapter: controller.adapter };
}

const town = () => new MemoryAdapter({ seed: createTownSeed() });

describe('adapter resolution', () => {
  const initial = { ...getConfig() };
  afterEach(() => configure({ adapter: initial.adapter, endpoint: initial.endpoint }));

  it('takes the property first, then the provider, then configure(), then the endpoint attribute', async () => {
    const own = town();
    const provided = town();
    const configured = town();
    configure({ adapter: configured });
    const mount = async (adapter?: MemoryAdapter) => {
      const wrapper = await fixture<HTMLElement>(html`<civic-provider .adapter=${provided}>
        <civic-poll poll=${POLL_IDS.single} endpoint="https://example.invalid/api/v1" .adapter=${adapter}></civic-poll>
      </civic-provider>`);
      const el = wrapper.querySelector('civic-poll')!;
      await el.updateComplete;
      return el;
    };
    expect(sourceOf(await mount(own))).to.deep.equal({ source: 'property', adapter: own });
    expect(sourceOf(await mount())).to.deep.equal({ source: 'provider', adapter: provided });

    const alone = await fixture<CivicPoll>(
      html`<civic-poll poll=${POLL_IDS.single} endpoint="https://example.invalid/api/v1"></civic-poll>`,
    );
    expect(sourceOf(alone)).to.deep.equal({ source: 'configuration', adapter: configured });

    configure({ adapter: undefined });
    await alone.updateComplete;
    const last = sourceOf(alone);
    expect(last.source).to.equal('endpoint');
    expect(last.adapter).to.be.instanceOf(RestAdapter);
  });

  it('shares one RestAdapter (its session and its live stream) between spellings of one endpoint', async () => {
    configure({ adapter: undefined });
    const relative = await fixture<CivicPoll>(html`<civic-poll poll=${POLL_IDS.single} endpoint="/same/api/v1"></civic-poll>`);
    const absolute = await fixture<CivicPoll>(html`<civic-poll poll=${POLL_IDS.single} endpoint="${location.origin}/same/api/v1/"></civic-poll>`);
    const other = await fixture<CivicPoll>(html`<civic-poll poll=${POLL_IDS.single} endpoint="/other/api/v1"></civic-poll>`);
    const adapterOf = (el: CivicPoll) => sourceOf(el).adapter;
    expect(adapterOf(relative)).to.be.instanceOf(RestAdapter);
    expect(adapterOf(absolute)).to.equal(adapterOf(relative));
    expect(adapterOf(other)).not.to.equal(adapterOf(relative));
  });

  it('loads again from the new adapter when it changes', async () => {
    const el = await fixture<CivicPoll>(html`<civic-poll poll=${POLL_IDS.single}></civic-poll>`);
    el.adapter = town();
    await waitUntil(() => el.shadowRoot!.querySelector('form'), 'the poll never loaded');
  });

  it('says clearly, on screen, when no adapter can be found', async () => {
    const errors: string[] = [];
    const el = await fixture<CivicPoll>(html`<civic-poll
      poll=${POLL_IDS.single}
      @civic-error=${(event: CustomEvent) => errors.push(event.detail.error.kind)}
    ></civic-poll>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part=error]'), 'no configuration error shown');
    const box = el.shadowRoot!.querySelector('[part=error]')!;
    expect(box.getAttribute('role')).to.equal('alert');
    expect(box.textContent).to.contain('This widget is not configured');
    expect(box.querySelector('details')!.textContent).to.contain('adapter');
    expect(errors).to.deep.equal(['misconfigured']);
    await expect(el).to.be.accessible();
  });

  it('says so when the adapter does not serve polls', async () => {
    const el = await fixture<CivicPoll>(html`<civic-poll poll="x" .adapter=${{ name: 'ideas-only' }}></civic-poll>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part=error]'), 'no configuration error shown');
    expect(el.shadowRoot!.querySelector('[part=error] details')!.textContent).to.contain('does not serve "polls"');
  });
});
