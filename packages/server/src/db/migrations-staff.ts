import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './connect.js';

/** Staff accounts, their links, sessions and recovery codes; the audit log learns who acted; the inbox's indexes. */
export function staffMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor', 'moderator', 'analyst')`))
        .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_hash', 'text')
        .addColumn('totp_secret', 'text')
        .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('totp_last_step', 'bigint')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_sign_in_at', 'text')
        .execute();

      await db.schema
        .createTable('staff_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invitation', 'reset')`))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_links_staff').on('staff_links').column('staff_id').execute();

      await db.schema
        .createTable('staff_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();

      await db.schema
        .createTable('staff_recovery_codes')
        .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addPrimaryKeyConstraint('staff_recovery_codes_pk', ['staff_id', 'code_hash'])
        .execute();

      // The moderation inbox pages each kind by (state, time, id).
      await db.schema.createIndex('comments_moderation_time').on('comments').columns(['moderation', 'created_at', 'id']).execute();
      await db.schema.createIndex('ideas_moderation_time').on('ideas').columns(['moderation', 'created_at', 'id']).execute();
      await db.schema.createIndex('map_reports_moderation_time').on('map_reports').columns(['moderation', 'created_at', 'id']).execute();
      await db.schema.createIndex('ballots_other_state_time').on('ballots').columns(['other_state', 'cast_at', 'id']).execute();

      // Who acted: the staff member's id (null for the admin key), and their name at the time.
      await db.schema.alterTable('audit_log').addColumn('actor_id', 'bigint').execute();
      await db.schema.alterTable('audit_log').addColumn('actor_name', 'text').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();
    },
  };
}
