import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import { adminRoutes } from './admin/routes.js';
import { AuditLog } from './admin/audit.js';
import { commentRoutes } from './comments/routes.js';
import { ideaRoutes } from './ideas/routes.js';
import { mapRoutes } from './maps/routes.js';
import { MapStore } from './maps/store.js';
import { open311Routes, sendErrors as sendOpen311Errors, type Open311Options } from './open311/routes.js';
import { IdeaStore } from './ideas/store.js';
import { CommentStore, registerThreadCountFinisher } from './comments/store.js';
import { CommitQueue } from './db/commit-queue.js';
import type { Storage } from './db/connect.js';
import { Idempotency } from './http/idempotency.js';
import { Problem, problemBody, type ProblemCode } from './http/problem.js';
import { ChallengeSchema, problems } from './http/schemas.js';
import { fieldErrors, refusedCharacters, validatorCompiler } from './http/validation.js';
import { RouteMethods } from './http/methods.js';
import { LiveHub, type LiveHubOptions } from './live/hub.js';
import { liveRoutes } from './live/routes.js';
import { meRoutes } from './me/routes.js';
import { pollRoutes } from './polls/routes.js';
import { publicFiles } from './public/files.js';
import { PollStore, registerCountFinisher } from './polls/store.js';
import { ProofOfWork } from './protection/proof-of-work.js';
import { WindowLimiter } from './protection/window-limiter.js';
import { Participants, type HostSite, type Participant } from './session/participants.js';
import { sessionRoutes } from './session/routes.js';
import { ConsoleAuth, type ConsoleOptions } from './staff/auth.js';
import { oidcRoutes, type OidcOptions } from './staff/oidc.js';
import { baseUrl, consoleRoutes, type StaffRouteOptions } from './staff/routes.js';
import { StaffStore } from './staff/store.js';
import { trackerRoutes } from './tracker/routes.js';
import { TrackerStore } from './tracker/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    participant?: Participant;
  }
}

export interface RateLimits {
  /** Requests per address per window, all routes. */
  perAddress: number;
  /** Writes per participant per window. */
  perParticipant: number;
  /** New anonymous sessions per address per window. */
  sessionsPerAddress: number;
  windowMs: number;
}

export interface AppOptions {
  storage: Storage;
  /** Bearer key for /api/v1/admin; admin is closed without one. */
  adminKey?: string;
  /** Origins allowed to call the API from a browser; `*` for any. Same origin only when empty. */
  allowedOrigins?: string[];
  hostSites?: HostSite[];
  /** The longest lifetime (exp − now, and exp − iat) a host site's token may have, in s; a day by default. */
  hostTokenMaxLifetimeS?: number;
  /** Secret for anonymous tokens; by default one is made and kept in the database. */
  tokenSecret?: string;
  /** Folders served at `/` (a demo page, the CDN bundle). */
  staticDirs?: string[];
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-For from a reverse proxy (its address or `true`). */
  trustProxy?: boolean | string;
  rateLimits?: Partial<RateLimits>;
  live?: LiveHubOptions;
  /** Extra wait to gather a group commit, in ms. */
  commitWindowMs?: number;
  /** How long poll definitions and results are cached, in ms. */
  cacheMs?: number;
  proofOfWorkCost?: number;
  /** Open311 GeoReport v2 under /open311/v2: the default jurisdiction (map) and discovery's contact. */
  open311?: Open311Options;
  /** Staff sign-in: password cost, session timeouts, lockout, cookies, and the clock. */
  console?: ConsoleOptions;
  /** Staff links: the console's public address and how long links last. */
  staffLinks?: StaffRouteOptions;
  /** Staff sign-in through the council's OpenID Connect provider. */
  oidc?: OidcOptions;
}

/** What route modules share. */
export interface Services {
  storage: Storage;
  queue: CommitQueue;
  polls: PollStore;
  comments: CommentStore;
  ideas: IdeaStore;
  maps: MapStore;
  trackers: TrackerStore;
  participants: Participants;
  idempotency: Idempotency;
  live: LiveHub;
  audit: AuditLog;
  proof: ProofOfWork;
  adminKey?: string;
  staff: StaffStore;
  console: ConsoleAuth;
  staffLinks: StaffRouteOptions;
  /** onRequest hook: the request must carry a participant token (checked before the body is read). */
  authenticate: RequestHook;
  /** onRequest hook: per-participant write limit (after authenticate). */
  participantLimit: RequestHook;
  sessionLimit: RequestHook;
}

