/**
 * Tables of the points subgraph (the public welfare bank), all in the
 * Postgres schema `points`. Every rule the database can hold is held here or
 * in the hand-written part of the migrations: append-only ledgers, balances
 * that never go below zero, a hold that resolves once, a reversal allowed
 * once, a bank tree whose levels cannot be mixed up. Points and the charity
 * fund's money live in separate tables that never reference each other, so
 * the two can never be mixed.
 *
 * One file per module under `schema/`, the Postgres schema object in
 * `schema/base.ts`. This barrel re-exports them all, for the modules that
 * import tables and for drizzle-kit (drizzle.config.ts), which sees only the
 * tables exported here.
 */
export { points } from './schema/base.js';
export * from './schema/bank.js';
export * from './schema/merchants.js';
export * from './schema/accounts.js';
export * from './schema/ledger.js';
export * from './schema/deposits.js';
export * from './schema/adjustments.js';
export * from './schema/redemptions.js';
export * from './schema/fund.js';
export * from './schema/directory.js';
export * from './schema/recommendations.js';
export * from './schema/debts.js';
export * from './schema/refunds.js';
export * from './schema/payment-codes.js';
export * from './schema/webhooks.js';
export * from './schema/donations.js';
export * from './schema/granaries.js';
export * from './schema/statements.js';
export * from './schema/pairings.js';
