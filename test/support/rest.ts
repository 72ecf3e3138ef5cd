import { expect } from '@open-wc/testing';
import type { RestAdapterOptions } from '../../packages/core/src/adapters/rest-adapter.js';
import { createRestAdapter } from '../../packages/core/src/adapters/rest/all.js';
import { CivicError } from '../../packages/core/src/contract/errors.js';

export const BASE = 'https://participation.val-dorgon.example/api/v1';

export interface Call {
  url: string;
  method: string;
  headers: Headers;
  body?: string;
  signal?: AbortSignal;
}

export type Reply = (call: Call, index: number) => Response | Promise<Response>;

/** A fetch that records each request and answers with `reply`. */
export function fakeFetch(reply: Reply) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const call: Call = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? undefined,
    };
    calls.push(call);
    return reply(call, calls.length - 1);
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(status: number, fields: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Problem', status, ...fields }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

/** A small server: sessions, then `reply` for everything else; records each request. */
export function adapterWith(reply: Reply, options: Partial<RestAdapterOptions> = {}) {
  const server = fakeFetch((call, index) =>
    call.method === 'POST' && call.url === `${BASE}/session`
      ? json(201, { token: 'anon-1', participantId: 'participant-1', verification: 'anonymous', expiresAt: '2099-01-01T00:00:00Z' })
      : reply(call, index),
  );
  const adapter = createRestAdapter({ baseUrl: BASE, fetch: server.fetch, storage: null, ...options });
  return { adapter, calls: server.calls };
}

/** The CivicError `promise` rejects with; fails if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<CivicError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CivicError);
    return error as CivicError;
  }
  throw new Error('Expected a rejection');
}
