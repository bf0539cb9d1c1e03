/**
 * Service hours rolled up by region and month: the read model that answers
 * the most common service-hour statistic (a region's hours, records and
 * volunteers, by month or in all) in a few rows however many records lie
 * under the region (docs/analysts.md, "Service-hour rollups").
 *
 * A trigger on `service_records` queues every record written
 * (`service_hours_unfolded`); the `service-hour-rollups` job folds the
 * queue into the two tables below (`requests.fold_service_hours`, in the
 * migration). A statistic adds the records still queued to the folded
 * figures in the same statement, so its answer is exact at every moment,
 * folded or not.
 */
import { bigint, date, integer, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { requests } from './base.js';
import { serviceRecords } from './records.js';

/**
 * Records written and not yet folded into the rollups: the trigger adds
 * them, the fold takes them out in the same transaction as it adds them to
 * the rollups, so a record is counted in exactly one of the two.
 */
export const serviceHoursUnfolded = requests.table('service_hours_unfolded', {
  recordId: uuid('record_id')
    .primaryKey()
    .references(() => serviceRecords.id),
});

/**
 * How many of a volunteer's services stand (not reversed) under a region in
 * a month: the fold counts a volunteer in a month's figures when this turns
 * positive and stops when it returns to zero, which keeps the distinct count
 * exact as records are added one by one. A reversal folded before its
 * service leaves it below zero for a while, which counts as not standing.
 */
export const serviceHourVolunteers = requests.table(
  'service_hour_volunteers',
  {
    /** A region in the served place's path as it was when served, or the nil id, which stands for every record. */
    regionId: uuid('region_id').notNull(),
    /** The first day of the Beijing month served; `-infinity` for all months together. */
    month: date('month', { mode: 'string' }).notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    /** The volunteer's services there and then, less their reversals folded so far. */
    standing: integer('standing').notNull(),
  },
  (table) => [primaryKey({ name: 'service_hour_volunteers_pk', columns: [table.regionId, table.month, table.volunteerId] })],
);

/** A region's service hours in a month (or in all months, `-infinity`): what `serviceHourStats` reads. */
export const serviceHourMonths = requests.table(
  'service_hour_months',
  {
    /** As in `service_hour_volunteers`. */
    regionId: uuid('region_id').notNull(),
    /** As in `service_hour_volunteers`. */
    month: date('month', { mode: 'string' }).notNull(),
    /** Minutes served, reversals subtracted (a country's years of them outgrow an integer). */
    minutes: bigint('minutes', { mode: 'number' }).notNull(),
    /** Service records less reversals. */
    records: integer('records').notNull(),
    /** Volunteers with a standing service. */
    volunteers: integer('volunteers').notNull(),
  },
  // No CHECK on the figures: an insert checks the row it proposes before it finds the conflict that turns it into an
  // update, and the fold proposes each change (a volunteer leaving a month is minus one) as such a row.
  (table) => [primaryKey({ name: 'service_hour_months_pk', columns: [table.regionId, table.month] })],
);
