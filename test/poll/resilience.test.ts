import { aTimeout, expect } from '@open-wc/testing';
import { MemoryAdapter, MemoryStore, type OutboxEntry, type Poll } from '@civic-widgets/core';
import type { CivicPoll } from '@civic-widgets/poll';
import { $, $$, POLL_IDS, mountPoll, newPageOutbox, recordedBallot, text, townAdapter, until } from './helpers.js';


async function voteFirst(el: CivicPoll): Promise<void> {
  $<HTMLInputElement>(el, 'input[type=radio]').click();
  $<HTMLButtonElement>(el, 'button[type=submit]').click();
  await el.updateComplete;
}

describe('<civic-poll> loses nothing', () => {
  beforeEach(() => localStorage.clear());

  it('offline vote → reload → back online: one ballot, and the citizen saw it waiting', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const outbox = newPageOutbox(store);
    const adapter = townAdapter();
    const events: string[] = [];
    const first = await mountPoll(POLL_IDS.single, adapter);
    first.addEventListener('civic-vote', (event) => events.push(event.detail.status));
    adapter.online = false;
    await voteFirst(first);
    await until(first, '[data-status=waiting]');
    expect(text($(first, '#outcome'))).to.equal('Your vote is saved on this device');
    expect(text($(first, '[data-status=waiting]'))).to.contain('Saved on this device');
    expect($(first, '.outcome').textContent).to.contain('Médiathèque Simone-Veil');
    expect(events).to.deep.equal(['waiting']);
    expect(outbox.entries()).to.have.length(1);

    // The page is reloaded: a new element and a new outbox over the same device storage.
    first.remove();
    newPageOutbox(store);
    const second = await mountPoll(POLL_IDS.single, adapter);
    await until(second, '[data-status=waiting]');
    // Offline, the poll itself cannot load; the ballot kept on the device is still shown.
    expect($(second, '[part=error]')).to.exist;
    expect(text($(second, '#outcome'))).to.equal('Your vote is saved on this device');

    adapter.online = true;
    window.dispatchEvent(new Event('online'));
    await until(second, '#change');
    expect(text($(second, '#outcome'))).to.equal('Thank you, your vote is recorded');
    const results = await adapter.polls.results(POLL_IDS.single);
    expect(results.ballots).to.equal(57 + 1);
    expect((await recordedBallot(adapter, POLL_IDS.single))?.choices).to.deep.equal(['simone-veil']);
    // The sent entry leaves the device storage just after the outcome is shown.
    for (let tries = 0; tries < 50 && (await store.values()).length > 0; tries++) await aTimeout(20);
    expect(await store.values()).to.deep.equal([]);
  });

  it('a refused ballot, then "Try again": one ballot', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountPoll(POLL_IDS.ranking, adapter);
    const errors: string[] = [];
    el.addEventListener('civic-error', (event) => errors.push(`${event.detail.during}:${event.detail.error.kind}`));
    // More failures than the automatic retries make within the test: the citizen retries.
    adapter.failNext('validation');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(el, '[data-status=failed]');
    expect(errors).to.deep.equal(['submit:validation']);
    const retry = $$<HTMLButtonElement>(el, '[part~=submission-actions] button')[0]!;
    retry.focus();
    retry.click();
    await until(el, '#outcome');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.id).to.equal('outcome');
    expect((await adapter.polls.results(POLL_IDS.ranking).catch((e) => e.kind))).to.equal('forbidden');
    expect(await recordedBallot(adapter, POLL_IDS.ranking)).to.exist;
  });

  it('a transient server error is retried by itself: one ballot', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountPoll(POLL_IDS.single, adapter);
    const events: string[] = [];
    el.addEventListener('civic-vote', (event) => events.push(event.detail.status));
    adapter.failNext('server');
    await voteFirst(el);
    await until(el, '#change');
    expect(events).to.deep.equal(['waiting', 'sent']);
    expect((await adapter.polls.results(POLL_IDS.single)).ballots).to.equal(58);
  });

  it('keeps the "other" answer being typed across a reload', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const first = await mountPoll(POLL_IDS.multiple, adapter);
    $$<HTMLInputElement>(first, 'input[type=checkbox]').at(-1)!.click();
    await first.updateComplete;
    const input = $<HTMLInputElement>(first, '#other-text');
    input.value = 'Un kiosque à musique';
    input.dispatchEvent(new Event('input'));
    first.remove();
    const second = await mountPoll(POLL_IDS.multiple, adapter);
    $$<HTMLInputElement>(second, 'input[type=checkbox]').at(-1)!.click();
    await second.updateComplete;
    expect($<HTMLInputElement>(second, '#other-text').value).to.equal('Un kiosque à musique');
  });
});

const HOSTILE = [
  '<img src=x onerror=window.__pwned=1>',
  '<script>window.__pwned=1</script>',
  '<a href="javascript:window.__pwned=1">link</a>',
  '"><svg/onload=window.__pwned=1>',
];

function hostilePoll(type: Poll['type'], payload: string): Poll {
  return {
    id: `hostile-${type}`,
    title: `Title ${payload}`,
    description: `<p>Description ${payload}</p><p><a href="javascript:window.__pwned=1">click</a></p>`,
    type,
    options: [
      { id: 'a', label: `Label ${payload}`, description: `Help ${payload}` },
      { id: 'b', label: 'Plain' },
    ],
    allowOther: type === 'single' || type === 'multiple',
    scale: { min: 1, max: 3, labels: { '1': `Low ${payload}`, '3': `High ${payload}` } },
    resultVisibility: 'always',
    allowBallotChange: true,
    requiredVerification: 'anonymous',
    eligibilityNote: `Note ${payload}`,
  };
}

describe('<civic-poll> with hostile poll data', () => {
  beforeEach(() => {
    newPageOutbox();
    delete (window as { __pwned?: unknown }).__pwned;
  });

  for (const payload of HOSTILE) {
    for (const type of ['single', 'multiple', 'ranking', 'rating'] as const) {
      it(`${type}: ${payload} stays inert`, async () => {
        const poll = hostilePoll(type, payload);
        const adapter = new MemoryAdapter({ seed: { polls: [poll] } });
        const el = await mountPoll(poll.id, adapter);
        // Results too (bars, table), and the "other" field.
        $<HTMLButtonElement>(el, '[aria-expanded]').click();
        await until(el, 'civic-poll-results');
        await aTimeout(100); // DOMPurify loads lazily for the description
        const roots = [el.shadowRoot!, ...$$(el, 'civic-poll-results, civic-poll-ranking').map((sub) => sub.shadowRoot!)];
        for (const root of roots) {
          expect(root.querySelector('img, script, svg:not(.handle svg), iframe, [onerror], [onload]')).to.be.null;
          for (const link of root.querySelectorAll('a')) expect(link.getAttribute('href') ?? '').not.to.match(/javascript:/i);
        }
        const shown = roots.map((root) => root.textContent).join(' ');
        expect(shown).to.contain(`Title ${payload}`);
        expect(shown).to.contain(`Label ${payload}`);
        expect(shown).to.contain(`Note ${payload}`);
        if (type === 'rating') expect(shown).to.contain(`Low ${payload}`);
        if (type !== 'rating') expect(shown).to.contain(`Help ${payload}`);
        expect((window as { __pwned?: unknown }).__pwned).to.be.undefined;
      });
    }
  }
});
