import { Type } from 'typebox';
import type { Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import { IsoDateTime, ReportReasonSchema } from '../http/schemas.js';
import { reportView } from './model.js';
import { MapReportSchema } from './schemas.js';

/** What `GET /me/export` adds about maps: every report the participant made (in any state), their follows and flags. */
export const mapExportFields = {
  mapReports: Type.Array(MapReportSchema),
  mapFollows: Type.Array(Type.Object({ reportId: Type.String(), createdAt: IsoDateTime })),
  mapFlags: Type.Array(Type.Object({ reportId: Type.String(), reason: ReportReasonSchema, details: Type.Optional(Type.String()), createdAt: IsoDateTime })),
};

export async function exportMapData(storage: Storage, participantId: string) {
  const db = storage.reader;
  const [reports, follows, flags] = await Promise.all([
    db.selectFrom('map_reports').selectAll().where('participant_id', '=', participantId).orderBy('created_at').execute(),
    db.selectFrom('map_report_follows').select(['report_id', 'created_at']).where('participant_id', '=', participantId).orderBy('created_at').execute(),
    db.selectFrom('map_report_flags').select(['report_id', 'reason', 'details', 'created_at']).where('participant_id', '=', participantId).orderBy('created_at').execute(),
  ]);
  const updates = reports.length
    ? await db.selectFrom('map_report_updates').selectAll().where('report_id', 'in', reports.map((report) => report.id)).orderBy('id').execute()
    : [];
  return {
    mapReports: reports.map((row) =>
      reportView(
        row,
        updates.filter((update) => update.report_id === row.id),
        { participantId, followed: new Set(follows.map((follow) => follow.report_id)), download: true },
      ),
    ),
    mapFollows: follows.map((row) => ({ reportId: row.report_id, createdAt: row.created_at })),
    mapFlags: flags.map((row) => ({ reportId: row.report_id, reason: row.reason, ...(row.details === null ? {} : { details: row.details }), createdAt: row.created_at })),
  };
}

/** Erasure: reports stay as anonymous text, follows and flags keep counting, unlinked. */
export async function eraseMapData(trx: Trx, participantId: string): Promise<void> {
  await trx.updateTable('map_reports').set({ participant_id: null }).where('participant_id', '=', participantId).execute();
  await trx.updateTable('map_report_follows').set({ participant_id: null }).where('participant_id', '=', participantId).execute();
  await trx.updateTable('map_report_flags').set({ participant_id: null }).where('participant_id', '=', participantId).execute();
}
