import { expect } from '@open-wc/testing';
import { MemoryAdapter } from '../../packages/core/src/adapters/memory-adapter.js';
import { CivicError, type CivicErrorKind } from '../../packages/core/src/contract/errors.js';
import type { BallotInput, LiveMessage, Poll, PollResults } from '../../packages/core/src/contract/types.js';
import { POLL_IDS, createPolls, createTownSeed } from './fixtures/polls.js';

const NOW = new Date('2027-03-10T12:00:00+01:00');
let keys = 0;
const key = () => `key-${++keys}`;

function basePoll(overrides: Partial<Poll>): Poll {
  return {
    id: 'p',
    title: 'Poll',
    type: 'single',
    options: [
      { id: 'a', label: 'A' },
      { id: 'b', label: 'B' },
      { id: 'c', label: 'C' },
    ],
    resultVisibility: 'always',
    allowBallotChange: false,
    requiredVerification: 'anonymous',
    ...overrides,
  };
}

function adapterWith(...polls: Poll[]): MemoryAdapter {
  return new MemoryAdapter({ seed: { polls }, participant: { id: 'me' }, now: () => NOW });
}

async function rejection(promise: Promise<unknown>): Promise<CivicError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CivicError);
    return error as CivicError;
  }
  throw new Error('Expected a rejection');
}

async function expectKind(promise: Promise<unknown>, kind: CivicErrorKind): Promise<CivicError> {
  const error = await rejection(promise);
  expect(error.kind, error.message).to.equal(kind);
  return error;
}

