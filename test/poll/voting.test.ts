import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { MemoryAdapter } from '@civic-widgets/core';
import type { CivicPoll } from '@civic-widgets/poll';
import { $, $$, POLL_IDS, focused, mountPoll, newPageOutbox, press, recordedBallot, tabWithin, text, townAdapter } from './helpers.js';

/** A poll has few Tab stops: 30 presses reach any of them. */
const tabUntil = async (el: CivicPoll, matches: (element: Element) => boolean) => {
  await tabWithin(el, matches, 30);
};

const isSubmit = (element: Element) => element.matches('button[type=submit]');

async function thanked(el: CivicPoll, adapter: MemoryAdapter, pollId: string) {
  await waitUntil(() => el.shadowRoot!.querySelector('#outcome'), 'no thank-you message', { timeout: 4000 });
  await el.updateComplete;
  const outcome = $(el, '#outcome');
  expect(outcome.textContent).to.contain('Thank you');
  // Focus went to the message, not to <body>.
  expect(el.shadowRoot!.activeElement).to.equal(outcome);
  return recordedBallot(adapter, pollId);
}

/** Clicks the middle of an element of the poll (or of one of its sub-elements). */
async function click(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'center' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

function ranking(el: CivicPoll): ShadowRoot {
  return $(el, 'civic-poll-ranking').shadowRoot!;
}

function rankedIds(el: CivicPoll): string[] {
  return [...ranking(el).querySelectorAll<HTMLElement>('li')].map((li) => li.dataset.id!);
}

describe('<civic-poll> voting', () => {
  let adapter: MemoryAdapter;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  afterEach(() => resetMouse());

  describe('with the keyboard only', () => {
    it('single choice: Tab, arrows, Enter', async () => {
      const el = await mountPoll(POLL_IDS.single, adapter);
      await press('Tab');
      expect(focused(el)?.matches('input[type=radio]')).to.be.true;
      await press('ArrowDown');
      await tabUntil(el, isSubmit);
      await press('Enter');
      const ballot = await thanked(el, adapter, POLL_IDS.single);
      expect(ballot?.choices).to.deep.equal(['les-tilleuls']);
    });

    it('multiple choice with "other": Space, typing, the live count and a refused over-choice', async () => {
      const el = await mountPoll(POLL_IDS.multiple, adapter);
      await press('Tab', 'Space', 'Tab', 'Space', 'Tab', 'Space', 'Tab', 'Space');
      expect(text($(el, '#hint'))).to.contain('Choose up to 3 options — 4 chosen');
      await tabUntil(el, isSubmit);
      await press('Enter');
      await el.updateComplete;
      const boxes = $$<HTMLInputElement>(el, 'input[type=checkbox]');
      expect(boxes[0]!.getAttribute('aria-invalid')).to.equal('true');
      expect(focused(el)).to.equal(boxes[0]);
      expect(text($(el, '#choices-error'))).to.equal('Choose up to 3 options.');
      expect($(el, 'fieldset').getAttribute('aria-describedby')).to.contain('choices-error');
      expect(await recordedBallot(adapter, POLL_IDS.multiple)).to.be.undefined;

      // Untick the 2nd, 3rd and 4th, tick "Other" and write an answer.
      await press('Tab', 'Space', 'Tab', 'Space', 'Tab', 'Space', 'Tab', 'Tab', 'Space');
      expect(text($(el, '#hint'))).to.contain('2 chosen');
      await press('Tab');
      expect(focused(el)?.id).to.equal('other-text');
      await sendKeys({ type: 'Une boîte à livres' });
      await press('Enter');
      const ballot = await thanked(el, adapter, POLL_IDS.multiple);
      expect(ballot?.choices).to.deep.equal(['aire-de-jeux']);
      expect(ballot?.other).to.equal('Une boîte à livres');
    });

    it('ranking: Move buttons and Alt+arrows, announced, focus kept on the moved item', async () => {
      const el = await mountPoll(POLL_IDS.ranking, adapter);
      await press('Tab');
      expect(focused(el)?.textContent).to.contain('Move Éclairage public à LED up');
      await press('Tab', 'Enter');
      expect(rankedIds(el)).to.deep.equal(['cour-oasis', 'eclairage-led', 'skatepark', 'navette']);
      expect(focused(el)?.closest('li')?.dataset.id).to.equal('eclairage-led');
      expect(ranking(el).querySelector('[role=status]')!.textContent).to.equal(
        'Moved Éclairage public à LED to position 2 of 4',
      );
      await sendKeys({ down: 'Alt' });
      await press('ArrowDown');
      await sendKeys({ up: 'Alt' });
      await el.updateComplete;
      expect(rankedIds(el)).to.deep.equal(['cour-oasis', 'skatepark', 'eclairage-led', 'navette']);
      expect(focused(el)?.closest('li')?.dataset.id).to.equal('eclairage-led');
      expect(ranking(el).querySelector('[role=status]')!.textContent).to.equal(
        'Moved Éclairage public à LED to position 3 of 4',
      );
      await tabUntil(el, isSubmit);
      await press('Enter');
      const ballot = await thanked(el, adapter, POLL_IDS.ranking);
      expect(ballot?.ranking).to.deep.equal(['cour-oasis', 'skatepark', 'eclairage-led', 'navette']);
    });

    it('rating: one radio group per item, every item required', async () => {
      adapter.actAs({ verification: 'verified' });
      const el = await mountPoll(POLL_IDS.rating, adapter);
      await press('Tab', 'Space', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Tab', 'Space');
      await tabUntil(el, isSubmit);
      await press('Enter');
      await el.updateComplete;
      const third = $$<HTMLInputElement>(el, 'input[name=rating-2]');
      expect(third[0]!.getAttribute('aria-invalid')).to.equal('true');
      expect(text($(el, '#ratings-error'))).to.equal('Rate every item: one is missing.');
      expect(focused(el)).to.equal(third[0]);
      await press('Space', 'ArrowRight');
      await tabUntil(el, isSubmit);
      await press('Enter');
      const ballot = await thanked(el, adapter, POLL_IDS.rating);
      expect(ballot?.ratings).to.deep.equal({ 'ligne-1': 4, 'ligne-2': 1, 'ligne-3': 2 });
    });

    it('changes a vote where the poll allows it', async () => {
      const el = await mountPoll(POLL_IDS.single, adapter);
      await press('Tab', 'Space', 'Tab', 'Enter');
      await thanked(el, adapter, POLL_IDS.single);
      await tabUntil(el, (element) => element.id === 'change');
      await press('Enter');
      await el.updateComplete;
      expect(focused(el)?.matches('input[type=radio]:checked')).to.be.true;
      await press('ArrowDown', 'ArrowDown');
      await tabUntil(el, isSubmit);
      await press('Enter');
      const ballot = await thanked(el, adapter, POLL_IDS.single);
      expect(ballot?.choices).to.deep.equal(['jules-verne']);
    });
  });

  describe('with the pointer', () => {
    it('single choice', async () => {
      const el = await mountPoll(POLL_IDS.single, adapter);
      await click($$(el, 'label.option')[2]!);
      await click($(el, 'button[type=submit]'));
      const ballot = await thanked(el, adapter, POLL_IDS.single);
      expect(ballot?.choices).to.deep.equal(['jules-verne']);
    });

    it('multiple choice with "other"', async () => {
      const el = await mountPoll(POLL_IDS.multiple, adapter);
      const options = $$(el, 'label.option');
      await click(options[1]!);
      await click(options[3]!);
      await click(options[5]!);
      await el.updateComplete;
      await click($(el, '#other-text'));
      await sendKeys({ type: 'Des toilettes' });
      await click($(el, 'button[type=submit]'));
      const ballot = await thanked(el, adapter, POLL_IDS.multiple);
      expect(ballot?.choices).to.deep.equal(['jardins-partages', 'fontaine']);
      expect(ballot?.other).to.equal('Des toilettes');
    });

    it('ranking: dragging a handle, and the Move buttons', async () => {
      const el = await mountPoll(POLL_IDS.ranking, adapter);
      const handles = () => [...ranking(el).querySelectorAll('.handle')];
      const last = handles()[3]!;
      last.scrollIntoView({ block: 'center' });
      const from = last.getBoundingClientRect();
      const to = handles()[0]!.getBoundingClientRect();
      const x = Math.round(from.x + from.width / 2);
      await sendMouse({ type: 'move', position: [x, Math.round(from.y + from.height / 2)] });
      await sendMouse({ type: 'down' });
      for (let step = 1; step <= 6; step++) {
        const y = from.y + from.height / 2 + ((to.y - from.y) * step) / 6 - 4;
        await sendMouse({ type: 'move', position: [x, Math.round(y)] });
        await aTimeout(16);
      }
      await sendMouse({ type: 'up' });
      await el.updateComplete;
      expect(rankedIds(el)).to.deep.equal(['navette', 'eclairage-led', 'cour-oasis', 'skatepark']);
      expect(ranking(el).querySelector('[role=status]')!.textContent).to.equal(
        'Moved Navette gratuite le samedi to position 1 of 4',
      );
      // Then the second item one down with its button.
      await click(ranking(el).querySelectorAll('li')[1]!.querySelectorAll('button')[1]!);
      expect(rankedIds(el)).to.deep.equal(['navette', 'cour-oasis', 'eclairage-led', 'skatepark']);
      await click($(el, 'button[type=submit]'));
      const ballot = await thanked(el, adapter, POLL_IDS.ranking);
      expect(ballot?.ranking).to.deep.equal(['navette', 'cour-oasis', 'eclairage-led', 'skatepark']);
    });

    it('rating', async () => {
      adapter.actAs({ verification: 'verified' });
      const el = await mountPoll(POLL_IDS.rating, adapter);
      for (const [index, value] of [[0, 5], [1, 3], [2, 1]] as const) {
        await click($$(el, `input[name=rating-${index}]`)[value - 1]!.closest('label')!);
      }
      await click($(el, 'button[type=submit]'));
      const ballot = await thanked(el, adapter, POLL_IDS.rating);
      expect(ballot?.ratings).to.deep.equal({ 'ligne-1': 5, 'ligne-2': 3, 'ligne-3': 1 });
    });
  });
});
