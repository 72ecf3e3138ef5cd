// <civic-comment-thread> painting comments: 200 comments on one page, and the first page of a
// 5,000-comment thread. The element is defined first (the loader, then whenDefined), so that the
// numbers are about rendering, not downloading. The adapter is a plain object answering at once
// (latency 0), with comments generated in the page, so that no adapter code is measured.

export default {
  name: 'comment-thread',
  budgets: { paint200: 50, firstPaint5000: 40 },
  async measure({ page, cdn }) {
    return page.evaluate(async (cdn) => {
      const names = ['Camille Roux', 'Youssef Benali', 'Anne-Marie Lefèvre', 'Théo Martin', 'Inès Dubois'];
      const bodies = [
        'The square would be **much** nicer with trees along the south side.',
        'Please keep the Saturday market where it is: it is what brings people into town.',
        'Could the council publish the counts first? See https://example.org/belvoir/traffic',
        'I agree, but:\n- keep parking for the disabled\n- add bicycle stands',
      ];
      const start = Date.parse('2027-01-01T09:00:00Z');
      const comment = (threadId, i) => ({
        id: `${threadId}-${i}`,
        threadId,
        body: bodies[i % bodies.length],
        stance: ['for', 'against', 'neutral'][i % 3],
        authorName: names[i % names.length],
        moderation: 'published',
        supports: (i * 7) % 13,
        replies: i % 5 === 0 ? 2 : 0,
        createdAt: new Date(start + i * 60_000).toISOString(),
        depth: 0,
      });
      const threads = {
        'bench-200': Array.from({ length: 200 }, (_, i) => comment('bench-200', i)),
        'bench-5000': Array.from({ length: 5000 }, (_, i) => comment('bench-5000', i)),
      };
      const thread = (id) => ({
        id, title: 'Redesigning the market square', stances: true, preModeration: false, editWindowSeconds: 900,
        autoHideReports: 3, closed: false, requiredVerification: 'anonymous', comments: threads[id].length,
      });
      const adapter = {
        name: 'bench',
        session: { current: async () => ({ participantId: 'bench', verification: 'anonymous' }) },
        comments: {
          getThread: async (id) => thread(id),
          list: async (id, query = {}) => {
            const from = Number(query.cursor ?? 0);
            const limit = query.limit ?? 20;
            const items = threads[id].slice(from, from + limit);
            const next = from + limit;
            return { items, total: threads[id].length, nextCursor: next < threads[id].length ? String(next) : undefined };
          },
          get: async (id) => threads['bench-200'].find((c) => c.id === id),
          post: async () => { throw new Error('not in this bench'); },
          edit: async () => { throw new Error('not in this bench'); },
          remove: async () => undefined,
          react: async () => { throw new Error('not in this bench'); },
          report: async () => undefined,
        },
      };
      globalThis[Symbol.for('civic-widgets.config')] = { adapter };
      const script = document.createElement('script');
      script.type = 'module';
      script.src = new URL('civic-widgets.js', cdn).href;
      document.head.append(script);
      // Defined through a first element, then measured on fresh ones.
      document.body.append(document.createElement('civic-comment-thread'));
      await customElements.whenDefined('civic-comment-thread');
      document.body.replaceChildren();

      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      async function paint(threadId, pageSize, count) {
        const element = document.createElement('civic-comment-thread');
        element.setAttribute('thread', threadId);
        if (pageSize) element.setAttribute('page-size', String(pageSize));
        const begin = performance.now();
        document.body.append(element);
        const deadline = begin + 10_000;
        while (element.shadowRoot?.querySelectorAll('article').length !== count) {
          if (performance.now() > deadline) throw new Error(`${threadId} never showed ${count} comments`);
          await element.updateComplete;
          if (element.shadowRoot?.querySelectorAll('article').length === count) break;
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        // Until the frame with the comments is painted.
        await frame();
        const took = performance.now() - begin;
        element.remove();
        return took;
      }
      const paint200 = await paint('bench-200', 200, 200);
      const firstPaint5000 = await paint('bench-5000', undefined, 20);
      return { paint200, firstPaint5000 };
    }, cdn);
  },
};
