import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type BackendName = 'sqlite' | 'postgresql';
export const backends: BackendName[] = ['sqlite', 'postgresql'];

const cleanups: Array<() => Promise<void>> = [];

/** A fresh, empty database of the given kind; dropped by `dropDatabases()`. */
export async function freshDatabase(backend: BackendName): Promise<string> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'civic-sqlite-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'civic.sqlite');
  }
  const adminUrl = process.env.CIVIC_TEST_PG_URL;
  if (!adminUrl) throw new Error('No PostgreSQL for the tests: set DATABASE_URL or install PostgreSQL (pg_ctl), and run through test/server/run.mjs.');
  const name = `civic_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  cleanups.push(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
}
