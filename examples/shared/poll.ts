// The one poll every example shows, served by the MemoryAdapter in the page.
import { MemoryAdapter } from '@civic-widgets/core';

export const POLL_ID = 'bike-lanes';

export const adapter = new MemoryAdapter({
  seed: {
    polls: [
      {
        id: POLL_ID,
        title: 'Should the high street get a bike lane?',
        type: 'single',
        options: [
          { id: 'yes', label: 'Yes' },
          { id: 'no', label: 'No' },
        ],
        resultVisibility: 'always',
        allowBallotChange: false,
        requiredVerification: 'anonymous',
      },
    ],
  },
});
