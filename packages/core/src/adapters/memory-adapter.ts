import { characterProblem, isBlank, textLength } from '../content/text-rules.js';
import type { CommentDomain, IdeaDomain, ParticipationAdapter, PollDomain, SessionDomain } from '../contract/adapter.js';
import { CivicError, type CivicErrorKind } from '../contract/errors.js';
import { OTHER_MAX_LENGTH } from '../contract/limits.js';
import { MemoryComments, type MemoryCommentSeed, type ModerationAction } from './memory-comments.js';
import { MemoryIdeas, type IdeaAnswerInput, type IdeaModerationAction, type MemoryIdeaSeed } from './memory-ideas.js';
import type { TrackerDomain } from '../contract/adapter.js';
import type { TrackedProject, TrackerLiveEvent } from '../contract/types.js';
import { MemoryTracker, projectDiscussions, type MemorySeedProject, type MemoryTrackerSeed, type ProjectUpdateInput } from './memory-tracker.js';
import type { MapDomain } from '../contract/adapter.js';
import type { MapLiveEvent } from '../contract/types.js';
import { MemoryMaps, type MapModerationAction, type MapReportUpdateInput, type MemoryMapSeed } from './memory-maps.js';
import type {
  Ballot,
  BallotInput,
  CommentLiveEvent,
  IdeaLiveEvent,
  LiveListener,
  LiveMessage,
  LiveTopic,
  OptionResult,
  Poll,
  PollResults,
  Session,
  VerificationLevel,
  WriteOptions,
} from '../contract/types.js';

export type { MemoryCommentSeed, MemorySeedComment, MemorySeedThread, ModerationAction } from './memory-comments.js';
export type { IdeaAnswerInput, IdeaModerationAction, MemoryIdeaSeed, MemorySeedIdea } from './memory-ideas.js';
export type {
  MemorySeedContribution,
  MemorySeedOrigin,
  MemorySeedProject,
  MemorySeedTracker,
  MemoryTrackerSeed,
  ProjectUpdateInput,
} from './memory-tracker.js';
export type { MapModerationAction, MapReportUpdateInput, MemoryMapSeed, MemorySeedMapReport } from './memory-maps.js';

export interface MemoryParticipant {
  id?: string;
  verification?: VerificationLevel;
  displayName?: string;
}

export interface MemorySeed {
  polls?: Poll[];
  /** Ballots already cast, each with the participant who cast it. */
  ballots?: Array<Ballot & { participantId: string }>;
  /** Eligible population per poll id, for turnout. */
  electorate?: Record<string, number>;
}

export interface MemoryAdapterOptions {
  /** Each domain's seed; spread several into one object, e.g. `{ ...polls, ...threads }`. */
  seed?: MemorySeed & MemoryCommentSeed & MemoryIdeaSeed & MemoryTrackerSeed & MemoryMapSeed;
  /**
   * The current participant; an anonymous one with a generated id by default, who is known
   * (`session.current()`) only from their first write, as on a real backend.
   */
  participant?: MemoryParticipant;
  /** Simulated network delay in ms, fixed or drawn uniformly from [min, max]. */
  latency?: number | [number, number];
  /** The clock that opening and closing dates and edit windows are compared with. */
  now?: () => Date;
}

interface CurrentParticipant {
  id: string;
  verification: VerificationLevel;
  displayName?: string;
}

interface StoredBallot extends Ballot {
  participantId: string;
}

