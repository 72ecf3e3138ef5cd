import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AuditLog } from '../admin/audit.js';
import { CommentStore } from '../comments/store.js';
import { CommitQueue } from '../db/commit-queue.js';
import { openStorage } from '../db/connect.js';
import { migrate } from '../db/migrations.js';
import { Problem } from '../http/problem.js';
import { importSummary } from './admin-routes.js';
import { parseCsv, utf8Chunks } from './csv.js';
import { Progress } from './progress.js';
import { applyImport, exportProjects, planImport } from './projects-csv.js';
import { TrackerStore } from './store.js';

export const PROJECT_COMMANDS: readonly string[] = ['import-projects', 'export-projects'];

export const PROJECT_USAGE = `Projects of a results tracker, as CSV (the admin routes' columns and checks):
  civic-server import-projects --tracker <id> <file.csv> [--dry-run] [--database <url|file>]
      check every row, then write them all in one transaction, or nothing when any row has an error
  civic-server export-projects --tracker <id> [file.csv] [--database <url|file>]
      write the tracker's projects to the file, or to standard output
`;

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** The database when neither --database nor DATABASE_URL says. */
  defaultDatabase: string;
}

/**
 * `import-projects` and `export-projects`: the same reading, checks and writing as the admin
 * routes, on the database the server uses. Exit status 0 when done, 1 when the file has errors
 * (nothing written), 2 for a usage mistake.
 */
export async function projectsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  let values: { tracker?: string; 'dry-run'?: boolean; database?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { tracker: { type: 'string' }, 'dry-run': { type: 'boolean' }, database: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${PROJECT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(PROJECT_USAGE);
    return 0;
  }
  const trackerId = values.tracker;
  const file = positionals[0];
  const usageError = !trackerId
    ? 'Name the tracker: --tracker <id>.'
    : command === 'import-projects' && !file
      ? 'Name the CSV file to import.'
      : positionals.length > 1
        ? `One file only; unexpected: ${positionals.slice(1).join(' ')}.`
        : command === 'export-projects' && values['dry-run']
          ? '--dry-run is for import-projects.'
          : undefined;
  if (usageError) {
    io.stderr.write(`${usageError}\n\n${PROJECT_USAGE}`);
    return 2;
  }

  const storage = await openStorage(values.database ?? io.env.DATABASE_URL ?? io.defaultDatabase);
  try {
    await migrate(storage);
    const store = new TrackerStore(storage, new CommentStore(storage));
    if (command === 'export-projects') return await exportCommand(store, trackerId!, file, io);
    return await importCommand(storage, store, trackerId!, file!, values['dry-run'] ?? false, io);
  } catch (error) {
    if (error instanceof Problem || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

async function importCommand(
  storage: Awaited<ReturnType<typeof openStorage>>,
  store: TrackerStore,
  trackerId: string,
  file: string,
  dryRun: boolean,
  io: CommandIo,
): Promise<number> {
  await store.requireTrackerRow(trackerId);
  const size = statSync(file).size;
  const reading = new Progress(io.stderr, `Checking ${file}`, size, 'bytes');
  let bytes = 0;
  let rows = 0;
  const plan = await planImport(
    store,
    trackerId,
    parseCsv(utf8Chunks(createReadStream(file, { highWaterMark: 256 * 1024 }), { onBytes: (read) => reading.update((bytes = read), rows) })),
    (counted) => reading.update(bytes, (rows = counted)),
  );
  reading.finish();
  const summary = importSummary(plan);
  if (plan.errors.length > 0) {
    io.stdout.write(`${plan.rows} rows read; nothing was written. Fix these and import again:\n`);
    for (const error of plan.errors) io.stdout.write(`  ${error.line > 0 ? `line ${error.line}, ` : ''}${error.field}: ${error.message}\n`);
    return 1;
  }
  const counts = `${summary.created} to create, ${summary.updated} to update, ${plan.unchanged} unchanged`;
  if (dryRun) {
    io.stdout.write(`${plan.rows} rows checked: ${counts}. Dry run: nothing was written.\n`);
    return 0;
  }
  const changes = plan.create.length + plan.update.length;
  const writing = new Progress(io.stderr, 'Writing', changes, 'rows');
  const queue = new CommitQueue(storage.db, { concurrency: 1 });
  const audit = new AuditLog(storage);
  await queue.run(async (trx) => {
    const now = new Date().toISOString();
    await applyImport(store, trx, plan, now, (written) => writing.update(written, written));
    await audit.record(trx, { at: now, actor: 'cli', action: 'project.import', subjectKind: 'tracker', subjectId: trackerId, details: { created: summary.created, updated: summary.updated, file } });
  });
  writing.finish();
  io.stdout.write(`${plan.rows} rows imported: ${summary.created} created, ${summary.updated} updated, ${plan.unchanged} unchanged.\n`);
  return 0;
}

async function exportCommand(store: TrackerStore, trackerId: string, file: string | undefined, io: CommandIo): Promise<number> {
  await store.requireTrackerRow(trackerId);
  const total = await store.projectCount(trackerId);
  const progress = new Progress(io.stderr, 'Exporting', total, 'rows');
  let rows = 0;
  const lines = exportProjects(store, trackerId, () => progress.update(++rows, rows));
  await pipeline(Readable.from(lines), file ? createWriteStream(file) : io.stdout, file ? {} : { end: false });
  progress.finish();
  if (file) io.stdout.write(`${rows} projects written to ${file}.\n`);
  return 0;
}
