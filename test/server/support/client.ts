import { randomUUID } from 'node:crypto';
import type { ContractChecker } from './openapi.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Raw body text, sent as is. */
  raw?: string;
  headers?: Record<string, string>;
  /** An Idempotency-Key; `true` makes a fresh one. */
  key?: string | true;
}

/** A small HTTP client for the API whose every answer is checked against the OpenAPI document. */
export class Api {
  readonly base: string;
  contract?: ContractChecker;

  constructor(base: string) {
    this.base = base.replace(/\/$/, '');
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['idempotency-key'] = options.key === true ? randomUUID() : options.key;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.base}/api/v1${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type');
    const parsed = text && type?.includes('json') ? JSON.parse(text) : text || undefined;
    if (path !== '/openapi.json') this.contract?.check(method, `/api/v1${path}`, response.status, type, parsed);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }

  async session(): Promise<{ token: string; participantId: string }> {
    const response = await this.post('/session');
    if (response.status !== 201) throw new Error(`POST /session answered ${response.status}`);
    return response.body;
  }

  cast(pollId: string, token: string, ballot: unknown, key: string | true = true) {
    return this.post(`/polls/${pollId}/ballots`, { token, body: ballot, key });
  }
}
