import type { TrackerDomain } from '../../contract/adapter.js';
import type { ContributionFate, Page, TrackedProject, Tracker } from '../../contract/types.js';
import { id, registerRestDomain, search } from '../rest-adapter.js';

/*
 *   GET  /trackers/{id}            → Tracker.
 *   GET  /trackers/{id}/projects?status=&district=&category=&q=&sort=&cursor=&limit=
 *                                  → Page<TrackedProject> with `total`; each with its latest update.
 *   GET  /projects/{id}            → TrackedProject, every update newest first.
 *   GET  /trackers/{id}/my-contributions?cursor=&limit=
 *                          Bearer  → Page<ContributionFate>. Without a token there is nobody to
 *                                    ask about: the adapter answers an empty page itself and
 *                                    creates no session.
 */
registerRestDomain('tracker', (rest): TrackerDomain => ({
  getTracker: (trackerId, opts) => rest.get<Tracker>(`/trackers/${id(trackerId)}`, opts),
  listProjects: (trackerId, query = {}, opts) => {
    const { status, district, category, q, sort, cursor, limit } = query;
    return rest.get<Page<TrackedProject>>(`/trackers/${id(trackerId)}/projects${search({ status, district, category, q, sort, cursor, limit })}`, opts);
  },
  getProject: (projectId, opts) => rest.get<TrackedProject>(`/projects/${id(projectId)}`, opts),
  myContributions: async (trackerId, query = {}, opts) => {
    const path = `/trackers/${id(trackerId)}/my-contributions${search({ cursor: query.cursor, limit: query.limit })}`;
    // Reading what became of contributions must not make a participant of a mere visitor.
    return (await rest.getAsParticipant<Page<ContributionFate>>(path, opts)) ?? { items: [], total: 0 };
  },
}));
