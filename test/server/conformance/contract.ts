import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Api, ApiResponse } from '../support/client.js';

/**
 * The REST contract, as any backend must honour it. It needs the polls of the demo seed (or
 * polls of the same shape, named through CIVIC_POLL_* variables) and changes nothing but
 * its own ballots, so it can run against a live server.
 */
export const contractPolls = {
  /** single, "other" allowed, results after voting, no ballot change */
  single: process.env.CIVIC_POLL_SINGLE ?? 'budget-2027',
  /** multiple 1..3 with "other", results always, ballot change allowed */
  multiple: process.env.CIVIC_POLL_MULTIPLE ?? 'velo-centre',
  /** ranking of 4 options, results after voting */
  ranking: process.env.CIVIC_POLL_RANKING ?? 'priorites-quartier',
  /** rating 1..5, results always */
  rating: process.env.CIVIC_POLL_RATING ?? 'satisfaction-parcs',
  /** opens in the future */
  upcoming: process.env.CIVIC_POLL_UPCOMING ?? 'marche-nocturne',
  /** closed, results published */
  closed: process.env.CIVIC_POLL_CLOSED ?? 'nom-mediatheque',
};

export function expectProblem(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.status, status);
  assert.equal(response.body.code, code);
  assert.equal(typeof response.body.type, 'string');
  assert.equal(typeof response.body.title, 'string');
}

function fieldsOf(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error: { field: string }) => error.field);
}