/**
 * The participation contract, in the browser, with no backend: for Storybook, tests and demos.
 * Not a mock: it enforces what the reference server enforces (one ballot per participant, opening
 * and closing dates, ballot validation, verification, result visibility, idempotent writes; for
 * comments: sorting and paging, pending comments seen by their author only, hidden and deleted
 * placeholders, edit and delete within the window, one support and one report per participant,
 * auto-hide, pre-moderation, closed threads; for ideas: sorts with a stable random order, filters,
 * accent-insensitive search, similar ideas, validation against the box, pre-moderation, one support
 * per participant within the box's limit, one report per participant, auto-hide, closed boxes).
 *
 * For trackers: overview totals, filters, folded search, every sort and paging; origins' titles and
 * counts and "what became of my contributions?" read live from the other domains it holds.
 *
 * A closed thread takes no new comment, edit or support; its comments may still be deleted by
 * their authors within the window and reported. Supports are not broadcast live.
 *
 * A poll that is not open yet rejects ballots with `closed`, like a poll that has closed: either
 * way the poll is not accepting ballots now, and the citizen is told when it opens.
 *
 * Maps follow the same rules as the reference server (see memory-maps.ts): validation against the
 * map and the fields of each category, bounds, pre-moderation, authors following their reports,
 * filters, sorts and cursor paging, drawable points quick enough for 50,000 reports, nearby
 * reports, discussions opened on publication, the council's updates and live events.
 *
 * Everything is copied in and out, so callers cannot reach its state. Failures can be injected
 * with {@link failNext} and {@link online}.
 */
export class MemoryAdapter implements ParticipationAdapter {
  readonly name = 'memory';
  readonly session: SessionDomain;
  readonly polls: PollDomain;
  readonly comments: CommentDomain;
  readonly ideas: IdeaDomain;
  readonly tracker: TrackerDomain;
  readonly maps: MapDomain;

  /** While false, every call rejects with `offline`. */
  online = true;

  private participant: CurrentParticipant;
  /** Whether the participant is known: given, or made known by a first write. */
  private known: boolean;
  private readonly latency: number | [number, number];
  private readonly now: () => Date;
  private readonly pollsById = new Map<string, Poll>();
  /** pollId → participantId → ballot */
  private readonly ballots = new Map<string, Map<string, StoredBallot>>();
  private readonly electorate: Record<string, number>;
  /** Results of writes by participant and idempotency key, replayed when the same write comes again. */
  private readonly replies = new Map<string, { fingerprint: string; result: unknown }>();
  private readonly threads: MemoryComments;
  private readonly ideaBoxes: MemoryIdeas;
  private readonly trackers: MemoryTracker;
  private readonly mapReports: MemoryMaps;
  private readonly listeners = new Map<LiveTopic, Set<LiveListener>>();
  private readonly injected: CivicErrorKind[] = [];
  private eventId = 0;

