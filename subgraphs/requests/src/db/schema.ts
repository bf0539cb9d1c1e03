/**
 * Tables of the requests subgraph, all in the Postgres schema `requests`.
 * Timestamps that page cursors sort by keep milliseconds only, as a
 * JavaScript Date does, so a cursor names its row's time exactly. Rules the
 * database can hold are held there: the tiered price as CHECKs, history and
 * service records append-only by triggers (hand-written in the migrations).
 * Persons, households, regions and teams belong to the people subgraph: they
 * are referenced by id without foreign keys, and the few facts about them
 * that decisions need are kept in the `directory_*` read model.
 *
 * One file per module under `schema/`, the Postgres schema object and the
 * column shapes several modules share in `schema/base.ts`. This barrel
 * re-exports them all, for the modules that import tables and for
 * drizzle-kit (drizzle.config.ts), which sees only the tables exported here.
 */
export { requests } from './schema/base.js';
export * from './schema/categories.js';
export * from './schema/directory.js';
export * from './schema/requests.js';
export * from './schema/pricing.js';
export * from './schema/wishes.js';
export * from './schema/activities.js';
export * from './schema/records.js';
export * from './schema/alerts.js';
export * from './schema/caseloads.js';
export * from './schema/menu.js';
export * from './schema/duty.js';
export * from './schema/plans.js';
export * from './schema/activity-series.js';
export * from './schema/activity-counts.js';
export * from './schema/service-hour-rollups.js';
