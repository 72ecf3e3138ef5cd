/** The error codes of the contract; the browser's CivicError kinds mirror them. */
export type ProblemCode =
  | 'validation'
  | 'unauthorised'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'closed'
  | 'server';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  errors?: FieldError[];
}

const titles: Record<ProblemCode, string> = {
  validation: 'The request is not valid',
  unauthorised: 'Authentication is required',
  forbidden: 'This action is not allowed',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'rate-limited': 'Too many requests',
  closed: 'Participation is closed',
  server: 'Server error',
};

export function problemType(code: ProblemCode): string {
  return `urn:civic-widgets:problem:${code}`;
}

/** An RFC 9457 problem: thrown anywhere, answered as application/problem+json. */
export class Problem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: ProblemCode,
    detail: string,
    init: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.errors = init.errors;
    this.headers = init.headers;
  }

  static validation(errors: FieldError[], detail = 'Some fields are not valid.'): Problem {
    return new Problem(400, 'validation', detail, { errors });
  }

  toBody(): ProblemBody {
    return problemBody(this.status, this.code, this.message, this.errors);
  }
}

export function problemBody(status: number, code: ProblemCode, detail?: string, errors?: FieldError[]): ProblemBody {
  const body: ProblemBody = { type: problemType(code), title: titles[code], status, code };
  if (detail) body.detail = detail;
  if (errors?.length) body.errors = errors;
  return body;
}