describe('MemoryAdapter', () => {
  describe('polls and session', () => {
    it('serves seeded polls as copies that callers cannot change', async () => {
      const adapter = adapterWith(basePoll({}));
      const poll = await adapter.polls.get('p');
      expect(poll.title).to.equal('Poll');
      poll.title = 'Changed';
      poll.options.pop();
      const again = await adapter.polls.get('p');
      expect(again.title).to.equal('Poll');
      expect(again.options).to.have.length(3);
    });

    it('does not keep a reference to the seed or to a ballot input', async () => {
      const seed = basePoll({ allowBallotChange: true });
      const adapter = adapterWith(seed);
      seed.options = [];
      const input: BallotInput = { choices: ['a'] };
      const ballot = await adapter.polls.castBallot('p', input, { idempotencyKey: key() });
      input.choices!.push('b');
      ballot.choices!.push('c');
      expect((await adapter.polls.get('p')).options).to.have.length(3);
      expect((await adapter.polls.participation('p')).ballot?.choices).to.deep.equal(['a']);
    });

    it('rejects an unknown poll with not-found', async () => {
      const adapter = adapterWith();
      await expectKind(adapter.polls.get('nope'), 'not-found');
      await expectKind(adapter.polls.results('nope'), 'not-found');
      await expectKind(adapter.polls.castBallot('nope', { choices: ['a'] }, { idempotencyKey: key() }), 'not-found');
    });

    it('reports the current participant, and another one after actAs', async () => {
      const adapter = new MemoryAdapter({ participant: { id: 'ana', verification: 'verified', displayName: 'Ana' } });
      expect(await adapter.session.current()).to.deep.equal({ participantId: 'ana', verification: 'verified', displayName: 'Ana' });
      adapter.actAs({ id: 'bob' });
      expect(await adapter.session.current()).to.deep.equal({ participantId: 'bob', verification: 'anonymous' });
      adapter.participantId = 'carla';
      expect(adapter.participantId).to.equal('carla');
      expect((await adapter.session.current())?.participantId).to.equal('carla');
    });

    it('knows nobody before the first write, then an anonymous participant with a generated id', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, now: () => NOW });
      await adapter.polls.get('p');
      await adapter.polls.participation('p');
      expect(await adapter.session.current()).to.be.undefined;
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      const session = await adapter.session.current();
      expect(session?.verification).to.equal('anonymous');
      expect(session?.participantId).to.be.a('string').and.not.empty;
    });
  });

  describe('one ballot per participant', () => {
    it('records a ballot and reports it in participation', async () => {
      const adapter = adapterWith(basePoll({}));
      expect(await adapter.polls.participation('p')).to.deep.equal({ canSeeResults: true });
      const ballot = await adapter.polls.castBallot('p', { choices: ['b'] }, { idempotencyKey: key() });
      expect(ballot).to.include({ pollId: 'p', castAt: NOW.toISOString() });
      expect(ballot.choices).to.deep.equal(['b']);
      expect(ballot).not.to.have.property('participantId');
      const participation = await adapter.polls.participation('p');
      expect(participation.ballot).to.deep.equal(ballot);
    });

    it('refuses a second ballot with conflict when the poll does not allow a change', async () => {
      const adapter = adapterWith(basePoll({}));
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      await expectKind(adapter.polls.castBallot('p', { choices: ['b'] }, { idempotencyKey: key() }), 'conflict');
      expect((await adapter.polls.results('p')).ballots).to.equal(1);
    });

    it('replaces the ballot when the poll allows a change, keeping its id', async () => {
      const adapter = adapterWith(basePoll({ allowBallotChange: true }));
      const first = await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      const second = await adapter.polls.castBallot('p', { choices: ['c'] }, { idempotencyKey: key() });
      expect(second.id).to.equal(first.id);
      expect(second.choices).to.deep.equal(['c']);
      expect(second.updatedAt).to.equal(NOW.toISOString());
      const results = await adapter.polls.results('p');
      expect(results.ballots).to.equal(1);
      expect(results.options.map((o) => o.count)).to.deep.equal([0, 0, 1]);
    });

    it('lets exactly one of 20 concurrent ballots with distinct keys through', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, participant: { id: 'me' }, latency: [0, 15] });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => adapter.polls.castBallot('p', { choices: [['a', 'b', 'c'][i % 3]!] }, { idempotencyKey: `k${i}` })),
      );
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(fulfilled).to.have.length(1);
      expect(rejected).to.have.length(19);
      expect(rejected.every((o) => o.reason instanceof CivicError && o.reason.kind === 'conflict')).to.be.true;
      expect((await adapter.polls.results('p')).ballots).to.equal(1);
    });

    it('counts ballots of different participants separately', async () => {
      const adapter = adapterWith(basePoll({}));
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      adapter.actAs({ id: 'neighbour' });
      expect((await adapter.polls.participation('p')).ballot).to.be.undefined;
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      expect((await adapter.polls.results('p')).options[0]).to.deep.equal({ optionId: 'a', count: 2 });
    });

    it('knows the ballots of the seed by participant', async () => {
      const adapter = new MemoryAdapter({
        seed: {
          polls: [basePoll({})],
          ballots: [{ id: 'b1', pollId: 'p', participantId: 'me', castAt: NOW.toISOString(), choices: ['c'] }],
        },
        participant: { id: 'me' },
      });
      expect((await adapter.polls.participation('p')).ballot).to.deep.equal({ id: 'b1', pollId: 'p', castAt: NOW.toISOString(), choices: ['c'] });
      await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() }), 'conflict');
    });
  });

  describe('opening, closing and verification', () => {
    it('rejects a ballot before opening with closed', async () => {
      const adapter = adapterWith(basePoll({ opensAt: '2027-03-11T00:00:00+01:00' }));
      const error = await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() }), 'closed');
      expect(error.message).to.contain('opens');
    });

    it('rejects a ballot after closing with closed, and after a change of the clock', async () => {
      let now = new Date('2027-03-01T00:00:00Z');
      const adapter = new MemoryAdapter({
        seed: { polls: [basePoll({ closesAt: '2027-03-05T00:00:00Z', allowBallotChange: true })] },
        now: () => now,
      });
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      now = new Date('2027-03-05T00:00:00Z');
      const error = await expectKind(adapter.polls.castBallot('p', { choices: ['b'] }, { idempotencyKey: key() }), 'closed');
      expect(error.message).to.contain('closed');
    });

    it('forbids an anonymous participant to vote where verification is required', async () => {
      const adapter = adapterWith(basePoll({ requiredVerification: 'verified' }));
      await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() }), 'forbidden');
      adapter.actAs({ id: 'me', verification: 'verified' });
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
    });
  });

  describe('ballot validation', () => {
    const cases: Array<[string, Partial<Poll>, BallotInput, string]> = [
      ['single: no choice', {}, { choices: [] }, 'choices'],
      ['single: two choices', {}, { choices: ['a', 'b'] }, 'choices'],
      ['single: unknown option', {}, { choices: ['z'] }, 'choices'],
      ['single: a choice and other', { allowOther: true }, { choices: ['a'], other: 'x' }, 'choices'],
      ['single: other where not allowed', {}, { other: 'x' }, 'other'],
      ['single: blank other', { allowOther: true }, { other: '   ' }, 'other'],
      ['single: other too long', { allowOther: true }, { other: 'x'.repeat(501) }, 'other'],
      ['multiple: below min', { type: 'multiple', minChoices: 2, maxChoices: 3 }, { choices: ['a'] }, 'choices'],
      ['multiple: above max', { type: 'multiple', minChoices: 1, maxChoices: 2 }, { choices: ['a', 'b', 'c'] }, 'choices'],
      ['multiple: other counts toward max', { type: 'multiple', maxChoices: 2, allowOther: true }, { choices: ['a', 'b'], other: 'x' }, 'choices'],
      ['multiple: repeated option', { type: 'multiple' }, { choices: ['a', 'a'] }, 'choices'],
      ['ranking: missing option', { type: 'ranking' }, { ranking: ['a', 'b'] }, 'ranking'],
      ['ranking: repeated option', { type: 'ranking' }, { ranking: ['a', 'b', 'b'] }, 'ranking'],
      ['ranking: unknown option', { type: 'ranking' }, { ranking: ['a', 'b', 'z'] }, 'ranking'],
      ['ranking: other', { type: 'ranking', allowOther: true }, { ranking: ['a', 'b', 'c'], other: 'x' }, 'other'],
      ['rating: option not rated', { type: 'rating', scale: { min: 1, max: 5 } }, { ratings: { a: 1, b: 2 } }, 'ratings'],
      ['rating: off the scale', { type: 'rating', scale: { min: 1, max: 5 } }, { ratings: { a: 1, b: 2, c: 6 } }, 'ratings'],
      ['rating: not a whole number', { type: 'rating', scale: { min: 1, max: 5 } }, { ratings: { a: 1, b: 2.5, c: 3 } }, 'ratings'],
      ['rating: unknown option', { type: 'rating', scale: { min: 1, max: 5 } }, { ratings: { a: 1, b: 2, z: 3 } }, 'ratings'],
    ];
    for (const [name, poll, input, field] of cases) {
      it(`refuses ${name} with a message on "${field}"`, async () => {
        const adapter = adapterWith(basePoll(poll));
        const error = await expectKind(adapter.polls.castBallot('p', input, { idempotencyKey: key() }), 'validation');
        expect(error.fieldErrors?.[field]).to.be.a('string').and.not.empty;
        expect((await adapter.polls.participation('p')).ballot).to.be.undefined;
      });
    }

    const valid: Array<[string, Partial<Poll>, BallotInput]> = [
      ['single: one choice', {}, { choices: ['a'] }],
      ['single: other alone', { allowOther: true }, { other: 'Un banc' }],
      ['multiple: within bounds with other', { type: 'multiple', minChoices: 2, maxChoices: 3, allowOther: true }, { choices: ['a', 'c'], other: 'x' }],
      ['ranking: a permutation', { type: 'ranking' }, { ranking: ['c', 'a', 'b'] }],
      ['rating: every option on the scale', { type: 'rating', scale: { min: 0, max: 10 } }, { ratings: { a: 0, b: 10, c: 5 } }],
      ['other of exactly 500 characters', { allowOther: true }, { other: 'x'.repeat(500) }],
    ];
    for (const [name, poll, input] of valid) {
      it(`accepts ${name}`, async () => {
        const adapter = adapterWith(basePoll(poll));
        await adapter.polls.castBallot('p', input, { idempotencyKey: key() });
        expect((await adapter.polls.participation('p')).ballot).to.exist;
      });
    }

    it('keeps only the fields of the poll type', async () => {
      const adapter = adapterWith(basePoll({ type: 'ranking' }));
      const ballot = await adapter.polls.castBallot('p', { ranking: ['a', 'b', 'c'], choices: ['a'] }, { idempotencyKey: key() });
      expect(ballot).not.to.have.property('choices');
      expect(ballot.ranking).to.deep.equal(['a', 'b', 'c']);
    });
  });

  describe('results', () => {
    it('follows each visibility rule', async () => {
      const clock = { now: new Date('2027-03-01T00:00:00Z') };
      const adapter = new MemoryAdapter({
        seed: {
          polls: [
            basePoll({ id: 'voting', resultVisibility: 'after-voting' }),
            basePoll({ id: 'closing', resultVisibility: 'after-closing', closesAt: '2027-03-05T00:00:00Z' }),
            basePoll({ id: 'unpublished', resultVisibility: 'after-publication' }),
            basePoll({ id: 'published', resultVisibility: 'after-publication', resultsPublishedAt: '2027-02-01T00:00:00Z' }),
          ],
        },
        now: () => clock.now,
      });
      await expectKind(adapter.polls.results('voting'), 'forbidden');
      expect((await adapter.polls.participation('voting')).canSeeResults).to.be.false;
      await adapter.polls.castBallot('voting', { choices: ['a'] }, { idempotencyKey: key() });
      expect((await adapter.polls.participation('voting')).canSeeResults).to.be.true;
      expect((await adapter.polls.results('voting')).ballots).to.equal(1);

      await expectKind(adapter.polls.results('closing'), 'forbidden');
      await expectKind(adapter.polls.results('unpublished'), 'forbidden');
      expect((await adapter.polls.results('published')).ballots).to.equal(0);

      clock.now = new Date('2027-03-05T00:00:00Z');
      expect((await adapter.polls.participation('closing')).canSeeResults).to.be.true;
      expect((await adapter.polls.results('closing')).pollId).to.equal('closing');
    });

    it('counts choices, "other" answers, quorum and electorate', async () => {
      const adapter = new MemoryAdapter({
        seed: {
          polls: [basePoll({ type: 'multiple', maxChoices: 3, allowOther: true, quorum: 3 })],
          electorate: { p: 1200 },
        },
        now: () => NOW,
      });
      const votes: BallotInput[] = [{ choices: ['a', 'b'] }, { choices: ['a'], other: 'Un kiosque' }, { choices: ['c'] }];
      for (const [i, vote] of votes.entries()) {
        adapter.actAs({ id: `resident-${i}` });
        await adapter.polls.castBallot('p', vote, { idempotencyKey: key() });
        const results = await adapter.polls.results('p');
        expect(results.quorumReached).to.equal(i === 2);
      }
      expect(await adapter.polls.results('p')).to.deep.equal({
        pollId: 'p',
        ballots: 3,
        options: [
          { optionId: 'a', count: 2 },
          { optionId: 'b', count: 1 },
          { optionId: 'c', count: 1 },
        ],
        otherCount: 1,
        quorum: 3,
        quorumReached: true,
        electorate: 1200,
        updatedAt: NOW.toISOString(),
      });
    });

    it('gives Borda points and the mean rank for a ranking', async () => {
      const adapter = adapterWith(basePoll({ type: 'ranking' }));
      const rankings = [
        ['a', 'b', 'c'],
        ['a', 'c', 'b'],
        ['b', 'a', 'c'],
      ];
      for (const [i, ranking] of rankings.entries()) {
        adapter.actAs({ id: `resident-${i}` });
        await adapter.polls.castBallot('p', { ranking }, { idempotencyKey: key() });
      }
      const { options } = await adapter.polls.results('p');
      expect(options).to.deep.equal([
        { optionId: 'a', count: 5, average: 4 / 3 },
        { optionId: 'b', count: 3, average: 2 },
        { optionId: 'c', count: 1, average: 8 / 3 },
      ]);
    });

    it('gives the number of ratings and the mean for a rating', async () => {
      const adapter = adapterWith(basePoll({ type: 'rating', scale: { min: 1, max: 5 } }));
      const ratings = [
        { a: 5, b: 1, c: 3 },
        { a: 4, b: 2, c: 3 },
      ];
      for (const [i, rating] of ratings.entries()) {
        adapter.actAs({ id: `resident-${i}` });
        await adapter.polls.castBallot('p', { ratings: rating }, { idempotencyKey: key() });
      }
      const results = await adapter.polls.results('p');
      expect(results.options).to.deep.equal([
        { optionId: 'a', count: 2, average: 4.5 },
        { optionId: 'b', count: 2, average: 1.5 },
        { optionId: 'c', count: 2, average: 3 },
      ]);
      expect(results).not.to.have.property('otherCount');
      expect(results).not.to.have.property('quorum');
    });

    it('has no averages when nobody voted', async () => {
      const adapter = adapterWith(basePoll({ type: 'ranking' }));
      const { options, ballots } = await adapter.polls.results('p');
      expect(ballots).to.equal(0);
      expect(options.every((o) => o.count === 0 && o.average === undefined)).to.be.true;
    });
  });

  describe('idempotency', () => {
    it('replays the first response for the same key and body', async () => {
      const adapter = adapterWith(basePoll({ type: 'rating', scale: { min: 1, max: 5 } }));
      const first = await adapter.polls.castBallot('p', { ratings: { a: 1, b: 2, c: 3 } }, { idempotencyKey: 'same' });
      const replay = await adapter.polls.castBallot('p', { ratings: { c: 3, b: 2, a: 1 } }, { idempotencyKey: 'same' });
      expect(replay).to.deep.equal(first);
      expect((await adapter.polls.results('p')).ballots).to.equal(1);
    });

    it('replays even where a new ballot would now conflict', async () => {
      const adapter = adapterWith(basePoll({}));
      const first = await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: 'same' });
      expect(await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: 'same' })).to.deep.equal(first);
    });

    it('refuses the same key with another body as validation', async () => {
      const adapter = adapterWith(basePoll({ allowBallotChange: true }));
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: 'same' });
      const error = await expectKind(adapter.polls.castBallot('p', { choices: ['b'] }, { idempotencyKey: 'same' }), 'validation');
      expect(error.message).to.contain('idempotency key');
      expect((await adapter.polls.participation('p')).ballot?.choices).to.deep.equal(['a']);
    });

    it('does not record a failed attempt, so the same key can succeed later', async () => {
      const adapter = adapterWith(basePoll({}));
      adapter.failNext('server');
      await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: 'retry-me' }), 'server');
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: 'retry-me' });
    });
  });

  describe('live results', () => {
    it('sends the new results to subscribers after each ballot', async () => {
      const adapter = adapterWith(basePoll({}));
      const received: Array<LiveMessage<PollResults>> = [];
      const unsubscribe = adapter.subscribe<PollResults>('poll:p:results', (message) => received.push(message));
      const other: unknown[] = [];
      adapter.subscribe('poll:other:results', (message) => other.push(message));

      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      await Promise.resolve();
      expect(received).to.have.length(1);
      expect(received[0]!.topic).to.equal('poll:p:results');
      expect(received[0]!.payload.ballots).to.equal(1);

      adapter.actAs({ id: 'neighbour' });
      await adapter.polls.castBallot('p', { choices: ['b'] }, { idempotencyKey: key() });
      await Promise.resolve();
      expect(received.map((m) => m.payload.ballots)).to.deep.equal([1, 2]);
      expect(Number(received[1]!.id)).to.be.greaterThan(Number(received[0]!.id));

      unsubscribe();
      adapter.actAs({ id: 'third' });
      await adapter.polls.castBallot('p', { choices: ['c'] }, { idempotencyKey: key() });
      await Promise.resolve();
      expect(received).to.have.length(2);
      expect(other).to.be.empty;
    });

    it('withholds results from a participant who may not see them yet', async () => {
      const adapter = adapterWith(basePoll({ resultVisibility: 'after-closing', closesAt: '2030-01-01T00:00:00Z' }));
      const received: unknown[] = [];
      adapter.subscribe('poll:p:results', (message) => received.push(message));
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      await Promise.resolve();
      expect(received).to.be.empty;
    });
  });

  describe('latency and failures', () => {
    it('waits for the configured latency', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, latency: 80 });
      const started = performance.now();
      await adapter.polls.get('p');
      expect(performance.now() - started).to.be.at.least(75);
    });

    it('draws latency within a range', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, latency: [40, 60] });
      const started = performance.now();
      await adapter.polls.get('p');
      const elapsed = performance.now() - started;
      expect(elapsed).to.be.at.least(35);
      expect(elapsed).to.be.below(400);
    });

    it('rejects with the caller abort reason', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, latency: 1000 });
      const controller = new AbortController();
      const pending = adapter.polls.get('p', { signal: controller.signal });
      controller.abort();
      try {
        await pending;
        expect.fail('should have been aborted');
      } catch (error) {
        expect((error as DOMException).name).to.equal('AbortError');
      }
    });

    it('fails the next calls with an injected kind, then recovers', async () => {
      const adapter = adapterWith(basePoll({}));
      adapter.failNext('rate-limited', 2);
      const first = await expectKind(adapter.polls.get('p'), 'rate-limited');
      expect(first.retryAfter).to.equal(1);
      expect(first.transient).to.be.true;
      await expectKind(adapter.polls.results('p'), 'rate-limited');
      expect((await adapter.polls.get('p')).id).to.equal('p');
    });

    it('does not cast a ballot when a failure is injected', async () => {
      const adapter = adapterWith(basePoll({}));
      adapter.failNext('timeout');
      await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() }), 'timeout');
      expect((await adapter.polls.results('p')).ballots).to.equal(0);
    });

    it('rejects everything with offline while offline', async () => {
      const adapter = adapterWith(basePoll({}));
      adapter.online = false;
      await expectKind(adapter.polls.get('p'), 'offline');
      await expectKind(adapter.session.current(), 'offline');
      await expectKind(adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() }), 'offline');
      adapter.online = true;
      await adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
    });

    it('rejects a call that was pending when the connection dropped', async () => {
      const adapter = new MemoryAdapter({ seed: { polls: [basePoll({})] }, latency: 50 });
      const pending = adapter.polls.castBallot('p', { choices: ['a'] }, { idempotencyKey: key() });
      adapter.online = false;
      await expectKind(pending, 'offline');
      adapter.online = true;
      expect((await adapter.polls.results('p')).ballots).to.equal(0);
    });
  });

  describe('the Val-d’Orgon seed', () => {
    it('holds every poll type and every visibility, with valid ballots', async () => {
      const now = new Date();
      const seed = createTownSeed(now);
      const types = new Set(seed.polls.map((poll) => poll.type));
      const visibilities = new Set(seed.polls.map((poll) => poll.resultVisibility));
      expect([...types].sort()).to.deep.equal(['multiple', 'ranking', 'rating', 'single']);
      expect([...visibilities].sort()).to.deep.equal(['after-closing', 'after-publication', 'after-voting', 'always']);

      // Every seeded ballot must be one the adapter itself would accept.
      const fresh = new MemoryAdapter({ seed: { polls: createPolls(new Date(now.getTime() - 1000)) }, now: () => now });
      for (const { participantId, id: _id, pollId, castAt: _castAt, ...input } of seed.ballots) {
        fresh.actAs({ id: participantId, verification: 'verified' });
        const poll = seed.polls.find((p) => p.id === pollId)!;
        if (poll.closesAt && Date.parse(poll.closesAt) <= now.getTime()) continue;
        await fresh.polls.castBallot(pollId, input, { idempotencyKey: key() });
      }
    });

    it('shows the published results of the closed poll and refuses new ballots', async () => {
      const adapter = new MemoryAdapter({ seed: createTownSeed(), participant: { verification: 'verified' } });
      const results = await adapter.polls.results(POLL_IDS.closed);
      expect(results.ballots).to.equal(312);
      expect(results.quorumReached).to.be.true;
      await expectKind(adapter.polls.castBallot(POLL_IDS.closed, { choices: ['quatre-jours'] }, { idempotencyKey: key() }), 'closed');
      await expectKind(adapter.polls.castBallot(POLL_IDS.upcoming, { choices: ['place-du-marche'] }, { idempotencyKey: key() }), 'closed');
    });
  });
});
