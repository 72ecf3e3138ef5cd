import { createContext } from '@lit/context';
import type { ParticipationAdapter } from '../contract/adapter.js';

/** The adapter that a `<civic-provider>` hands to the widgets inside it. */
export const adapterContext = createContext<ParticipationAdapter | undefined>(
  Symbol.for('civic-widgets.adapter'),
);
