import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** The two databases behind one query layer, plus what only PostgreSQL can do. */
export interface Storage {
  dialect: Dialect;
  /** Connection that writes (the one SQLite writer, or the PostgreSQL pool). */
  db: Kysely<Database>;
  /** Connection for reads: a second SQLite connection so reads never wait behind a commit. */
  reader: Kysely<Database>;
  /** PostgreSQL only: a dedicated client that LISTENs on a channel. */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

// int8 (bigserial ids, count(*)) fit in a double at any size this server reaches.
pg.types.setTypeParser(20, (value) => Number(value));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openStorage(url: string): Promise<Storage> {
  return isPostgresUrl(url) ? openPostgres(url) : openSqlite(url.replace(/^sqlite:/, ''));
}

function openSqlite(file: string): Storage {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const writer = new SqliteDatabase(file);
  // WAL with synchronous=FULL: a commit returns only once it is on disk, so an acknowledged
  // ballot survives kill -9 and power loss.
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  const readerConnection = file === ':memory:' ? writer : new SqliteDatabase(file, { readonly: true });
  if (readerConnection !== writer) readerConnection.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(writer) }) });
  const reader =
    readerConnection === writer
      ? db
      : new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(readerConnection) }) });
  return {
    dialect: 'sqlite',
    db,
    reader,
    async close() {
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  };
}

/** Kysely prepares every query afresh; the same few statements run all day, so keep them. */
function cachingStatements(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size < 500) statements.set(sql, statement);
      }
      return statement;
    },
  } as KyselySqliteDatabase;
}

function openPostgres(url: string): Storage {
  const pool = new pg.Pool({ connectionString: url, max: 12 });
  // An idle client that errors (database restarted) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | undefined;
  return {
    dialect: 'postgres',
    db,
    reader: db,
    async listen(channel, onMessage) {
      listener = new pg.Client({ connectionString: url });
      listener.on('error', () => {});
      await listener.connect();
      listener.on('notification', (message) => {
        if (message.channel === channel && message.payload) onMessage(message.payload);
      });
      await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    async close() {
      await listener?.end().catch(() => {});
      await db.destroy();
    },
  };
}
