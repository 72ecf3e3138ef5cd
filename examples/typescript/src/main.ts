import { configure } from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import { POLL_ID, adapter } from '../../shared/poll.js';

configure({ adapter });
const poll = document.querySelector('civic-poll');
if (!poll) throw new Error('no <civic-poll> on the page');
poll.poll = POLL_ID;