export const API_PREFIX = '/api/v1';

/** A hook that only reads the request: usable as onRequest (before the body) or preHandler. */
export type RequestHook = (request: FastifyRequest) => Promise<void>;

const defaultLimits: RateLimits = { perAddress: 600, perParticipant: 60, sessionsPerAddress: 30, windowMs: 60_000 };

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits = { ...defaultLimits, ...options.rateLimits };
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { strict: false } },
    return503OnClosing: true,
    // Malformed URLs and the like get a problem too, not Fastify's own error shape.
    frameworkErrors: (error, request, reply) => sendProblem(error, request, reply),
    // Errors Node's parser meets before there is a request (431: headers and request line too long).
    clientErrorHandler: clientError,
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Before any schema: one rule for the characters of every string, on every database.
  app.addHook('preValidation', async (request) => {
    const refused = refusedCharacters(request);
    if (refused.length) throw Problem.validation(refused, 'The request holds a character that is not allowed.');
  });
  // A known path asked with a method it does not take: 405 and Allow, before any body is read.
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));
  app.addHook('onRequest', async (request) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0]!;
    const allow = routes.allowed(path);
    // A path the router could not match with a method it takes is a 404 (a parameter out of shape).
    if (allow.length && !allow.includes(request.method)) throw new Problem(405, 'not-found', `${request.method} is not allowed on ${path}.`, { headers: { allow: allow.join(', ') } });
  });

  const { storage } = options;
  const queue = new CommitQueue(storage.db, {
    // SQLite has one writer; PostgreSQL commits several batches at once, leaving pool connections for reads.
    concurrency: storage.dialect === 'sqlite' ? 1 : 8,
    windowMs: options.commitWindowMs ?? 0,
  });
  registerCountFinisher(queue);
  registerThreadCountFinisher(queue);
  const polls = new PollStore(storage, { cacheMs: options.cacheMs });
  const participants = await Participants.open(storage, queue, options.hostSites ?? [], options.tokenSecret, options.hostTokenMaxLifetimeS);
  const live = new LiveHub(storage, queue, polls, options.live);
  await live.start();
  app.addHook('onClose', async () => live.close());

  // Logs name the route, never the address, the query string or a token.
  const logRequests = ['trace', 'debug', 'info'].includes(app.log.level);
  app.addHook('onResponse', async (request, reply) => {
    if (!logRequests) return;
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  const security = securityHeaders();
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(security);
  });

  const allowed = new Set(options.allowedOrigins ?? []);
  const apiCors = {
    origin: allowed.has('*') ? '*' : (origin: string | undefined, done: (error: Error | null, allow: boolean) => void) => done(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Civic-Proof'],
    exposedHeaders: ['Retry-After', 'Idempotent-Replayed', 'Location'],
    maxAge: 600,
  };
  const limitExceeded = (_request: FastifyRequest, context: { ttl: number }) =>
    new Problem(429, 'rate-limited', 'Too many requests; wait a moment and try again.', {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
    });
  await app.register(rateLimit, {
    global: true,
    max: limits.perAddress,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `a:${request.ip}`,
    errorResponseBuilder: limitExceeded,
  });

  const authenticate: RequestHook = async (request) => {
    request.participant = await participants.authenticate(request.headers.authorization);
  };
  const writes = new WindowLimiter(limits.perParticipant, limits.windowMs);
  const sessions = new WindowLimiter(limits.sessionsPerAddress, limits.windowMs);
  const participantLimit: RequestHook = async (request) => writes.hit(request.participant?.id ?? `a:${request.ip}`);
  const sessionLimit: RequestHook = async (request) => sessions.hit(request.ip);

  const comments = new CommentStore(storage);
  const staff = new StaffStore(storage, queue);
  const services: Services = {
    storage,
    queue,
    polls,
    comments,
    ideas: new IdeaStore(storage, comments),
    trackers: new TrackerStore(storage, comments),
    maps: new MapStore(storage, comments),
    participants,
    idempotency: new Idempotency(queue),
    live,
    audit: new AuditLog(storage),
    proof: new ProofOfWork({ cost: options.proofOfWorkCost }),
    adminKey: options.adminKey,
    staff,
    console: new ConsoleAuth(storage, staff, options.console),
    staffLinks: options.staffLinks ?? {},
    authenticate,
    participantLimit,
    sessionLimit,
  };
  const pruneKeys = setInterval(() => void services.idempotency.prune().catch(() => {}), 3600_000);
  pruneKeys.unref();
  app.addHook('onClose', async () => clearInterval(pruneKeys));
  await services.idempotency.prune();

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'civic-widgets participation API',
        version: '1.0.0',
        description: 'The REST contract that civic widgets speak. Errors are RFC 9457 problem details; writes take an Idempotency-Key.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          participant: { type: 'http', scheme: 'bearer', description: 'Anonymous token from POST /session, or a token signed by the host site.' },
          admin: { type: 'http', scheme: 'bearer', description: 'The admin key, or a console session (cookie, with X-CSRF-Token on changes).' },
          console: { type: 'apiKey', in: 'cookie', name: 'civic_console', description: 'A console session from POST /console/sign-in; changes carry X-CSRF-Token.' },
        },
      },
    },
  });

  app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    // Unknown API paths may reach this handler outside the API scope (through the static files'
    // wildcard): give them the CORS header too, so that a browser can read the 404.
    const origin = request.headers.origin;
    if (request.url.startsWith(`${API_PREFIX}/`) && origin && (allowed.has('*') || allowed.has(origin))) {
      reply.header('access-control-allow-origin', allowed.has('*') ? '*' : origin).header('vary', 'Origin');
    }
    const path = request.url.split('?')[0]!;
    // Open311 clients read error lists, also where the static files' wildcard took the path first.
    if (path === '/open311/v2' || path.startsWith('/open311/v2/')) return sendOpen311Errors(new Problem(404, 'not-found', `No Open311 resource at ${path}.`), request, reply);
    return sendProblem(new Problem(404, 'not-found', `No route for ${request.method} ${path}.`), request, reply);
  });

  await app.register(
    async (api) => {
      await api.register(cors, apiCors);
      await sessionRoutes(api, services);
      await pollRoutes(api, services);
      await commentRoutes(api, services);
      await ideaRoutes(api, services);
      await trackerRoutes(api, services);
      await mapRoutes(api, services);
      await liveRoutes(api, services);
      await meRoutes(api, services);
      await adminRoutes(api, services);
      await consoleRoutes(api, services);
      await oidcRoutes(api, services, options.oidc, (request) => baseUrl(request, services.staffLinks));
      api.get(
        '/challenge',
        {
          schema: {
            summary: 'A proof-of-work challenge (ALTCHA v2, SHA-256)',
            description: 'For polls that ask for one: solve it and send base64(JSON { challenge, solution }) in X-Civic-Proof with the ballot.',
            tags: ['protection'],
            response: { 200: ChallengeSchema, ...problems() },
          },
        },
        async () => services.proof.challenge(),
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: API_PREFIX },
  );

  await app.register(
    async (open311) => {
      await open311.register(cors, apiCors);
      await open311Routes(open311, services, options.open311);
    },
    { prefix: '/open311/v2' },
  );

  if (options.staticDirs?.length) {
    await publicFiles(app, options.staticDirs);
  }
  return app;
}