  constructor(options: MemoryAdapterOptions = {}) {
    const seed = clone(options.seed ?? {});
    this.participant = participantFrom(options.participant);
    this.known = options.participant !== undefined;
    this.latency = options.latency ?? 0;
    this.now = options.now ?? (() => new Date());
    this.electorate = seed.electorate ?? {};
    for (const poll of seed.polls ?? []) this.pollsById.set(poll.id, poll);
    for (const { participantId, ...ballot } of seed.ballots ?? []) {
      this.ballotsOf(ballot.pollId).set(participantId, { ...ballot, participantId });
    }
    // Every project has its discussion, as on the reference server.
    seed.threads = [...(seed.threads ?? []), ...projectDiscussions(seed)];

    this.session = {
      current: (options) =>
        this.call(options?.signal, (): Session | undefined => {
          if (!this.known) return undefined;
          const session: Session = { participantId: this.participant.id, verification: this.participant.verification };
          if (this.participant.displayName !== undefined) session.displayName = this.participant.displayName;
          return session;
        }),
    };

    this.polls = {
      get: (pollId, options) => this.call(options?.signal, () => this.poll(pollId)),
      participation: (pollId, options) =>
        this.call(options?.signal, () => {
          const poll = this.poll(pollId);
          const ballot = this.ballotsOf(pollId).get(this.participant.id);
          return ballot ? { ballot: publicBallot(ballot), canSeeResults: this.canSeeResults(poll) } : { canSeeResults: this.canSeeResults(poll) };
        }),
      castBallot: (pollId, raw, options) => {
        const input = clone(raw);
        return this.write(options, ['ballot', pollId, input], () => this.cast(pollId, input));
      },
      results: (pollId, options) =>
        this.call(options?.signal, () => {
          const poll = this.poll(pollId);
          if (!this.canSeeResults(poll)) {
            throw new CivicError('forbidden', `The results of poll "${pollId}" are not visible yet`, { status: 403 });
          }
          return this.tally(poll);
        }),
    };

    this.threads = new MemoryComments(
      seed,
      this.now,
      (threadId, payload) => this.deliver<CommentLiveEvent>(`thread:${threadId}:comments`, payload),
      // Every published idea has its discussion, as on the reference server.
      (threadId) =>
        threadId.startsWith('idea:')
          ? this.ideaBoxes.discussion(threadId.slice(5))
          : threadId.startsWith('map-report:')
            ? this.mapReports.discussion(threadId.slice(11))
            : undefined,
    );
    // Each call is answered for the participant who made it, even if another one acts meanwhile.
    this.comments = {
      getThread: (threadId, options) => this.call(options?.signal, () => this.threads.thread(threadId)),
      list: (threadId, query = {}, options) => {
        const viewer = this.participant;
        const request = clone(query);
        return this.call(options?.signal, () => this.threads.list(threadId, request, viewer));
      },
      get: (commentId, options) => {
        const viewer = this.participant;
        return this.call(options?.signal, () => this.threads.get(commentId, viewer));
      },
      post: (threadId, raw, options) => {
        const viewer = this.participant;
        const input = clone(raw);
        return this.write(options, ['comment', threadId, input], () => this.threads.post(threadId, input, viewer));
      },
      edit: (commentId, body, options) => {
        const viewer = this.participant;
        return this.write(options, ['edit', commentId, body], () => this.threads.edit(commentId, body, viewer));
      },
      remove: (commentId, options) => {
        const viewer = this.participant;
        return this.write(options, ['remove', commentId], () => this.threads.remove(commentId, viewer));
      },
      react: (commentId, support, options) => {
        const viewer = this.participant;
        return this.write(options, ['reaction', commentId, support], () => this.threads.react(commentId, support, viewer));
      },
      report: (commentId, raw, options) => {
        const viewer = this.participant;
        const input = clone(raw);
        return this.write(options, ['report', commentId, input], () => this.threads.report(commentId, input, viewer));
      },
    };

    this.ideaBoxes = new MemoryIdeas(
      seed,
      this.now,
      (ideaId) => this.threads.commentCount(`idea:${ideaId}`),
      (boxId, payload) => this.deliver<IdeaLiveEvent>(`idea-box:${boxId}:ideas`, payload),
    );
    this.ideas = {
      getBox: (boxId, options) => {
        const viewer = this.participant;
        return this.call(options?.signal, () => this.ideaBoxes.boxFor(boxId, viewer));
      },
      list: (boxId, query = {}, options) => {
        const viewer = this.participant;
        const request = clone(query);
        return this.call(options?.signal, () => this.ideaBoxes.list(boxId, request, viewer));
      },
      get: (ideaId, options) => {
        const viewer = this.participant;
        return this.call(options?.signal, () => this.ideaBoxes.get(ideaId, viewer));
      },
      similar: (boxId, text, options) => {
        const viewer = this.participant;
        return this.call(options?.signal, () => this.ideaBoxes.similar(boxId, text, viewer));
      },
      propose: (boxId, raw, options) => {
        const viewer = this.participant;
        const input = clone(raw);
        return this.write(options, ['idea', boxId, input], () => this.ideaBoxes.propose(boxId, input, viewer));
      },
      support: (ideaId, options) => {
        const viewer = this.participant;
        return this.write(options, ['support', ideaId], () => this.ideaBoxes.support(ideaId, viewer));
      },
      withdrawSupport: (ideaId, options) => {
        const viewer = this.participant;
        return this.write(options, ['withdraw', ideaId], () => this.ideaBoxes.withdrawSupport(ideaId, viewer));
      },
      report: (ideaId, raw, options) => {
        const viewer = this.participant;
        const input = clone(raw);
        return this.write(options, ['idea-report', ideaId, input], () => this.ideaBoxes.report(ideaId, input, viewer));
      },
    };

    this.mapReports = new MemoryMaps(
      seed,
      this.now,
      (reportId) => this.threads.commentCount(`map-report:${reportId}`),
      (mapId, payload) => this.deliver<MapLiveEvent>(`map:${mapId}:reports`, payload),
    );
    this.maps = {
      getMap: (mapId, options) => this.call(options?.signal, () => this.mapReports.map(mapId)),
      listReports: (mapId, query = {}, options) => {
        const viewer = this.participant;
        const request = clone(query);
        return this.call(options?.signal, () => this.mapReports.listReports(mapId, request, viewer));
      },
      // Points are built afresh on each call: copying 50,000 of them again would cost more than drawing them.
      points: (mapId, filter = {}, options) => {
        const request = clone(filter);
        return this.call(options?.signal, () => this.mapReports.points(mapId, request), false);
      },
      getReport: (reportId, options) => {
        const viewer = this.participant;
        return this.call(options?.signal, () => this.mapReports.getReport(reportId, viewer));
      },
      nearby: (mapId, point, radiusMeters, query = {}, options) => {
        const viewer = this.participant;
        const at = clone(point);
        const request = clone(query);
        return this.call(options?.signal, () => this.mapReports.nearby(mapId, at, radiusMeters, request, viewer));
      },
      submitReport: (mapId, raw, options) => {
        const viewer = this.participant;
        const input = clone(raw);
        return this.write(options, ['map-report', mapId, input], () => this.mapReports.submitReport(mapId, input, viewer));
      },
      follow: (reportId, follow, options) => {
        const viewer = this.participant;
        return this.write(options, ['follow', reportId, follow], () => this.mapReports.follow(reportId, follow, viewer));
      },
    };

    this.trackers = new MemoryTracker(
      seed,
      this.now,
      {
        ideas: this.ideaBoxes,
        boxIds: (seed.ideaBoxes ?? []).map((box) => box.id),
        threads: this.threads,
        threadIds: [...new Set([...seed.threads.map((thread) => thread.id), ...(seed.comments ?? []).map((comment) => comment.threadId)])],
        polls: () => this.pollsById.values(),
        ballots: (pollId) => this.ballots.get(pollId),
        maps: { reader: this.mapReports, mapIds: (seed.maps ?? []).map((map) => map.id) },
      },
      (trackerId, payload) => this.deliver<TrackerLiveEvent>(`tracker:${trackerId}:projects`, payload),
    );
    this.tracker = {
      getTracker: (trackerId, options) => this.call(options?.signal, () => this.trackers.tracker(trackerId)),
      listProjects: (trackerId, query = {}, options) => {
        const request = clone(query);
        return this.call(options?.signal, () => this.trackers.list(trackerId, request));
      },
      getProject: (projectId, options) => this.call(options?.signal, () => this.trackers.get(projectId)),
      myContributions: (trackerId, query = {}, options) => {
        const viewer = this.participant;
        const request = clone(query);
        return this.call(options?.signal, () => this.trackers.contributions(trackerId, request, viewer));
      },
    };
  }

