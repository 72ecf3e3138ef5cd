import '@civic-widgets/poll/define.js';
import type {} from '@civic-widgets/poll/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { POLL_ID, adapter } from '../../shared/poll.js';

function App() {
  const [vote, setVote] = useState('');
  // React 19 sets `adapter` as a property (the element has one) and `heading-level` as an attribute,
  // and listens for `civic-vote` through `oncivic-vote`.
  return (
    <>
      <civic-poll poll={POLL_ID} heading-level={2} adapter={adapter} oncivic-vote={(event) => setVote(event.detail.status)} />
      <p id="vote-event">{vote}</p>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
