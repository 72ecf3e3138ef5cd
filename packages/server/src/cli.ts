import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE, startServer, type HostSite } from './index.js';
import type { StaffRole } from './db/schema-staff.js';
import { STAFF_USAGE, staffCommand } from './staff/cli.js';
import type { OidcOptions } from './staff/oidc.js';
import { ROLES } from './staff/permissions.js';
import { PROJECT_COMMANDS, PROJECT_USAGE, projectsCommand } from './tracker/cli.js';

// data/civic.sqlite in the folder the command runs in (the repository root for `npm start`), never
// beside the code: installed from npm, that is inside node_modules, which the next install wipes.

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, defaultDatabase: DEFAULT_DATABASE };
if (PROJECT_COMMANDS.includes(process.argv[2] ?? '')) process.exit(await projectsCommand(process.argv.slice(2), io));
if (process.argv[2] === 'staff') process.exit(await staffCommand(process.argv.slice(2), io));

const usage = `civic-server: the civic-widgets reference REST server

Options (environment variable in brackets):
  --port <n>                 port to listen on (PORT; default 8787)
  --host <address>           address to listen on (HOST; default 127.0.0.1)
  --database <url|file>      postgres://… or a SQLite file (DATABASE_URL; default data/civic.sqlite in the current folder)
  --admin-key <key>          bearer key for /api/v1/admin (ADMIN_KEY; admin is closed without it)
  --allowed-origins <list>   comma-separated origins allowed to call the API, or * (ALLOWED_ORIGINS)
  --host-sites <file>        JSON list of host sites whose tokens verify participants (HOST_SITES: JSON or a file)
  --token-secret <secret>    secret for anonymous tokens (TOKEN_SECRET; default: made once, kept in the database)
  --trust-proxy <value>      trust X-Forwarded-For from this proxy address, or true (TRUST_PROXY)
  --static <dir>             serve a folder at / (repeatable; STATIC_DIRS, separated by :)
  --limit-address <n>        requests per address per minute (LIMIT_PER_ADDRESS; default 600)
  --limit-participant <n>    writes per participant per minute (LIMIT_PER_PARTICIPANT; default 60)
  --limit-sessions <n>       new anonymous sessions per address per minute (LIMIT_SESSIONS; default 30)
  --streams-address <n>      open event streams per address (STREAMS_PER_ADDRESS; default 20)
  --streams-total <n>        open event streams in this process (STREAMS_TOTAL; default 5000)
  --host-token-lifetime <s>  longest lifetime of a host site's token, in seconds (HOST_TOKEN_LIFETIME; default 86400)
  --public-url <url>         the console's public address, for staff links (PUBLIC_URL; default: the request's origin)
  --password-cost <n>        scrypt cost of staff passwords, log2 N, 14 to 20 (PASSWORD_COST; default 17: 128 MiB a hash)
  --session-idle <min>       console sessions end after this many idle minutes (SESSION_IDLE_MINUTES; default 30)
  --session-max <h>          console sessions end this many hours after sign-in (SESSION_MAX_HOURS; default 12)
  --secure-cookies           mark console cookies Secure on plain http too, behind a TLS proxy (SECURE_COOKIES=1)
  --oidc-issuer <url>        staff sign-in through this OpenID Connect provider (OIDC_ISSUER)
  --oidc-client-id <id>      its client id (OIDC_CLIENT_ID), --oidc-client-secret <secret> (OIDC_CLIENT_SECRET)
  --oidc-redirect-uri <url>  the callback registered there (OIDC_REDIRECT_URI; default <public url>/api/v1/console/oidc/callback)
  --oidc-email-claim <name>  claim of the email (OIDC_EMAIL_CLAIM; default email), --oidc-name-claim (OIDC_NAME_CLAIM; default name)
  --oidc-role-claim <name>   claim holding a role, for new accounts (OIDC_ROLE_CLAIM)
  --oidc-default-role <role> role of new accounts without that claim (OIDC_DEFAULT_ROLE)
  --oidc-allowed-domains <l> comma-separated email domains allowed to sign in this way (OIDC_ALLOWED_DOMAINS)
  --oidc-create-accounts     create accounts for unknown people (OIDC_CREATE_ACCOUNTS=1; otherwise only existing accounts)
  --seed                     load the Belvoir-sur-Loire demo town (SEED=1)
  --demo-account             DEMO ONLY: make demo@example.org an admin with a new random password, printed (DEMO_ACCOUNT=1)
  --log-level <level>        fatal, error, warn, info, debug (LOG_LEVEL; default info)
  --help                     show this help

${PROJECT_USAGE}
${STAFF_USAGE}`;

