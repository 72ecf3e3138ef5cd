import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import type { CivicPoll } from '@civic-widgets/poll';
import { $, POLL_IDS, mountPoll, settled, townAdapter } from './helpers.js';

const REM = parseFloat(getComputedStyle(document.documentElement).fontSize);

// A page that shows widgets must not jump as they come: each keeps its room while it loads, and
// shows its council text with the rest rather than a moment later.
describe('the room a poll keeps while it loads', () => {
  it('shows its council text in the same render as the poll, not a moment later', async () => {
    const el = await mountPoll(POLL_IDS.multiple, townAdapter({ latency: 50 }), { wait: false });
    let seen: string | undefined;
    await waitUntil(() => {
      if (!el.shadowRoot?.querySelector('article')) return false;
      seen = $(el, '[part~=description]').textContent ?? '';
      return true;
    }, 'the poll');
    // Read in the very update that first showed the poll.
    expect(seen).to.contain('Choisissez de un à trois aménagements');
  });

  it('keeps about a screen of room from before its first render until its first load is in', async () => {
    const el = await mountPoll(POLL_IDS.single, townAdapter({ latency: 300 }), { wait: false });
    expect(el.matches(':state(loading)')).to.be.true;
    expect(el.getBoundingClientRect().height).to.be.at.least(40 * REM - 1);
    await settled(el);
    expect(el.matches(':state(loading)')).to.be.false;
    expect(el.getBoundingClientRect().height).to.be.below(40 * REM);
  });

  it('keeps the room the page asks for with --civic-loading-size', async () => {
    const el = await fixture<CivicPoll>(
      html`<civic-poll poll=${POLL_IDS.single} style="--civic-loading-size: 10rem" .adapter=${townAdapter({ latency: 300 })}></civic-poll>`,
    );
    expect(Math.round(el.getBoundingClientRect().height)).to.equal(10 * REM);
    await settled(el);
    expect(el.matches(':state(loading)')).to.be.false;
  });

  it('gives the room back when it cannot load', async () => {
    const el = await mountPoll('no-such-poll', townAdapter(), { wait: false });
    await settled(el);
    expect(el.matches(':state(loading)')).to.be.false;
    expect(el.getBoundingClientRect().height).to.be.below(40 * REM);
  });
});
