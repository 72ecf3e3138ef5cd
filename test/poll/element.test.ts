import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setLocale, type PollResults } from '@civic-widgets/core';
import { CivicPoll } from '@civic-widgets/poll';
import { CivicPollResults } from '@civic-widgets/poll';
import { $, $$, POLL_IDS, mountPoll, newPageOutbox, townAdapter, until } from './helpers.js';


describe('<civic-poll> element', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
  });

  it('fires nothing public when its properties are set from code', async () => {
    const fired: string[] = [];
    const listen = (event: Event) => fired.push(event.type);
    document.addEventListener('civic-vote', listen);
    document.addEventListener('civic-results-shown', listen);
    try {
      const adapter = townAdapter();
      const el = await mountPoll(POLL_IDS.closed, adapter);
      await until(el, 'civic-poll-results');
      el.poll = POLL_IDS.multiple;
      await waitUntil(() => el.shadowRoot!.querySelector('input[type=checkbox]'));
      el.headingLevel = 3;
      el.adapter = townAdapter();
      await aTimeout(50);
      expect(fired).to.deep.equal([]);
    } finally {
      document.removeEventListener('civic-vote', listen);
      document.removeEventListener('civic-results-shown', listen);
    }
  });

  it('fires civic-vote and civic-results-shown, bubbling and composed, on the citizen’s actions', async () => {
    const el = await mountPoll(POLL_IDS.multiple, townAdapter());
    const shown = new Promise<CustomEvent>((resolve) => document.addEventListener('civic-results-shown', resolve as EventListener, { once: true }));
    $<HTMLButtonElement>(el, '[aria-expanded]').click();
    const results = await shown;
    expect(results.bubbles && results.composed).to.be.true;
    expect(results.detail.pollId).to.equal(POLL_IDS.multiple);
    expect(results.detail.results.ballots).to.equal(84);

    const voted = new Promise<CustomEvent>((resolve) => document.addEventListener('civic-vote', resolve as EventListener, { once: true }));
    $$<HTMLInputElement>(el, 'input[type=checkbox]')[0]!.click();
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    const vote = await voted;
    expect(vote.bubbles && vote.composed).to.be.true;
    expect(vote.detail).to.include({ pollId: POLL_IDS.multiple, status: 'sent' });
    expect(vote.detail.ballot.choices).to.deep.equal(['aire-de-jeux']);
  });

  it('fires civic-error for an error it shows', async () => {
    const adapter = townAdapter();
    adapter.failNext('server');
    const failed = new Promise<CustomEvent>((resolve) => document.addEventListener('civic-error', resolve as EventListener, { once: true }));
    const el = await mountPoll(POLL_IDS.single, adapter);
    const event = await failed;
    expect(event.detail.during).to.equal('load');
    expect(event.detail.error.kind).to.equal('server');
    // "Try again" loads the poll.
    $<HTMLButtonElement>(el, '[part=error] button').click();
    await until(el, 'form');
  });

  it('uses the heading level it is given', async () => {
    const el = await mountPoll(POLL_IDS.closed, townAdapter(), { headingLevel: 4 });
    expect($(el, '#title').localName).to.equal('h4');
    await until(el, 'civic-poll-results');
    const results = $(el, 'civic-poll-results') as CivicPollResults;
    await results.updateComplete;
    expect(results.shadowRoot!.querySelector('#results-heading')!.localName).to.equal('h5');
  });

  it('shows dates in <time> elements, and quorum and turnout in words', async () => {
    const el = await mountPoll(POLL_IDS.closed, townAdapter());
    expect($(el, '[part=dates] time').getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    await until(el, 'civic-poll-results');
    const results = $(el, 'civic-poll-results') as CivicPollResults;
    await results.updateComplete;
    const summary = results.shadowRoot!.querySelector('.summary')!.textContent!;
    expect(summary).to.equal('312 ballots — quorum of 300 reached. Turnout: 27.1% of 1,150 people who may vote.');
    const figures = [...results.shadowRoot!.querySelectorAll('.figures')].map((node) => node.textContent);
    expect(figures.every((figure) => /\d+ votes?, \d+%/.test(figure!))).to.be.true;
    expect(results.shadowRoot!.querySelectorAll('table tbody tr')).to.have.length(2);
  });

  it('announces live results politely, at most every few seconds', async () => {
    const adapter = townAdapter();
    const el = await mountPoll(POLL_IDS.multiple, adapter);
    $<HTMLButtonElement>(el, '[aria-expanded]').click();
    await until(el, 'civic-poll-results');
    const results = $(el, 'civic-poll-results') as CivicPollResults;
    const live = () => results.shadowRoot!.querySelector('[role=status]')!.textContent;
    const vote = async (participant: string) => {
      adapter.actAs({ id: participant });
      await adapter.polls.castBallot(POLL_IDS.multiple, { choices: ['fontaine'] }, { idempotencyKey: participant });
      await results.updateComplete;
    };
    await vote('neighbour-1');
    expect(live()).to.equal('Results updated: 85 ballots');
    await vote('neighbour-2');
    // Counted at once, announced later.
    expect(results.shadowRoot!.querySelector('.summary')!.textContent).to.contain('86 ballots');
    expect(live()).to.equal('Results updated: 85 ballots');
  });

  it('shows when results will be visible', async () => {
    const el = await mountPoll(POLL_IDS.ranking, townAdapter());
    expect($(el, 'article').textContent).to.contain('Results will be visible when the poll closes, on');
  });

  it('states how one vote per person is ensured, and who sees what', async () => {
    const anonymous = await mountPoll(POLL_IDS.single, townAdapter());
    const notice = $(anonymous, '[part=notice]').textContent!;
    expect(notice).to.contain('One vote per device: you take part anonymously');
    expect(notice).to.contain('Une réponse par appareil.');
    expect(notice).to.contain('Only totals are published; nobody sees individual votes.');
    const verified = await mountPoll(POLL_IDS.rating, townAdapter());
    expect($(verified, '[part=notice]').textContent).to.contain('One vote per resident: you sign in on the town’s site');
  });

  it('keeps double registration harmless', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      CivicPoll.define('civic-poll');
      expect(warnings).to.have.length(0);
      // Another copy of the library (or another library) got the tag first.
      customElements.define('civic-poll-elsewhere', class extends HTMLElement {});
      CivicPoll.define('civic-poll-elsewhere');
      expect(customElements.get('civic-poll-elsewhere')).not.to.equal(CivicPoll);
      expect(warnings).to.have.length(1);
      expect(String(warnings[0]![0])).to.contain('<civic-poll-elsewhere> is already defined');
    } finally {
      console.warn = warn;
    }
  });

  it('tells results that belong to another poll apart', async () => {
    // Polls define it when they first show results; this test uses it alone.
    if (!customElements.get('civic-poll-results')) customElements.define('civic-poll-results', CivicPollResults);
    const results = await fixture<CivicPollResults>(html`<civic-poll-results></civic-poll-results>`);
    const poll = (await townAdapter().polls.get(POLL_IDS.single));
    const payload: PollResults = { pollId: poll.id, ballots: 0, options: [], updatedAt: new Date().toISOString() };
    results.poll = poll;
    results.results = payload;
    await results.updateComplete;
    expect(results.shadowRoot!.querySelector('.summary')!.textContent).to.equal('0 ballots.');
    await expect(results).to.be.accessible();
  });
});

describe('<civic-poll> in French', () => {
  beforeEach(() => newPageOutbox());
  after(() => setLocale('en'));

  it('speaks French, dates and numbers included', async () => {
    await setLocale('fr');
    const el = await mountPoll(POLL_IDS.multiple, townAdapter());
    expect($(el, 'button[type=submit]').textContent!.trim()).to.equal('Voter');
    expect($(el, '[part=dates]').textContent).to.match(/^Ouvert jusqu’au \d+ \S+ \d{4}/);
    expect($(el, '#hint').textContent!.replace(/\s+/g, ' ').trim()).to.equal('Choisissez jusqu’à 3 options — aucune choisie pour l’instant.');
    $<HTMLButtonElement>(el, '[aria-expanded]').click();
    await until(el, 'civic-poll-results');
    const results = $(el, 'civic-poll-results') as CivicPollResults;
    await results.updateComplete;
    expect(results.shadowRoot!.querySelector('.summary')!.textContent).to.match(/^84 bulletins — quorum de 100 pas encore atteint\. Participation\u00a0: 1(,0)?\s?% des 8\s400 personnes appelées à voter\.$/);
  });
});
