// The cost of <civic-poll> on a page that embeds it with the script tag: from the moment the
// loader is requested to the element being defined, its first render, and its question shown.
// The adapter is a plain object, so that no core code runs before the loader's. The runner adds
// `scriptTime`, the main-thread JavaScript time of the whole measure, which the budget is about.

export default {
  name: 'poll',
  budgets: { scriptTime: 15 },
  async measure({ page, cdn }) {
    return page.evaluate(async (cdn) => {
      const poll = {
        id: 'bench',
        title: 'Which park should be renovated first?',
        type: 'single',
        options: [
          { id: 'north', label: 'North park' },
          { id: 'river', label: 'Riverside gardens' },
          { id: 'station', label: 'Station square' },
        ],
        resultVisibility: 'after-voting',
        allowBallotChange: true,
        requiredVerification: 'anonymous',
      };
      const adapter = {
        name: 'bench',
        session: { current: async () => ({ participantId: 'bench', verification: 'anonymous' }) },
        polls: {
          get: async () => poll,
          participation: async () => ({ canSeeResults: false }),
          castBallot: async () => ({ id: 'ballot', pollId: 'bench', castAt: new Date().toISOString(), choices: ['north'] }),
          results: async () => ({ pollId: 'bench', ballots: 0, options: [], updatedAt: new Date().toISOString() }),
        },
      };
      globalThis[Symbol.for('civic-widgets.config')] = { adapter };
      const element = document.createElement('civic-poll');
      element.setAttribute('poll', 'bench');
      document.body.append(element);

      const script = document.createElement('script');
      script.type = 'module';
      script.src = new URL('civic-widgets.js', cdn).href;
      const start = performance.now();
      document.head.append(script);

      await customElements.whenDefined('civic-poll');
      const defined = performance.now();
      await element.updateComplete;
      const firstRender = performance.now();
      const deadline = firstRender + 10_000;
      while (!element.shadowRoot?.textContent?.includes(poll.title)) {
        if (performance.now() > deadline) throw new Error('the poll never showed its question');
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      const question = performance.now();

      // Evaluation: from the last script byte received to the element being defined.
      const scripts = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.startsWith(cdn) && entry.responseEnd <= defined);
      const downloaded = Math.max(...scripts.map((entry) => entry.responseEnd));
      return {
        download: downloaded - start,
        evaluation: defined - downloaded,
        defined: defined - start,
        firstRender: firstRender - start,
        question: question - start,
      };
    }, cdn);
  },
};