  /** The current participant's id. Setting it acts as another (anonymous) participant. */
  get participantId(): string {
    return this.participant.id;
  }

  set participantId(id: string) {
    this.actAs({ id });
  }

  /** Acts as another participant from now on. */
  actAs(participant: MemoryParticipant): void {
    this.participant = participantFrom(participant);
    this.known = true;
  }

  /**
   * The council's decision on a comment, applied at once (no latency, no injected failure), with
   * its live message: `approve` and `restore` publish, `hide` hides a published comment and
   * rejects a pending one.
   */
  moderate(commentId: string, action: ModerationAction): void {
    this.threads.moderate(commentId, action);
  }

  /**
   * The council's follow-up of an idea, applied at once (no latency, no injected failure): its
   * status and official answer, with the live message when the idea is published.
   */
  answerIdea(ideaId: string, answer: IdeaAnswerInput): void {
    this.ideaBoxes.answer(ideaId, clone(answer));
  }

  /**
   * The council's moderation of an idea, applied at once: `approve` and `restore` publish it, `hide`
   * hides a published idea and rejects a pending one.
   */
  moderateIdea(ideaId: string, action: IdeaModerationAction): void {
    this.ideaBoxes.moderate(ideaId, action);
  }

  /**
   * The council's public update of a map report, applied at once (no latency, no injected
   * failure): appended to its updates, changing its status when it says one, with the live message.
   */
  updateMapReport(reportId: string, update: MapReportUpdateInput): void {
    this.mapReports.update(reportId, clone(update));
  }

