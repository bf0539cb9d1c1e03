/**
 * Tables of the people subgraph, all in the Postgres schema `people`.
 * Timestamps that page cursors sort by keep milliseconds only, as a
 * JavaScript Date does, so a cursor names its row's time exactly. Rules the
 * database can hold (the region tree, one captain per team, one household
 * per person, the append-only access log) are held there; triggers are
 * hand-written in the migrations.
 *
 * One file per module under `schema/`, the Postgres schema object in
 * `schema/base.ts`. This barrel re-exports them all, for the modules that
 * import tables and for drizzle-kit (drizzle.config.ts), which sees only the
 * tables exported here.
 */
export { people } from './schema/base.js';
export * from './schema/regions.js';
export * from './schema/persons.js';
export * from './schema/grids.js';
export * from './schema/stations.js';
export * from './schema/organizations.js';
export * from './schema/teams.js';
export * from './schema/alliances.js';
export * from './schema/guardians.js';
export * from './schema/households.js';
export * from './schema/privacy.js';
export * from './schema/notifications.js';
export * from './schema/analytics.js';
