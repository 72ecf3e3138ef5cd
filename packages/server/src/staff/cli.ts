import { parseArgs } from 'node:util';
import { AuditLog } from '../admin/audit.js';
import { CommitQueue } from '../db/commit-queue.js';
import { openStorage } from '../db/connect.js';
import { migrate } from '../db/migrations.js';
import { Problem } from '../http/problem.js';
import type { CommandIo } from '../tracker/cli.js';
import { ROLES, SCOPE_PATTERN } from './permissions.js';
import { consoleLink } from './routes.js';
import { INVITATION_TTL_MS, StaffStore } from './store.js';
import type { StaffRole } from '../db/schema-staff.js';

export const STAFF_USAGE = `Staff accounts of the council console:
  civic-server staff add --email <email> --name <name> --role admin|editor|moderator|analyst [--scope kind:id ...] [--public-url <url>]
      create the account and print its one-time invitation link (72 h); scopes limit the role to
      some spaces: polls:<id>, ideas:<box id>, maps:<id>, threads:<id>, trackers:<id>
  civic-server staff list
      every account: email, name, role, scopes, state, last sign-in
  civic-server staff disable <email>
      the account can no longer sign in, and its sessions end
  (each takes --database <url|file>; the console's address for links is --public-url or PUBLIC_URL)
`;

/**
 * `civic-server staff …`: what an admin does in the console, for the first account and for
 * scripts. Exit status 0 when done, 1 when refused (an email taken, no such account), 2 for a
 * usage mistake.
 */
export async function staffCommand(argv: string[], io: CommandIo): Promise<number> {
  const [, command, ...rest] = argv;
  let values: { email?: string; name?: string; role?: string; scope?: string[]; 'public-url'?: string; database?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        scope: { type: 'string', multiple: true },
        'public-url': { type: 'string' },
        database: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${STAFF_USAGE}`);
    return 2;
  }
  if (values.help || !command) {
    io.stdout.write(STAFF_USAGE);
    return values.help ? 0 : 2;
  }
  const usageError = (message: string) => {
    io.stderr.write(`${message}\n\n${STAFF_USAGE}`);
    return 2;
  };
  const email = values.email ?? positionals[0];
  if (command === 'add') {
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) return usageError('Give the email: --email <email>.');
    if (!values.name?.trim()) return usageError('Give the name: --name <name>.');
    if (!ROLES.includes(values.role as StaffRole)) return usageError(`Give the role: --role ${ROLES.join('|')}.`);
    const bad = (values.scope ?? []).filter((scope) => !new RegExp(SCOPE_PATTERN).test(scope));
    if (bad.length) return usageError(`Not a scope: ${bad.join(', ')} (kind:id, kinds polls, ideas, maps, threads, trackers).`);
  } else if (command === 'disable') {
    if (!email) return usageError('Give the email of the account to disable.');
  } else if (command !== 'list') {
    return usageError(`Unknown staff command: ${command}.`);
  }

  const storage = await openStorage(values.database ?? io.env.DATABASE_URL ?? io.defaultDatabase);
  try {
    await migrate(storage);
    const queue = new CommitQueue(storage.db, { concurrency: 1 });
    const staff = new StaffStore(storage, queue);
    const audit = new AuditLog(storage);
    if (command === 'list') {
      io.stdout.write(staffTable(await staff.list()));
      return 0;
    }
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    if (command === 'add') {
      const { row, link } = await queue.run(async (trx) => {
        const { row, link } = await staff.invite(trx, { email: email!, name: values.name!, role: values.role as StaffRole, scopes: values.scope }, INVITATION_TTL_MS, nowMs);
        await audit.record(trx, { at: now, actor: 'cli', action: 'staff.invite', subjectKind: 'staff', subjectId: String(row.id), details: { email: row.email, role: row.role, scopes: JSON.parse(row.scopes) } });
        return { row, link };
      });
      const base = values['public-url'] ?? io.env.PUBLIC_URL ?? 'http://127.0.0.1:8787';
      const invitation = consoleLink(base, 'invitation', link);
      io.stdout.write(`${row.email} (${row.role}) created. One-time invitation link, valid until ${invitation.expiresAt}:\n${invitation.url}\n`);
      return 0;
    }
    const disabled = await queue.run(async (trx) => {
      const row = await staff.byEmail(email!, trx);
      if (!row) return undefined;
      await staff.update(trx, row.id, { disabled: true });
      await audit.record(trx, { at: now, actor: 'cli', action: 'staff.update', subjectKind: 'staff', subjectId: String(row.id), details: { email: row.email, disabled: true } });
      return row;
    });
    if (!disabled) {
      io.stderr.write(`No staff account has the email ${email}.\n`);
      return 1;
    }
    io.stdout.write(`${disabled.email} is disabled; their sessions have ended.\n`);
    return 0;
  } catch (error) {
    if (error instanceof Problem) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

function staffTable(members: Awaited<ReturnType<StaffStore['list']>>): string {
  const header = ['email', 'name', 'role', 'scopes', 'state', 'last sign-in'];
  const rows = members.map((member) => [
    member.email,
    member.name,
    member.role,
    member.scopes.join(' ') || '(all)',
    member.disabled ? 'disabled' : member.active ? 'active' : 'invited',
    member.lastSignInAt ?? '-',
  ]);
  if (!rows.length) return 'No staff accounts yet: civic-server staff add --email … --name … --role admin\n';
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
