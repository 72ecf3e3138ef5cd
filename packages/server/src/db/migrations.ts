import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Dialect, Storage } from './connect.js';
import { mapsMigration } from './migrations-maps.js';
import { staffMigration } from './migrations-staff.js';
import { trackerMigration } from './migrations-tracker.js';

/** Arbitrary constant shared by every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 727_001;

function migrations(dialect: Dialect): Record<string, Migration> {
  const serialKey = dialect === 'postgres' ? 'bigserial' : 'integer';
  const autoIncrement = <T extends { primaryKey(): T; autoIncrement(): T }>(column: T) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();

  return {
    '001-polls': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('server_settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('participants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('verification', 'text', (c) => c.notNull().check(sql`verification in ('anonymous', 'verified')`))
          .addColumn('site_id', 'text')
          .addColumn('subject', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('participants_site_subject', ['site_id', 'subject'])
          .execute();

        await db.schema
          .createTable('polls')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('single', 'multiple', 'ranking', 'rating')`))
          .addColumn('options', 'text', (c) => c.notNull())
          .addColumn('min_choices', 'integer')
          .addColumn('max_choices', 'integer')
          .addColumn('scale', 'text')
          .addColumn('allow_other', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('opens_at', 'text')
          .addColumn('closes_at', 'text')
          .addColumn('result_visibility', 'text', (c) => c.notNull())
          .addColumn('results_published_at', 'text')
          .addColumn('quorum', 'integer')
          .addColumn('electorate', 'integer')
          .addColumn('allow_ballot_change', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('required_verification', 'text', (c) => c.notNull())
          .addColumn('eligibility_note', 'text')
          .addColumn('proof_of_work', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('ballots')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('poll_id', 'text', (c) => c.notNull().references('polls.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('other_text', 'text')
          .addColumn('other_state', 'text')
          .addColumn('cast_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text')
          // One ballot per participant and poll, enforced by the database. Erased participants
          // leave NULL here, which both databases allow any number of times.
          .addUniqueConstraint('ballots_poll_participant', ['poll_id', 'participant_id'])
          .execute();
        await db.schema.createIndex('ballots_participant').on('ballots').column('participant_id').execute();
        await db.schema.createIndex('ballots_other_state').on('ballots').columns(['other_state', 'id']).execute();

        await db.schema
          .createTable('poll_option_counts')
          .addColumn('poll_id', 'text', (c) => c.notNull().references('polls.id').onDelete('cascade'))
          .addColumn('option_id', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('total', 'double precision', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('poll_option_counts_pk', ['poll_id', 'option_id'])
          .execute();

        await db.schema
          .createTable('poll_tallies')
          .addColumn('poll_id', 'text', (c) => c.primaryKey().references('polls.id').onDelete('cascade'))
          .addColumn('ballots', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('other_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('response_status', 'integer')
          .addColumn('response_body', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
          .execute();
        await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('id', serialKey, autoIncrement)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('subject_kind', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('live_events')
          .addColumn('id', serialKey, autoIncrement)
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('live_events_topic').on('live_events').columns(['topic', 'id']).execute();
      },
    },
    '002-comments': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('threads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text')
          .addColumn('stances', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('pre_moderation', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('edit_window_seconds', 'integer', (c) => c.notNull().check(sql`edit_window_seconds >= 0`))
          .addColumn('auto_hide_reports', 'integer', (c) => c.notNull().check(sql`auto_hide_reports >= 0`))
          .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('required_verification', 'text', (c) => c.notNull().check(sql`required_verification in ('anonymous', 'verified')`))
          .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0).check(sql`comments >= 0`))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('comments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
          .addColumn('parent_id', 'text')
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('author_name', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('stance', 'text', (c) => c.check(sql`stance in ('for', 'against', 'neutral')`))
          .addColumn('moderation', 'text', (c) => c.notNull().check(sql`moderation in ('pending', 'published', 'hidden', 'rejected')`))
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('depth', 'integer', (c) => c.notNull().check(sql`depth >= 0`))
          .addColumn('supports', 'integer', (c) => c.notNull().defaultTo(0).check(sql`supports >= 0`))
          .addColumn('replies', 'integer', (c) => c.notNull().defaultTo(0).check(sql`replies >= 0`))
          .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reports >= 0`))
          .addColumn('reports_handled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('edited_at', 'text')
          // The target of the composite key below: a reply's parent is in the reply's own thread.
          .addUniqueConstraint('comments_thread_id', ['thread_id', 'id'])
          .addForeignKeyConstraint('comments_parent_same_thread', ['thread_id', 'parent_id'], 'comments', ['thread_id', 'id'])
          .addCheckConstraint('comments_depth_parent', sql`(parent_id is null) = (depth = 0)`)
          .addCheckConstraint('comments_deleted_empty', sql`deleted = 0 or body = ''`)
          .execute();
        // Keyset pages of one sibling list in each sort order.
        await db.schema.createIndex('comments_siblings_time').on('comments').columns(['thread_id', 'parent_id', 'created_at', 'id']).execute();
        await db.schema.createIndex('comments_siblings_supports').on('comments').columns(['thread_id', 'parent_id', 'supports', 'created_at', 'id']).execute();
        await db.schema.createIndex('comments_participant').on('comments').column('participant_id').execute();
        await db.schema.createIndex('comments_moderation').on('comments').columns(['moderation', 'id']).execute();

        await db.schema
          .createTable('comment_supports')
          .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          // One support per participant; erased participants leave NULL, which repeats freely.
          .addUniqueConstraint('comment_supports_one', ['comment_id', 'participant_id'])
          .execute();
        await db.schema.createIndex('comment_supports_participant').on('comment_supports').column('participant_id').execute();

        await db.schema
          .createTable('comment_reports')
          .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam', 'abuse', 'personal-data', 'off-topic', 'other')`))
          .addColumn('details', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('comment_reports_one', ['comment_id', 'participant_id'])
          .execute();
        await db.schema.createIndex('comment_reports_participant').on('comment_reports').column('participant_id').execute();
      },
    },
    '003-ideas': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('idea_boxes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('categories', 'text', (c) => c.notNull())
          .addColumn('opens_at', 'text')
          .addColumn('closes_at', 'text')
          .addColumn('support_limit', 'integer', (c) => c.check(sql`support_limit >= 0`))
          .addColumn('pre_moderation', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('required_verification', 'text', (c) => c.notNull().check(sql`required_verification in ('anonymous', 'verified')`))
          .addColumn('allow_images', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('allow_location', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('auto_hide_reports', 'integer', (c) => c.notNull().check(sql`auto_hide_reports >= 0`))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('ideas')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('box_id', 'text', (c) => c.notNull().references('idea_boxes.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('author_name', 'text')
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('search', 'text', (c) => c.notNull())
          .addColumn('category_id', 'text')
          .addColumn('location', 'text')
          .addColumn('image', 'text')
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate')`))
          .addColumn('moderation', 'text', (c) => c.notNull().check(sql`moderation in ('pending', 'published', 'hidden', 'rejected')`))
          .addColumn('duplicate_of', 'text', (c) => c.references('ideas.id').onDelete('set null'))
          .addColumn('answer_body', 'text')
          .addColumn('answer_author', 'text')
          .addColumn('answered_at', 'text')
          .addColumn('tracked_project_id', 'text')
          .addColumn('supports', 'integer', (c) => c.notNull().defaultTo(0).check(sql`supports >= 0`))
          .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0).check(sql`comments >= 0`))
          .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reports >= 0`))
          .addColumn('reports_handled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addCheckConstraint('ideas_duplicate_named', sql`(status = 'duplicate') = (duplicate_of is not null)`)
          .addCheckConstraint('ideas_not_own_duplicate', sql`duplicate_of is null or duplicate_of <> id`)
          .addCheckConstraint('ideas_answer_whole', sql`(answer_body is null) = (answered_at is null)`)
          .execute();
        await db.schema.createIndex('ideas_box_time').on('ideas').columns(['box_id', 'created_at', 'id']).execute();
        await db.schema.createIndex('ideas_participant').on('ideas').column('participant_id').execute();
        await db.schema.createIndex('ideas_moderation').on('ideas').columns(['moderation', 'id']).execute();

        await db.schema
          .createTable('idea_supports')
          .addColumn('idea_id', 'text', (c) => c.notNull().references('ideas.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('idea_supports_one', ['idea_id', 'participant_id'])
          .execute();
        await db.schema.createIndex('idea_supports_participant').on('idea_supports').column('participant_id').execute();

        // The supports each participant gives in a box: the row every support of theirs locks and
        // moves, so that a limit holds however many supports arrive at once.
        await db.schema
          .createTable('idea_box_supporters')
          .addColumn('box_id', 'text', (c) => c.notNull().references('idea_boxes.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
          .addColumn('supports', 'integer', (c) => c.notNull().check(sql`supports >= 0`))
          .addPrimaryKeyConstraint('idea_box_supporters_pk', ['box_id', 'participant_id'])
          .execute();

        await db.schema
          .createTable('idea_reports')
          .addColumn('idea_id', 'text', (c) => c.notNull().references('ideas.id').onDelete('cascade'))
          .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
          .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam', 'abuse', 'personal-data', 'off-topic', 'other')`))
          .addColumn('details', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('idea_reports_one', ['idea_id', 'participant_id'])
          .execute();
        await db.schema.createIndex('idea_reports_participant').on('idea_reports').column('participant_id').execute();
      },
    },
    '004-maps': mapsMigration(dialect),
    '005-tracker': trackerMigration,
    '006-staff': staffMigration(dialect),
  };
}

/**
 * Brings the schema up to date. On PostgreSQL several instances may start at once and Kysely's
 * own lock table is created with IF NOT EXISTS, which races: a session advisory lock goes first.
 */
export async function migrate(storage: Storage): Promise<void> {
  const provider = { getMigrations: async () => migrations(storage.dialect) };
  if (storage.dialect === 'sqlite') {
    await runMigrator(new Migrator({ db: storage.db, provider }));
    return;
  }
  await storage.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
    try {
      await runMigrator(new Migrator({ db: connection, provider }));
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
    }
  });
}

async function runMigrator(migrator: Migrator): Promise<void> {
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