function parseFlags() {
  try {
    return parseArgs({ options: flags });
  } catch (error) {
    process.stderr.write(`civic-server: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  database: { type: 'string' },
  'admin-key': { type: 'string' },
  'allowed-origins': { type: 'string' },
  'host-sites': { type: 'string' },
  'token-secret': { type: 'string' },
  'trust-proxy': { type: 'string' },
  static: { type: 'string', multiple: true },
  'limit-address': { type: 'string' },
  'limit-participant': { type: 'string' },
  'limit-sessions': { type: 'string' },
  'streams-address': { type: 'string' },
  'streams-total': { type: 'string' },
  'host-token-lifetime': { type: 'string' },
  'public-url': { type: 'string' },
  'password-cost': { type: 'string' },
  'session-idle': { type: 'string' },
  'session-max': { type: 'string' },
  'secure-cookies': { type: 'boolean' },
  'oidc-issuer': { type: 'string' },
  'oidc-client-id': { type: 'string' },
  'oidc-client-secret': { type: 'string' },
  'oidc-redirect-uri': { type: 'string' },
  'oidc-email-claim': { type: 'string' },
  'oidc-name-claim': { type: 'string' },
  'oidc-role-claim': { type: 'string' },
  'oidc-default-role': { type: 'string' },
  'oidc-allowed-domains': { type: 'string' },
  'oidc-create-accounts': { type: 'boolean' },
  seed: { type: 'boolean' },
  'demo-account': { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean' },
} as const;
const { values } = parseFlags();

if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const env = process.env;
const list = (text: string | undefined, separator: string) =>
  text ? text.split(separator).map((item) => item.trim()).filter(Boolean) : undefined;

function hostSites(): HostSite[] | undefined {
  const source = values['host-sites'] ?? env.HOST_SITES;
  if (!source) return undefined;
  const text = source.trimStart().startsWith('[') ? source : readFileSync(source, 'utf8');
  return JSON.parse(text) as HostSite[];
}

function trustProxy(): boolean | string | undefined {
  const value = values['trust-proxy'] ?? env.TRUST_PROXY;
  if (value === undefined) return undefined;
  return value === 'true' ? true : value === 'false' ? false : value;
}

function limit(flag: string | undefined, variable: string | undefined): number | undefined {
  const text = flag ?? variable;
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`Not a positive whole number: ${text}\n`);
    process.exit(2);
  }
  return value;
}

const rateLimits = Object.fromEntries(
  Object.entries({
    perAddress: limit(values['limit-address'], env.LIMIT_PER_ADDRESS),
    perParticipant: limit(values['limit-participant'], env.LIMIT_PER_PARTICIPANT),
    sessionsPerAddress: limit(values['limit-sessions'], env.LIMIT_SESSIONS),
  }).filter(([, value]) => value !== undefined),
);

const port = Number(values.port ?? env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Not a port: ${values.port ?? env.PORT}\n`);
  process.exit(2);
}

const passwordCost = limit(values['password-cost'], env.PASSWORD_COST);
if (passwordCost !== undefined && (passwordCost < 14 || passwordCost > 20)) {
  process.stderr.write(`The password cost is log2 N, from 14 to 20: ${passwordCost}\n`);
  process.exit(2);
}
const idleMinutes = limit(values['session-idle'], env.SESSION_IDLE_MINUTES);
const maxHours = limit(values['session-max'], env.SESSION_MAX_HOURS);

function oidc(): OidcOptions | undefined {
  const issuer = values['oidc-issuer'] ?? env.OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = values['oidc-client-id'] ?? env.OIDC_CLIENT_ID;
  const defaultRole = values['oidc-default-role'] ?? env.OIDC_DEFAULT_ROLE;
  if (!clientId || (defaultRole !== undefined && !ROLES.includes(defaultRole as StaffRole))) {
    process.stderr.write(`OpenID Connect needs --oidc-client-id, and a default role among ${ROLES.join(', ')}.\n`);
    process.exit(2);
  }
  return {
    issuer,
    clientId,
    clientSecret: values['oidc-client-secret'] ?? env.OIDC_CLIENT_SECRET,
    redirectUri: values['oidc-redirect-uri'] ?? env.OIDC_REDIRECT_URI,
    emailClaim: values['oidc-email-claim'] ?? env.OIDC_EMAIL_CLAIM,
    nameClaim: values['oidc-name-claim'] ?? env.OIDC_NAME_CLAIM,
    roleClaim: values['oidc-role-claim'] ?? env.OIDC_ROLE_CLAIM,
    defaultRole: defaultRole as StaffRole | undefined,
    allowedDomains: list(values['oidc-allowed-domains'] ?? env.OIDC_ALLOWED_DOMAINS, ','),
    createAccounts: values['oidc-create-accounts'] ?? env.OIDC_CREATE_ACCOUNTS === '1',
  };
}

const server = await startServer({
  port,
  host: values.host ?? env.HOST,
  databaseUrl: values.database ?? env.DATABASE_URL ?? DEFAULT_DATABASE,
  adminKey: values['admin-key'] ?? env.ADMIN_KEY,
  allowedOrigins: list(values['allowed-origins'] ?? env.ALLOWED_ORIGINS, ','),
  hostSites: hostSites(),
  tokenSecret: values['token-secret'] ?? env.TOKEN_SECRET,
  trustProxy: trustProxy(),
  staticDirs: (values.static ?? list(env.STATIC_DIRS, ':'))?.map((dir) => resolve(dir)),
  seed: values.seed ?? env.SEED === '1',
  demoAccount: values['demo-account'] ?? env.DEMO_ACCOUNT === '1',
  console: {
    ...(passwordCost === undefined ? {} : { passwordCost: { logN: passwordCost, r: 8, p: 1 } }),
    ...(idleMinutes === undefined ? {} : { idleTimeoutMs: idleMinutes * 60_000 }),
    ...(maxHours === undefined ? {} : { absoluteTimeoutMs: maxHours * 3600_000 }),
    secureCookies: values['secure-cookies'] ?? env.SECURE_COOKIES === '1',
  },
  staffLinks: { publicUrl: values['public-url'] ?? env.PUBLIC_URL },
  oidc: oidc(),
  rateLimits,
  live: Object.fromEntries(
    Object.entries({
      streamsPerAddress: limit(values['streams-address'], env.STREAMS_PER_ADDRESS),
      maxStreams: limit(values['streams-total'], env.STREAMS_TOTAL),
    }).filter(([, value]) => value !== undefined),
  ),
  hostTokenMaxLifetimeS: limit(values['host-token-lifetime'], env.HOST_TOKEN_LIFETIME),
  logger: { level: values['log-level'] ?? env.LOG_LEVEL ?? 'info' },
});
if (server.demoAccount) {
  process.stdout.write(
    `\nDEMO ONLY — a console admin account, with a new password at each start:\n` +
      `  email ${server.demoAccount.email}   password ${server.demoAccount.password}\n` +
      `  sign in: curl -i -H 'content-type: application/json' -d '{"email":"${server.demoAccount.email}","password":"${server.demoAccount.password}"}' ${server.url}/api/v1/console/sign-in\n` +
      `  then send the civic_console cookie to ${server.url}/api/v1/admin/…, and the answer's csrfToken as X-CSRF-Token with every change.\n` +
      `  Never use --demo-account on a real server.\n\n`,
  );
}
server.app.log.info({ url: server.url }, `civic-server listening on ${server.url}`);
process.stdout.write(`civic-server listening on ${server.url}\n`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