  /**
   * The council's moderation of a map report, applied at once: `approve` and `restore` publish it,
   * `hide` hides a published report and rejects a pending one.
   */
  moderateMapReport(reportId: string, action: MapModerationAction): void {
    this.mapReports.moderate(reportId, action);
  }

  /**
   * The council creates or replaces a project, applied at once (no latency, no injected failure),
   * with its live message; the project as `getProject` returns it.
   */
  saveProject(project: MemorySeedProject): TrackedProject {
    return clone(this.trackers.save(clone(project)));
  }

  /**
   * The council's update of a project, applied at once: appended to its updates, changing its
   * status or progress when it sets them, with the live message; the project as `getProject` returns it.
   */
  updateProject(projectId: string, update: ProjectUpdateInput): TrackedProject {
    return clone(this.trackers.update(projectId, clone(update)));
  }

  /** The next `times` calls reject with `kind`. */
  failNext(kind: CivicErrorKind, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push(kind);
  }

  subscribe<T = unknown>(topic: LiveTopic, listener: LiveListener<T>): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    // Each subscription is its own entry, even when the same function subscribes twice.
    const entry: LiveListener = (message) => listener(message as LiveMessage<T>);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  // ------------------------------------------------------------------ calls

  /** Simulates a round trip: injected failures, then latency, then the operation on a copy (unless `copy` is false). */
  private async call<T>(signal: AbortSignal | undefined, operation: () => T, copy = true): Promise<T> {
    signal?.throwIfAborted();
    const failure = !this.online ? 'offline' : this.injected.shift();
    await delay(this.delayMs(), signal);
    if (failure) throw injectedError(failure);
    if (!this.online) throw injectedError('offline');
    return copy ? clone(operation()) : operation();
  }

