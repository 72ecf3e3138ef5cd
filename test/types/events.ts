// Type-checked on its own (tsconfig.json beside it), importing only the packages' indexes: the
// events are typed for addEventListener without defining any element.
import type {} from '@civic-widgets/poll';
import type {} from '@civic-widgets/comment-thread';
import type {} from '@civic-widgets/idea-box';
import type {} from '@civic-widgets/participatory-map';
import type {} from '@civic-widgets/results-tracker';

document.addEventListener('civic-vote', (event) => {
  const pollId: string = event.detail.pollId;
  const status: 'sent' | 'waiting' = event.detail.status;
  return [pollId, status];
});
document.addEventListener('civic-error', (event) => event.detail.error.kind);
document.body.addEventListener('civic-comment', (event) => event.detail.threadId);
window.addEventListener('civic-idea-proposed', (event) => event.detail.boxId);
document.addEventListener('civic-report-follow', (event) => event.detail.reportId);
document.querySelector('main')?.addEventListener('civic-project-selected', (event) => event.detail.projectId);

// @ts-expect-error: an unknown field of a typed detail
document.addEventListener('civic-vote', (event) => event.detail.nonsense);