/**
 * Helmet's security headers, worked out once: they are the same on every response (building
 * them per request, as @fastify/helmet does, costs more than a cached results read).
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // No upgrade-insecure-requests: the demo runs on plain http://127.0.0.1 (a TLS proxy adds HSTS in production).
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:', 'https:'] } },
  })({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

const codeByStatus: Record<number, ProblemCode> = {
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-found',
  409: 'conflict',
  429: 'rate-limited',
};

function sendProblem(error: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let body;
  if (error instanceof Problem) {
    status = error.status;
    body = error.toBody();
    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  } else if (error.validation) {
    status = 400;
    body = problemBody(400, 'validation', 'Some fields are not valid.', fieldErrors(error.validation as never, error.validationContext));
  } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode;
    const code = codeByStatus[status] ?? 'validation';
    body = problemBody(status, code, clientMessage(error));
  } else {
    status = 500;
    body = problemBody(500, 'server', 'Something went wrong on our side; try again later.');
    request.log.error({ err: { message: error.message, stack: error.stack, code: error.code }, route: request.routeOptions.url }, 'request failed');
  }
  return reply.status(status).type('application/problem+json').send(body);
}

function clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431 ? 'The request line or its headers are too long.' : status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.';
  const body = JSON.stringify(problemBody(status, 'validation', detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send JSON (Content-Type: application/json).';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'The Content-Length header does not match the body.';
    default:
      return error.statusCode === 400 && /JSON/i.test(error.message) ? 'The request body is not valid JSON.' : error.message;
  }
}
