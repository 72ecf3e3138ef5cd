import { sql, type Kysely, type Migration } from 'kysely';

const STATUSES = sql`('planned', 'in-progress', 'done', 'cancelled')`;

/** Trackers, their projects, the projects' updates and their origins. */
export const trackerMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('trackers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status_labels', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull().check(sql`length(currency) = 3`))
      .addColumn('page_url', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ${STATUSES}`))
      .addColumn('progress', 'integer', (c) => c.notNull().check(sql`progress between 0 and 100`))
      .addColumn('budget_planned', 'double precision', (c) => c.check(sql`budget_planned >= 0`))
      .addColumn('budget_spent', 'double precision', (c) => c.check(sql`budget_spent >= 0`))
      .addColumn('starts_at', 'text')
      .addColumn('ends_at', 'text')
      .addColumn('district', 'text')
      .addColumn('category', 'text')
      .addColumn('image_url', 'text')
      .addColumn('image_alt', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The default listing, the filters and the overview read these.
    await db.schema.createIndex('projects_tracker_updated').on('projects').columns(['tracker_id', 'updated_at', 'id']).execute();
    await db.schema.createIndex('projects_tracker_status').on('projects').columns(['tracker_id', 'status']).execute();
    await db.schema.createIndex('projects_tracker_district').on('projects').columns(['tracker_id', 'district']).execute();
    await db.schema.createIndex('projects_tracker_category').on('projects').columns(['tracker_id', 'category']).execute();
    // The projects file lists them in the order they were made.
    await db.schema.createIndex('projects_tracker_created').on('projects').columns(['tracker_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('project_updates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.check(sql`status in ${STATUSES}`))
      .addColumn('progress', 'integer', (c) => c.check(sql`progress between 0 and 100`))
      .execute();
    await db.schema.createIndex('project_updates_project').on('project_updates').columns(['project_id', 'at', 'id']).execute();
    // The tracker's Atom feed: its newest updates.
    await db.schema.createIndex('project_updates_tracker').on('project_updates').columns(['tracker_id', 'at', 'id']).execute();

    await db.schema
      .createTable('project_origins')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('idea', 'poll', 'map-report', 'comment-thread')`))
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addPrimaryKeyConstraint('project_origins_pk', ['project_id', 'kind', 'source_id'])
      .execute();
    // "What became of my contribution?": the projects a source went into.
    await db.schema.createIndex('project_origins_source').on('project_origins').columns(['kind', 'source_id']).execute();
  },
};
