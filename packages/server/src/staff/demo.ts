import { randomBytes } from 'node:crypto';
import { CommitQueue } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import { hashPassword, type PasswordCost } from './passwords.js';
import { emailKey } from './store.js';

export const DEMO_EMAIL = 'demo@example.org';

/**
 * The demo's console account: an admin whose password is made anew at each start and printed,
 * so that none outlives the demo run that showed it. Never for a real server.
 */
export async function ensureDemoAccount(storage: Storage, cost: PasswordCost): Promise<{ email: string; password: string }> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password, cost);
  const queue = new CommitQueue(storage.db, { concurrency: 1 });
  const now = new Date().toISOString();
  await queue.run(async (trx) => {
    const updated = await trx
      .updateTable('staff')
      .set({ password_hash: passwordHash, role: 'admin', scopes: '[]', disabled: 0, failed_attempts: 0, locked_until: null })
      .where('email_key', '=', emailKey(DEMO_EMAIL))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await trx
      .insertInto('staff')
      .values({ email: DEMO_EMAIL, email_key: emailKey(DEMO_EMAIL), name: 'Demo admin', role: 'admin', scopes: '[]', disabled: 0, password_hash: passwordHash, totp_enabled: 0, failed_attempts: 0, created_at: now })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .execute();
  });
  return { email: DEMO_EMAIL, password };
}
