/** Every way a participation call can fail, as widgets must explain it to a citizen. */
export type CivicErrorKind =
  | 'network'
  | 'offline'
  | 'timeout'
  | 'validation'
  | 'unauthorised'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'closed'
  | 'server'
  | 'misconfigured';

export interface CivicErrorInit {
  /** Per-field messages from the backend (already human-readable, possibly not localised). */
  fieldErrors?: Record<string, string>;
  /** Seconds to wait before retrying (rate-limited, from Retry-After). */
  retryAfter?: number;
  /** HTTP status, when there was one; for diagnostics only, never shown. */
  status?: number;
  /** Problem type URI (RFC 9457), when there was one. */
  type?: string;
  cause?: unknown;
}

/** The one error type adapters reject with. `message` is for developers; widgets localise `kind`. */
export class CivicError extends Error {
  override readonly name = 'CivicError';
  readonly kind: CivicErrorKind;
  readonly fieldErrors?: Record<string, string>;
  readonly retryAfter?: number;
  readonly status?: number;
  readonly type?: string;

  constructor(kind: CivicErrorKind, message: string, init: CivicErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.fieldErrors = init.fieldErrors;
    this.retryAfter = init.retryAfter;
    this.status = init.status;
    this.type = init.type;
  }

  /** Whether sending the same request again later may succeed (the outbox retries these). */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'offline' ||
      this.kind === 'timeout' ||
      this.kind === 'rate-limited' ||
      this.kind === 'server'
    );
  }

  /** Wrap anything thrown into a CivicError. */
  static from(error: unknown): CivicError {
    if (error instanceof CivicError) return error;
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new CivicError('timeout', 'The request timed out', { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new CivicError('server', message, { cause: error });
  }
}

export function isCivicError(value: unknown): value is CivicError {
  return value instanceof CivicError;
}
