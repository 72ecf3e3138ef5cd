import { CivicError, type CivicErrorKind } from '../contract/errors.js';

/* What the adapters that speak HTTP (REST, Open311) share: timeouts, and reading error responses. */

const KINDS: ReadonlySet<string> = new Set<CivicErrorKind>([
  'network',
  'offline',
  'timeout',
  'validation',
  'unauthorised',
  'forbidden',
  'not-found',
  'conflict',
  'rate-limited',
  'closed',
  'server',
  'misconfigured',
]);

/** Whether a server's error code names one of the CivicError kinds. */
export function isErrorKind(code: unknown): code is CivicErrorKind {
  return typeof code === 'string' && KINDS.has(code);
}

/** A per-attempt timeout merged with the caller's signal, telling the two apart afterwards. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private timedOut = false;
  private readonly onAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly ms: number,
    private readonly caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException('The request timed out', 'TimeoutError'));
    }, ms);
    if (caller?.aborted) this.onAbort();
    else caller?.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
  }

  explain(error: unknown): unknown {
    if (error instanceof CivicError) return error;
    // The caller's own abort is passed through as is: it is not a failure to explain.
    if (this.caller?.aborted) return this.caller.reason ?? error;
    if (this.timedOut) return new CivicError('timeout', `No response within ${this.ms} ms`, { cause: error });
    if (error instanceof TypeError) {
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      return new CivicError(offline ? 'offline' : 'network', error.message || 'The network request failed', { cause: error });
    }
    return CivicError.from(error);
  }
}

export function kindOfStatus(status: number): CivicErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 401:
      return 'unauthorised';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 410:
      return 'closed';
    case 429:
      return 'rate-limited';
  }
  return status >= 500 ? 'server' : 'misconfigured';
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