  /**
   * A write with an idempotency key: the same key and the same write replay the first result; the
   * same key for another write is refused. Keys are scoped to the participant, as a server scopes
   * them to the bearer token.
   */
  private write<T>(options: WriteOptions, what: unknown[], operation: () => T): Promise<T> {
    const key = `${this.participant.id}\n${options.idempotencyKey}`;
    const fingerprint = stableJson(what);
    return this.call(options.signal, () => {
      const earlier = this.replies.get(key);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          throw new CivicError('validation', `This idempotency key was already used for a different ${String(what[0])}`, { status: 422 });
        }
        return earlier.result as T;
      }
      const result = operation();
      this.known = true;
      this.replies.set(key, { fingerprint, result });
      return result;
    });
  }

  /** Delivered after the write resolves, as a server's event would be; each listener gets a copy. */
  private deliver<T>(topic: LiveTopic, payload: T): void {
    const listeners = this.listeners.get(topic);
    if (!listeners?.size) return;
    const message: LiveMessage<T> = { topic, id: String(++this.eventId), payload };
    for (const listener of [...listeners]) queueMicrotask(() => listener(clone(message)));
  }

  private delayMs(): number {
    if (typeof this.latency === 'number') return this.latency;
    const [min, max] = this.latency;
    return min + Math.random() * (max - min);
  }

  // ------------------------------------------------------------------ polls

  private poll(pollId: string): Poll {
    const poll = this.pollsById.get(pollId);
    if (!poll) throw new CivicError('not-found', `There is no poll "${pollId}"`, { status: 404 });
    return poll;
  }

  private ballotsOf(pollId: string): Map<string, StoredBallot> {
    let ballots = this.ballots.get(pollId);
    if (!ballots) {
      ballots = new Map();
      this.ballots.set(pollId, ballots);
    }
    return ballots;
  }

  private cast(pollId: string, raw: BallotInput): Ballot {
    const poll = this.poll(pollId);
    if (poll.requiredVerification === 'verified' && this.participant.verification !== 'verified') {
      throw new CivicError('forbidden', 'Only verified participants may vote in this poll', { status: 403 });
    }
    const now = this.now();
    if (poll.opensAt && now < new Date(poll.opensAt)) {
      throw new CivicError('closed', `This poll opens on ${poll.opensAt}`, { status: 410 });
    }
    if (poll.closesAt && now >= new Date(poll.closesAt)) {
      throw new CivicError('closed', `This poll closed on ${poll.closesAt}`, { status: 410 });
    }
    const input = validBallot(poll, raw);

    const ballots = this.ballotsOf(pollId);
    const earlier = ballots.get(this.participant.id);
    if (earlier && !poll.allowBallotChange) {
      throw new CivicError('conflict', 'This participant has already voted in this poll', { status: 409 });
    }
    const at = now.toISOString();
    const ballot: StoredBallot = earlier
      ? { ...input, id: earlier.id, pollId, castAt: earlier.castAt, updatedAt: at, participantId: this.participant.id }
      : { ...input, id: randomId('ballot'), pollId, castAt: at, participantId: this.participant.id };
    ballots.set(this.participant.id, ballot);
    this.publishResults(poll);
    return publicBallot(ballot);
  }

  private canSeeResults(poll: Poll): boolean {
    const now = this.now();
    switch (poll.resultVisibility) {
      case 'always':
        return true;
      case 'after-voting':
        return this.ballotsOf(poll.id).has(this.participant.id);
      case 'after-closing':
        return poll.closesAt !== undefined && now >= new Date(poll.closesAt);
      case 'after-publication':
        return poll.resultsPublishedAt !== undefined && now >= new Date(poll.resultsPublishedAt);
    }
  }

  private tally(poll: Poll): PollResults {
    const ballots = [...this.ballotsOf(poll.id).values()];
    const size = poll.options.length;
    const counts = new Map(poll.options.map((option) => [option.id, { count: 0, sum: 0, n: 0 }]));
    let otherCount = 0;
    for (const ballot of ballots) {
      if (ballot.other !== undefined) otherCount++;
      switch (poll.type) {
        case 'single':
        case 'multiple':
          for (const choice of ballot.choices ?? []) {
            const entry = counts.get(choice);
            if (entry) entry.count++;
          }
          break;
        case 'ranking':
          // Borda: first of n gets n - 1 points, last gets 0.
          (ballot.ranking ?? []).forEach((optionId, index) => {
            const entry = counts.get(optionId);
            if (!entry) return;
            entry.count += size - 1 - index;
            entry.sum += index + 1;
            entry.n++;
          });
          break;
        case 'rating':
          for (const [optionId, value] of Object.entries(ballot.ratings ?? {})) {
            const entry = counts.get(optionId);
            if (!entry) continue;
            entry.count++;
            entry.sum += value;
            entry.n++;
          }
          break;
      }
    }
    const options: OptionResult[] = poll.options.map((option) => {
      const entry = counts.get(option.id)!;
      const result: OptionResult = { optionId: option.id, count: entry.count };
      if ((poll.type === 'ranking' || poll.type === 'rating') && entry.n > 0) result.average = entry.sum / entry.n;
      return result;
    });
    const results: PollResults = { pollId: poll.id, ballots: ballots.length, options, updatedAt: this.now().toISOString() };
    if (poll.allowOther) results.otherCount = otherCount;
    if (poll.quorum !== undefined) {
      results.quorum = poll.quorum;
      results.quorumReached = ballots.length >= poll.quorum;
    }
    const electorate = this.electorate[poll.id];
    if (electorate !== undefined) results.electorate = electorate;
    return results;
  }

  /** Live results reach a subscriber only when the current participant may see them. */
  private publishResults(poll: Poll): void {
    const topic: LiveTopic = `poll:${poll.id}:results`;
    const listeners = this.listeners.get(topic);
    if (!listeners?.size || !this.canSeeResults(poll)) return;
    this.deliver<PollResults>(topic, this.tally(poll));
  }
}

