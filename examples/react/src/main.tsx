import '@civic-widgets/poll/define.js';
import type {} from '@civic-widgets/poll/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { POLL_ID, adapter } from '../../shared/poll.js';

function App() {
  // React 19 sets `adapter` as a property (the element has one) and `heading-level` as an attribute.
  return <civic-poll poll={POLL_ID} heading-level={2} adapter={adapter} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