export function contractSuite(context: () => Api): void {
  const api = () => context();
  const polls = contractPolls;

  describe('session', () => {
    it('issues an anonymous participant token and recognises it', async () => {
      const created = await api().post('/session');
      assert.equal(created.status, 201);
      assert.equal(created.body.verification, 'anonymous');
      assert.ok(created.body.token && created.body.participantId);
      assert.ok(!Number.isNaN(Date.parse(created.body.expiresAt)));
      const me = await api().get('/session', { token: created.body.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.participantId, created.body.participantId);
      assert.equal(me.body.verification, 'anonymous');
    });

    it('refuses a missing or forged token with 401', async () => {
      expectProblem(await api().get('/session'), 401, 'unauthorised');
      const { token } = await api().session();
      const forged = `${token.slice(0, -4)}AAAA`;
      expectProblem(await api().get('/session', { token: forged }), 401, 'unauthorised');
    });
  });

  describe('polls', () => {
    it('serves a poll with its options and rules', async () => {
      const response = await api().get(`/polls/${polls.multiple}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.id, polls.multiple);
      assert.equal(response.body.type, 'multiple');
      assert.ok(response.body.options.length >= 2);
      assert.equal(typeof response.body.allowBallotChange, 'boolean');
    });

    it('answers 404 not-found for an unknown poll', async () => {
      expectProblem(await api().get('/polls/no-such-poll'), 404, 'not-found');
      expectProblem(await api().get('/polls/no-such-poll/results'), 404, 'not-found');
    });

    it('stores a ballot once, shows it back, and opens results after voting', async () => {
      const { token } = await api().session();
      const before = await api().get(`/polls/${polls.single}/participation`, { token });
      assert.deepEqual(before.body, { canSeeResults: false });
      expectProblem(await api().get(`/polls/${polls.single}/results`, { token }), 403, 'forbidden');

      const poll = (await api().get(`/polls/${polls.single}`)).body;
      const choice = poll.options[0].id;
      const cast = await api().cast(polls.single, token, { choices: [choice] });
      assert.equal(cast.status, 201);
      assert.deepEqual(cast.body.choices, [choice]);
      assert.equal(cast.body.pollId, polls.single);
      assert.ok(!Number.isNaN(Date.parse(cast.body.castAt)));

      const after = await api().get(`/polls/${polls.single}/participation`, { token });
      assert.equal(after.body.canSeeResults, true);
      assert.equal(after.body.ballot.id, cast.body.id);

      const results = await api().get(`/polls/${polls.single}/results`, { token });
      assert.equal(results.status, 200);
      assert.ok(results.body.ballots >= 1);
      assert.ok(results.body.options.find((option: { optionId: string }) => option.optionId === choice).count >= 1);

      const again = await api().cast(polls.single, token, { choices: [poll.options[1].id] });
      expectProblem(again, 409, 'conflict');
    });

    it('counts a multiple-choice ballot and lets it be changed (200)', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.multiple}`)).body;
      const [a, b] = poll.options.map((option: { id: string }) => option.id);
      const count = (results: any, id: string) => results.options.find((option: any) => option.optionId === id).count;
      const before = (await api().get(`/polls/${polls.multiple}/results`)).body;
      const first = await api().cast(polls.multiple, token, { choices: [a] });
      assert.equal(first.status, 201);
      const middle = (await api().get(`/polls/${polls.multiple}/results`)).body;
      assert.ok(middle.ballots >= before.ballots + 1);
      assert.ok(count(middle, a) >= count(before, a) + 1);

      const changed = await api().cast(polls.multiple, token, { choices: [b], other: '  Un garage à vélos  ' });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.id, first.body.id);
      assert.deepEqual(changed.body.choices, [b]);
      assert.equal(changed.body.other, 'Un garage à vélos');
      assert.ok(changed.body.updatedAt);
    });

    it('counts ranking ballots as Borda points with a mean rank', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.ranking}`)).body;
      const ids = poll.options.map((option: { id: string }) => option.id);
      assert.equal((await api().cast(polls.ranking, token, { ranking: ids })).status, 201);
      const results = (await api().get(`/polls/${polls.ranking}/results`, { token })).body;
      for (const option of results.options) {
        assert.ok(Number.isInteger(option.count) && option.count >= 0);
        assert.ok(option.average >= 1 && option.average <= ids.length);
      }
    });

    it('rejects rankings that are not a permutation of the options', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.ranking}`)).body;
      const ids = poll.options.map((option: { id: string }) => option.id);
      expectProblem(await api().cast(polls.ranking, token, { ranking: ids.slice(1) }), 400, 'validation');
      expectProblem(await api().cast(polls.ranking, token, { ranking: [ids[0], ...ids.slice(0, -1)] }), 400, 'validation');
      expectProblem(await api().cast(polls.ranking, token, { choices: [ids[0]] }), 400, 'validation');
    });

    it('checks every rating against the scale', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.rating}`)).body;
      const ids: string[] = poll.options.map((option: { id: string }) => option.id);
      const full = Object.fromEntries(ids.map((id) => [id, poll.scale.min]));
      const tooHigh = await api().cast(polls.rating, token, { ratings: { ...full, [ids[0]!]: poll.scale.max + 1 } });
      expectProblem(tooHigh, 400, 'validation');
      assert.ok(fieldsOf(tooHigh).includes(`ratings.${ids[0]}`));
      const missing = await api().cast(polls.rating, token, { ratings: { [ids[0]!]: poll.scale.min } });
      expectProblem(missing, 400, 'validation');
      assert.ok(fieldsOf(missing).includes(`ratings.${ids[1]}`));
      const ok = await api().cast(polls.rating, token, { ratings: full });
      assert.equal(ok.status, 201);
      const results = (await api().get(`/polls/${polls.rating}/results`)).body;
      assert.ok(results.options.every((option: { average?: number }) => option.average !== undefined));
    });

    it('refuses ballots before opening and after closing (403 closed), and shows published results', async () => {
      const { token } = await api().session();
      const upcoming = (await api().get(`/polls/${polls.upcoming}`)).body;
      expectProblem(await api().cast(polls.upcoming, token, { choices: [upcoming.options[0].id] }), 403, 'closed');
      const closed = (await api().get(`/polls/${polls.closed}`)).body;
      expectProblem(await api().cast(polls.closed, token, { choices: [closed.options[0].id] }), 403, 'closed');
      const results = await api().get(`/polls/${polls.closed}/results`);
      assert.equal(results.status, 200);
      assert.ok(results.body.ballots > 0);
    });
  });

  describe('idempotency', () => {
    it('replays the first response for the same key and body', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.single}`)).body;
      const key = randomUUID();
      const first = await api().cast(polls.single, token, { choices: [poll.options[0].id] }, key);
      const second = await api().cast(polls.single, token, { choices: [poll.options[0].id] }, key);
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
    });

    it('answers 422 when the same key comes with another body', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.single}`)).body;
      const key = randomUUID();
      assert.equal((await api().cast(polls.single, token, { choices: [poll.options[0].id] }, key)).status, 201);
      expectProblem(await api().cast(polls.single, token, { choices: [poll.options[1].id] }, key), 422, 'validation');
    });

    it('scopes keys to the participant', async () => {
      const poll = (await api().get(`/polls/${polls.single}`)).body;
      const key = randomUUID();
      const one = await api().session();
      const two = await api().session();
      const a = await api().cast(polls.single, one.token, { choices: [poll.options[0].id] }, key);
      const b = await api().cast(polls.single, two.token, { choices: [poll.options[0].id] }, key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.notEqual(a.body.id, b.body.id);
    });

    it('requires an Idempotency-Key on writes', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.single}`)).body;
      const response = await api().post(`/polls/${polls.single}/ballots`, { token, body: { choices: [poll.options[0].id] } });
      expectProblem(response, 400, 'validation');
      assert.ok(fieldsOf(response).some((field) => /idempotency-key/i.test(field)));
    });
  });

  describe('bad input', () => {
    it('names unknown fields, wrong types and oversized strings', async () => {
      const { token } = await api().session();
      const response = await api().cast(polls.multiple, token, { choices: 'pistes', colour: 'red', other: 'x'.repeat(501) });
      expectProblem(response, 400, 'validation');
      const fields = fieldsOf(response);
      assert.ok(fields.includes('choices'), fields.join());
      assert.ok(fields.includes('colour'), fields.join());
      assert.ok(fields.includes('other'), fields.join());
    });

    it('refuses broken JSON, other media types, empty and huge bodies', async () => {
      const { token } = await api().session();
      const path = `/polls/${polls.multiple}/ballots`;
      expectProblem(await api().post(path, { token, key: true, raw: '{"choices": [' }), 400, 'validation');
      expectProblem(await api().post(path, { token, key: true, raw: 'choices=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'validation');
      expectProblem(await api().post(path, { token, key: true, raw: '' }), 400, 'validation');
      expectProblem(await api().post(path, { token, key: true, raw: '[]' }), 400, 'validation');
      expectProblem(await api().post(path, { token, key: true, raw: JSON.stringify({ other: 'x'.repeat(2_000_000) }) }), 413, 'validation');
    });

    it('refuses "other" when blank, or where the poll does not offer it', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.multiple}`)).body;
      expectProblem(await api().cast(polls.multiple, token, { choices: [poll.options[0].id], other: '   ' }), 400, 'validation');
      const ranking = (await api().get(`/polls/${polls.ranking}`)).body;
      const ids = ranking.options.map((option: { id: string }) => option.id);
      expectProblem(await api().cast(polls.ranking, token, { ranking: ids, other: 'x' }), 400, 'validation');
    });

    it('refuses choices outside the poll and outside min..max', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.multiple}`)).body;
      const ids = poll.options.map((option: { id: string }) => option.id);
      expectProblem(await api().cast(polls.multiple, token, { choices: ['not-an-option'] }), 400, 'validation');
      expectProblem(await api().cast(polls.multiple, token, { choices: [] }), 400, 'validation');
      expectProblem(await api().cast(polls.multiple, token, { choices: ids.slice(0, (poll.maxChoices ?? ids.length) + 1) }), 400, 'validation');
      expectProblem(await api().cast(polls.multiple, token, { choices: [ids[0], ids[0]] }), 400, 'validation');
    });

    it('treats a filled honeypot as invalid', async () => {
      const { token } = await api().session();
      const poll = (await api().get(`/polls/${polls.multiple}`)).body;
      const response = await api().cast(polls.multiple, token, { choices: [poll.options[0].id], website: 'http://spam.example' });
      expectProblem(response, 400, 'validation');
      assert.deepEqual(fieldsOf(response), ['website']);
    });
  });
}