// ------------------------------------------------------------------ validation

/** The ballot reduced to the fields of the poll's type, or a `validation` error naming the fields. */
function validBallot(poll: Poll, input: BallotInput): BallotInput {
  const errors: Record<string, string> = {};
  const known = new Set(poll.options.map((option) => option.id));
  const ballot: BallotInput = {};

  const takesOther = poll.type === 'single' || poll.type === 'multiple';
  if (input.other !== undefined) {
    if (!takesOther || !poll.allowOther) errors.other = 'This poll does not take an "other" answer';
    else if (typeof input.other !== 'string' || isBlank(input.other)) errors.other = 'The "other" answer must not be blank';
    else if (characterProblem(input.other)) errors.other = characterProblem(input.other)!;
    else if (textLength(input.other) > OTHER_MAX_LENGTH) errors.other = `The "other" answer must be at most ${OTHER_MAX_LENGTH} characters`;
    else ballot.other = input.other.trim();
  }
  const withOther = input.other !== undefined ? 1 : 0;

  switch (poll.type) {
    case 'single':
    case 'multiple': {
      const choices = input.choices ?? [];
      if (!Array.isArray(choices) || choices.some((choice) => typeof choice !== 'string' || !known.has(choice))) {
        errors.choices = 'Choose among the options of the poll';
        break;
      }
      if (new Set(choices).size !== choices.length) {
        errors.choices = 'Each option may be chosen once';
        break;
      }
      const total = choices.length + withOther;
      if (poll.type === 'single') {
        if (total !== 1) errors.choices = 'Choose exactly one answer';
      } else {
        const min = poll.minChoices ?? 1;
        const max = poll.maxChoices ?? poll.options.length;
        if (total < min) errors.choices = `Choose at least ${min} answers`;
        else if (total > max) errors.choices = `Choose at most ${max} answers`;
      }
      ballot.choices = [...choices];
      break;
    }
    case 'ranking': {
      const ranking = input.ranking;
      const permutation =
        Array.isArray(ranking) &&
        ranking.length === known.size &&
        new Set(ranking).size === ranking.length &&
        ranking.every((optionId) => known.has(optionId));
      if (!permutation) errors.ranking = 'Rank every option exactly once';
      else ballot.ranking = [...ranking];
      break;
    }
    case 'rating': {
      const ratings = input.ratings;
      const scale = poll.scale ?? { min: 1, max: 5 };
      if (!ratings || typeof ratings !== 'object') {
        errors.ratings = 'Rate every option';
        break;
      }
      const ids = Object.keys(ratings);
      if (ids.length !== known.size || !ids.every((optionId) => known.has(optionId))) {
        errors.ratings = 'Rate every option';
      } else if (!ids.every((optionId) => isOnScale(ratings[optionId], scale.min, scale.max))) {
        errors.ratings = `Each rating must be a whole number from ${scale.min} to ${scale.max}`;
      } else {
        ballot.ratings = { ...ratings };
      }
      break;
    }
  }
  if (Object.keys(errors).length > 0) {
    throw new CivicError('validation', 'The ballot does not fit the poll', { status: 422, fieldErrors: errors });
  }
  return ballot;
}

function isOnScale(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

// ------------------------------------------------------------------ helpers

function participantFrom(participant: MemoryParticipant = {}): CurrentParticipant {
  const result: CurrentParticipant = {
    id: participant.id ?? randomId('participant'),
    verification: participant.verification ?? 'anonymous',
  };
  if (participant.displayName !== undefined) result.displayName = participant.displayName;
  return result;
}

function publicBallot({ participantId: _, ...ballot }: StoredBallot): Ballot {
  return ballot;
}

function injectedError(kind: CivicErrorKind): CivicError {
  return new CivicError(kind, `Simulated ${kind} failure`, kind === 'rate-limited' ? { retryAfter: 1, status: 429 } : {});
}

function randomId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** JSON with object keys sorted, so that equal ballots compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
