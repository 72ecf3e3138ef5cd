import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CivicError, MemoryAdapter, type ParticipationAdapter } from '@civic-widgets/core';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import { commentSeed } from '../../stories/fixtures/comments.js';
import { $, $$, THREAD_IDS, UNKNOWN_THREAD, action, mountThread, settled, text, townAdapter, until } from './helpers.js';
import { describeStates, type State } from '../support/states.js';

/** An adapter whose comment reads fail as `kind`. */
function failingReads(kind: 'forbidden' | 'server'): ParticipationAdapter {
  const adapter = townAdapter();
  return {
    name: 'failing',
    comments: { ...adapter.comments, getThread: () => Promise.reject(new CivicError(kind, `Simulated ${kind}`)) },
  };
}

async function mountWith(adapter: ParticipationAdapter | undefined, thread: string = THREAD_IDS.market): Promise<CivicCommentThread> {
  const el = await fixture<CivicCommentThread>(html`<civic-comment-thread thread=${thread} .adapter=${adapter}></civic-comment-thread>`);
  return settled(el);
}

const states: State<CivicCommentThread>[] = [
  {
    name: 'loading',
    async reach() {
      const el = await mountThread(THREAD_IDS.market, townAdapter({ latency: 60_000 }), { wait: false });
      expect($(el, '[role=status]').getAttribute('aria-busy')).to.equal('true');
      return el;
    },
  },
  {
    name: 'open, with stances, replies open to the flattened level, placeholders',
    async reach() {
      const el = await mountThread(THREAD_IDS.market, townAdapter());
      for (const id of ['m1', 'm1-r1', 'm1-r2', 'm1-r3', 'm2', 'm2-r1', 'm3']) {
        action(el, id, 'replies').click();
        await until(el, `#${CSS.escape(`comment-${id}`)} [data-action=replies][aria-expanded=true]`);
        await waitUntil(() => !el.shadowRoot!.querySelector('.loading'));
      }
      expect(text(el)).to.match(/In reply to|En réponse à/);
      expect(text(el)).to.match(/Hidden by moderation|Masqué par la modération/);
      return el;
    },
  },
  {
    name: 'empty',
    async reach() {
      const el = await mountThread(THREAD_IDS.empty, townAdapter());
      expect(text(el)).to.match(/No comments yet|Aucun commentaire/);
      return el;
    },
  },
  {
    name: 'closed (read-only)',
    async reach() {
      const el = await mountThread(THREAD_IDS.closed, townAdapter());
      expect(el.shadowRoot!.querySelector('form')).to.be.null;
      expect($(el, '[part=notice]')).to.exist;
      return el;
    },
  },
  {
    name: 'verification required',
    async reach() {
      const el = await mountThread(THREAD_IDS.verified, townAdapter());
      expect(el.shadowRoot!.querySelector('form')).to.be.null;
      return el;
    },
  },
  {
    name: 'pre-moderation: the author sees their pending comment',
    async reach() {
      const el = await mountThread(THREAD_IDS.library, townAdapter());
      expect(text($(el, '#comment-l2'))).to.match(/awaiting moderation|attente de modération/);
      return el;
    },
  },
  {
    name: 'composer with errors and preview',
    async reach() {
      const el = await mountThread(THREAD_IDS.market, townAdapter());
      $<HTMLButtonElement>(el, '#new-body ~ .actions button[aria-pressed]').click();
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await el.updateComplete;
      expect($(el, '#new-body').getAttribute('aria-invalid')).to.equal('true');
      expect($(el, '#new-body').getAttribute('aria-describedby')).to.contain('new-body-error');
      return el;
    },
  },
  {
    name: 'reply, edit, delete confirmation and report form open',
    async reach() {
      const el = await mountThread(THREAD_IDS.market, townAdapter({ seed: { comments: [] } }), { sort: 'newest' });
      action(el, 'm24', 'reply').click();
      await el.updateComplete;
      action(el, 'mine', 'edit').click();
      await el.updateComplete;
      action(el, 'm23', 'report').click();
      await until(el, 'civic-report-form');
      action(el, 'mine', 'delete').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'a comment kept offline',
    async reach() {
      const adapter = townAdapter();
      const el = await mountThread(THREAD_IDS.library, adapter);
      adapter.online = false;
      const textarea = $<HTMLTextAreaElement>(el, '#new-body');
      textarea.value = 'Written offline.';
      textarea.dispatchEvent(new Event('input'));
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '.waiting [data-status=waiting]');
      return el;
    },
  },
  {
    name: 'not found',
    async reach() {
      const el = await mountThread(UNKNOWN_THREAD, townAdapter());
      expect($(el, '[part=error]')).to.exist;
      return el;
    },
  },
  {
    name: 'forbidden',
    reach: () => mountWith(failingReads('forbidden')),
  },
  {
    name: 'server error, with a retry',
    async reach() {
      const el = await mountWith(failingReads('server'));
      expect($(el, '[part=error] button')).to.exist;
      return el;
    },
  },
  {
    name: 'offline',
    async reach() {
      const adapter = new MemoryAdapter({ seed: commentSeed() });
      adapter.online = false;
      return mountWith(adapter);
    },
  },
  {
    name: 'misconfigured (no adapter)',
    async reach() {
      const el = await mountWith(undefined);
      expect($(el, '[part=error] details')).to.exist;
      return el;
    },
  },
  {
    name: 'misconfigured (no comments domain)',
    async reach() {
      const adapter = townAdapter();
      return mountWith({ name: 'polls only', polls: adapter.polls });
    },
  },
];

describeStates('civic-comment-thread', states, {
  inFrench: (el) => {
    if ($$(el, '.thread').length > 0) expect(text(el)).to.match(/commentaire|Commentaires|discussion/i);
  },
});
