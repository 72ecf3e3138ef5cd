import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './connect.js';

/** Participatory maps: maps, reports, council updates, follows and abuse flags. */
export function mapsMigration(dialect: Dialect): Migration {
  const serialKey = dialect === 'postgres' ? 'bigserial' : 'integer';
  const autoIncrement = <T extends { primaryKey(): T; autoIncrement(): T }>(column: T) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();
  const status = sql`in ('open', 'acknowledged', 'in-progress', 'closed')`;

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('maps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('center_lat', 'double precision', (c) => c.notNull().check(sql`center_lat between -90 and 90`))
        .addColumn('center_lng', 'double precision', (c) => c.notNull().check(sql`center_lng between -180 and 180`))
        .addColumn('zoom', 'integer', (c) => c.notNull().check(sql`zoom between 0 and 22`))
        .addColumn('south', 'double precision')
        .addColumn('west', 'double precision')
        .addColumn('north', 'double precision')
        .addColumn('east', 'double precision')
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('tile_url', 'text')
        .addColumn('tile_attribution', 'text')
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pre_moderation', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('allow_images', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('required_verification', 'text', (c) => c.notNull().check(sql`required_verification in ('anonymous', 'verified')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint(
          'maps_bounds_whole',
          sql`(south is null and west is null and north is null and east is null) or (south is not null and west is not null and north is not null and east is not null and south < north and west < east)`,
        )
        .execute();

      await db.schema
        .createTable('map_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('map_id', 'text', (c) => c.notNull().references('maps.id').onDelete('cascade'))
        .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
        .addColumn('category_id', 'text', (c) => c.notNull())
        .addColumn('lat', 'double precision', (c) => c.check(sql`lat between -90 and 90`))
        .addColumn('lng', 'double precision', (c) => c.check(sql`lng between -180 and 180`))
        .addColumn('address', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('attributes', 'text')
        .addColumn('image', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status ${status}`))
        .addColumn('moderation', 'text', (c) => c.notNull().check(sql`moderation in ('pending', 'published', 'hidden', 'rejected')`))
        .addColumn('followers', 'integer', (c) => c.notNull().defaultTo(0).check(sql`followers >= 0`))
        .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0).check(sql`comments >= 0`))
        .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reports >= 0`))
        .addColumn('reports_handled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('open311_token', 'text', (c) => c.unique())
        .addColumn('tracked_project_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text')
        .addCheckConstraint('map_reports_point_whole', sql`(lat is null) = (lng is null)`)
        .addCheckConstraint('map_reports_located', sql`lat is not null or address is not null`)
        .execute();
      // Listing, newest first and most followed; drawing within a box; the participant's own; the queue.
      await db.schema.createIndex('map_reports_map_time').on('map_reports').columns(['map_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('map_reports_map_followers').on('map_reports').columns(['map_id', 'followers', 'created_at', 'id']).execute();
      await db.schema.createIndex('map_reports_map_lat_lng').on('map_reports').columns(['map_id', 'lat', 'lng']).execute();
      // Everything the points read needs, in its order: tens of thousands of points come from the index alone.
      await db.schema
        .createIndex('map_reports_points')
        .on('map_reports')
        .columns(['map_id', 'moderation', 'created_at', 'id', 'lat', 'lng', 'category_id', 'status'])
        .execute();
      await db.schema.createIndex('map_reports_participant').on('map_reports').column('participant_id').execute();
      await db.schema.createIndex('map_reports_moderation').on('map_reports').columns(['moderation', 'id']).execute();
      await db.schema.createIndex('map_reports_tracked').on('map_reports').column('tracked_project_id').execute();

      await db.schema
        .createTable('map_report_updates')
        .addColumn('id', serialKey, autoIncrement)
        .addColumn('report_id', 'text', (c) => c.notNull().references('map_reports.id').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.check(sql`status ${status}`))
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('map_report_updates_report').on('map_report_updates').columns(['report_id', 'id']).execute();

      await db.schema
        .createTable('map_report_follows')
        .addColumn('report_id', 'text', (c) => c.notNull().references('map_reports.id').onDelete('cascade'))
        .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        // One follow per participant; erased participants leave NULL, which repeats freely.
        .addUniqueConstraint('map_report_follows_one', ['report_id', 'participant_id'])
        .execute();
      await db.schema.createIndex('map_report_follows_participant').on('map_report_follows').column('participant_id').execute();

      await db.schema
        .createTable('map_report_flags')
        .addColumn('report_id', 'text', (c) => c.notNull().references('map_reports.id').onDelete('cascade'))
        .addColumn('participant_id', 'text', (c) => c.references('participants.id').onDelete('set null'))
        .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('spam', 'abuse', 'personal-data', 'off-topic', 'other')`))
        .addColumn('details', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('map_report_flags_one', ['report_id', 'participant_id'])
        .execute();
      await db.schema.createIndex('map_report_flags_participant').on('map_report_flags').column('participant_id').execute();
    },
  };
}
