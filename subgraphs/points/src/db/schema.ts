/**
 * Tables of the points subgraph (the public welfare bank), all in the
 * Postgres schema `points`. Every rule the database can hold is held here or
 * in the hand-written part of the migrations: append-only ledgers, balances
 * that never go below zero, a hold that resolves once, a reversal allowed
 * once, a bank tree whose levels cannot be mixed up. Points and the charity
 * fund's money live in separate tables that never reference each other, so
 * the two can never be mixed.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, pgSchema, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const points = pgSchema('points');

/**
 * The bank's own account that points are issued from. It is created by the
 * migration, not by demo data: every ledger needs it. It is the only account
 * allowed below zero; its negative balance is the total of points in
 * circulation.
 */
export const ISSUANCE_ACCOUNT_ID = '00000000-0000-7000-8020-000000000000';
export const ISSUANCE_PASSBOOK_NUMBER = '000000000000';

/**
 * Passbook serials come from this sequence; the 9xxxxxxxxxx block above its
 * maximum is kept for accounts loaded with fixed numbers (demo data), so the
 * two can never meet.
 */
export const passbookSeq = points.sequence('passbook_seq', { startWith: 1, minValue: 1, maxValue: 89_999_999_999, cache: 1 });

// ---------------------------------------------------------------------------
// The bank: head bank (总行) → branches (分行) → savings offices (储蓄所).

export const bankUnitKind = points.enum('bank_unit_kind', ['head_bank', 'branch', 'savings_office']);

/** When a bank's merchants take redemptions (月兑换), unless a merchant is always open. */
export const redemptionWindow = points.enum('redemption_window', ['first_weekend_of_month', 'always_open']);

export const bankUnits = points.table(
  'bank_units',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: bankUnitKind('kind').notNull(),
    name: text('name').notNull(),
    parentId: uuid('parent_id'),
    /** The parent's kind, so the composite foreign key below can insist a branch hangs off a head bank and an office off a branch. */
    parentKind: bankUnitKind('parent_kind'),
    /** The head bank at the root of this unit's tree (itself for a head bank); rules and windows are per bank. */
    bankId: uuid('bank_id').notNull(),
    /** A people Region id; regions live in another subgraph, so there is no foreign key. */
    regionId: uuid('region_id').notNull(),
    /** A people Station id (the practice station a savings office sits at); null above offices. */
    stationId: uuid('station_id'),
    /** Set on head banks only. */
    redemptionWindow: redemptionWindow('redemption_window'),
    /** The office that accountOpen uses when the caller names none (at most one in the install). */
    isDefaultOffice: boolean('is_default_office').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    unique('bank_units_id_kind').on(table.id, table.kind),
    unique('bank_units_id_kind_bank').on(table.id, table.kind, table.bankId),
    // A child carries its parent's kind and bank: the tree cannot skip a level or straddle two banks.
    foreignKey({
      name: 'bank_units_parent_fk',
      columns: [table.parentId, table.parentKind, table.bankId],
      foreignColumns: [table.id, table.kind, table.bankId],
    }),
    // Siblings have different names; head banks (no parent) too.
    uniqueIndex('bank_units_parent_name').on(table.parentId, table.name),
    uniqueIndex('bank_units_head_name')
      .on(table.name)
      .where(sql`parent_id is null`),
    uniqueIndex('bank_units_one_default_office')
      .on(table.isDefaultOffice)
      .where(sql`is_default_office`),
    index('bank_units_bank_idx').on(table.bankId, table.kind, table.name, table.id),
    check('bank_units_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check(
      'bank_units_levels',
      sql`(${table.kind} = 'head_bank' and ${table.parentId} is null and ${table.parentKind} is null and ${table.bankId} = ${table.id} and ${table.redemptionWindow} is not null)
        or (${table.kind} = 'branch' and ${table.parentId} is not null and ${table.parentKind} = 'head_bank' and ${table.redemptionWindow} is null)
        or (${table.kind} = 'savings_office' and ${table.parentId} is not null and ${table.parentKind} = 'branch' and ${table.redemptionWindow} is null)`,
    ),
    check('bank_units_station_iff_office', sql`(${table.kind} = 'savings_office') = (${table.stationId} is not null)`),
    check('bank_units_default_is_office', sql`not ${table.isDefaultOffice} or ${table.kind} = 'savings_office'`),
  ],
);

/** Bank clerks (储蓄所/分行/总行 staff): a clerk serves the accounts of every office at or under the units they are assigned to. */
export const bankClerks = points.table(
  'bank_clerks',
  {
    /** A people Person id. */
    personId: uuid('person_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => bankUnits.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    assignedBy: text('assigned_by').notNull(),
  },
  (table) => [primaryKey({ name: 'bank_clerks_pk', columns: [table.personId, table.unitId] }), index('bank_clerks_unit_idx').on(table.unitId)],
);

/** Points deposited per hour of service, per category, set by each head bank (积分入折 rules are data). */
export const depositRules = points.table(
  'deposit_rules',
  {
    bankId: uuid('bank_id').notNull(),
    /** Always 'head_bank': with the foreign key below, rules hang off head banks only. */
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** A requests Category code, e.g. `home_repair`. */
    categoryCode: text('category_code').notNull(),
    pointsPerHour: integer('points_per_hour').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (table) => [
    primaryKey({ name: 'deposit_rules_pk', columns: [table.bankId, table.categoryCode] }),
    foreignKey({ name: 'deposit_rules_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    check('deposit_rules_points_per_hour_range', sql`${table.pointsPerHour} between 1 and 10000`),
    check('deposit_rules_category_format', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);

// ---------------------------------------------------------------------------
// Merchants of the love alliance (爱心联盟) and the head bank's central exchange.

export const merchantKind = points.enum('merchant_kind', ['alliance', 'central_exchange']);

export const merchants = points.table(
  'merchants',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: merchantKind('kind').notNull(),
    name: text('name').notNull(),
    /** A people Organization id; null for a bank's central exchange. */
    organizationId: uuid('organization_id'),
    bankId: uuid('bank_id').notNull(),
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** Takes redemptions whenever it likes, not only in its bank's window. */
    alwaysOpen: boolean('always_open').notNull().default(false),
    /** Only customers holding at least this many points may redeem here (the central exchange is for high-balance customers). */
    minimumBalance: bigint('minimum_balance', { mode: 'number' }).notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'merchants_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('merchants_one_exchange_per_bank')
      .on(table.bankId)
      .where(sql`kind = 'central_exchange'`),
    uniqueIndex('merchants_one_per_organization').on(table.organizationId, table.bankId),
    index('merchants_bank_name_idx').on(table.bankId, table.name, table.id),
    index('merchants_name_idx').on(table.name, table.id),
    check('merchants_organization_iff_alliance', sql`(${table.kind} = 'alliance') = (${table.organizationId} is not null)`),
    check('merchants_minimum_balance_not_negative', sql`${table.minimumBalance} >= 0`),
    check('merchants_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export const catalogItems = points.table(
  'catalog_items',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    description: text('description'),
    pricePoints: bigint('price_points', { mode: 'number' }).notNull(),
    /** Units on hand; a redemption takes them with `stock >= quantity` in the UPDATE, and the CHECK is the backstop. */
    stock: integer('stock').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('catalog_items_merchant_name').on(table.merchantId, table.name),
    index('catalog_items_merchant_idx').on(table.merchantId, table.name, table.id),
    check('catalog_items_price_positive', sql`${table.pricePoints} > 0`),
    check('catalog_items_stock_not_negative', sql`${table.stock} >= 0`),
    check('catalog_items_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

// ---------------------------------------------------------------------------
// Accounts and the points ledger.

export const accountKind = points.enum('account_kind', ['customer', 'merchant', 'exchange', 'issuance']);

export const accounts = points.table(
  'accounts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: accountKind('kind').notNull(),
    /** A people Person id; that person lives in another subgraph, so there is no foreign key. */
    holderId: uuid('holder_id'),
    /** The savings office a customer account was opened at. */
    officeId: uuid('office_id'),
    /** Always 'savings_office': with the foreign key below, an account is opened at an office and nowhere else. */
    officeKind: bankUnitKind('office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    /** The merchant a merchant (or central exchange) account belongs to. */
    merchantId: uuid('merchant_id').references(() => merchants.id),
    passbookNumber: text('passbook_number').notNull().unique(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Points reserved by open redemption holds: spendable points are balance − held. */
    held: bigint('held', { mode: 'number' }).notNull().default(0),
    /** Passbook lines written so far; each transfer takes the next line number of both its accounts. */
    lines: bigint('lines', { mode: 'number' }).notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer who opened it, for audit. */
    openedBy: text('opened_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'accounts_office_fk', columns: [table.officeId, table.officeKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('accounts_one_per_holder')
      .on(table.holderId)
      .where(sql`kind = 'customer'`),
    uniqueIndex('accounts_one_issuance')
      .on(table.kind)
      .where(sql`kind = 'issuance'`),
    uniqueIndex('accounts_one_per_merchant').on(table.merchantId),
    // What an adjustment names: a customer account with its holder and office, so the adjustment's rules can see both.
    unique('accounts_id_holder_office').on(table.id, table.holderId, table.officeId),
    index('accounts_office_idx').on(table.officeId, table.passbookNumber),
    check('accounts_holder_iff_customer', sql`(${table.kind} = 'customer') = (${table.holderId} is not null)`),
    check('accounts_office_iff_customer', sql`(${table.kind} = 'customer') = (${table.officeId} is not null)`),
    check('accounts_merchant_iff_merchant', sql`(${table.kind} in ('merchant', 'exchange')) = (${table.merchantId} is not null)`),
    check('accounts_balance_not_negative', sql`${table.kind} = 'issuance' or ${table.balance} >= 0`),
    check('accounts_held_within_balance', sql`${table.held} >= 0 and (${table.held} = 0 or ${table.held} <= ${table.balance})`),
    check('accounts_lines_not_negative', sql`${table.lines} >= 0`),
    check('accounts_passbook_number_format', sql`${table.passbookNumber} ~ '^[0-9]{12}$'`),
  ],
);

export const transferCause = points.enum('transfer_cause', ['opening', 'service_record', 'redemption', 'adjustment', 'donation', 'reversal']);

/**
 * The ledger: append-only (a trigger in the migration refuses UPDATE, DELETE
 * and TRUNCATE). Each row is also a line in both accounts' passbooks: its
 * line number there and the balance right after it, checked against the
 * account row by a trigger when it is written.
 */
export const transfers = points.table(
  'transfers',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    debitAccountId: uuid('debit_account_id')
      .notNull()
      .references(() => accounts.id),
    creditAccountId: uuid('credit_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    cause: transferCause('cause').notNull(),
    /** What the transfer is for, e.g. the service record or redemption id; free text because those live elsewhere. */
    reference: text('reference'),
    /** Why, in words: a reversal's reason, an adjustment's explanation. */
    note: text('note'),
    /** The transfer this one reverses; unique, so a transfer is reversed once at most. */
    reversesId: uuid('reverses_id').unique('transfers_reversed_once'),
    debitLine: bigint('debit_line', { mode: 'number' }).notNull(),
    creditLine: bigint('credit_line', { mode: 'number' }).notNull(),
    debitBalanceAfter: bigint('debit_balance_after', { mode: 'number' }).notNull(),
    creditBalanceAfter: bigint('credit_balance_after', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer (or the process) that moved the points, for audit. */
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'transfers_reverses_fk', columns: [table.reversesId], foreignColumns: [table.id] }),
    uniqueIndex('transfers_debit_line').on(table.debitAccountId, table.debitLine),
    uniqueIndex('transfers_credit_line').on(table.creditAccountId, table.creditLine),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    check('transfers_between_two_accounts', sql`${table.debitAccountId} <> ${table.creditAccountId}`),
    check('transfers_reversal_iff_reverses', sql`(${table.cause} = 'reversal') = (${table.reversesId} is not null)`),
    check('transfers_lines_positive', sql`${table.debitLine} > 0 and ${table.creditLine} > 0`),
  ],
);

/**
 * Service records the requests subgraph announced (`service_record.created`):
 * what a deposit is made from. A deposit names one of these, with its
 * volunteer, category and minutes (the foreign key below), so no one can
 * deposit for a record requests never wrote, or with other details than it
 * wrote. Kept whether or not the record could be deposited when it arrived
 * (no rule for its category yet, no office for its volunteer), so that it
 * can be deposited later.
 */
export const serviceRecords = points.table(
  'service_records',
  {
    /** A requests ServiceRecord id. */
    id: uuid('id').primaryKey(),
    /** A people Person id: the volunteer who served. */
    volunteerId: uuid('volunteer_id').notNull(),
    /** A requests Category code. */
    categoryCode: text('category_code').notNull(),
    minutes: integer('minutes').notNull(),
    /** The record's regions from the root down to its place (people Region ids); empty when it has none. */
    place: uuid('place')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    learnedAt: timestamp('learned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('service_records_deposit_key').on(table.id, table.volunteerId, table.categoryCode, table.minutes),
    index('service_records_volunteer_idx').on(table.volunteerId),
    check('service_records_minutes_range', sql`${table.minutes} between 1 and 1440`),
    check('service_records_category_format', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);

/** A deposit (积分入折) for one approved service record: its inputs, the rule applied, and the transfer it made. */
export const deposits = points.table(
  'deposits',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** A requests ServiceRecord id; unique, so a record is deposited once however often it is replayed. */
    serviceRecordId: uuid('service_record_id').notNull().unique('deposits_one_per_service_record'),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** A people Person id: the volunteer who served. */
    personId: uuid('person_id').notNull(),
    categoryCode: text('category_code').notNull(),
    minutes: integer('minutes').notNull(),
    pointsPerHour: integer('points_per_hour').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Written in the same transaction; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').notNull().unique('deposits_one_per_transfer'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    // The record, its volunteer, category and minutes as requests announced them: a deposit is made of a known record only.
    foreignKey({
      name: 'deposits_service_record_fk',
      columns: [table.serviceRecordId, table.personId, table.categoryCode, table.minutes],
      foreignColumns: [serviceRecords.id, serviceRecords.volunteerId, serviceRecords.categoryCode, serviceRecords.minutes],
    }),
    index('deposits_account_idx').on(table.accountId, table.createdAt, table.id),
    check('deposits_minutes_range', sql`${table.minutes} between 1 and 1440`),
    check('deposits_amount_by_rule', sql`${table.amount} > 0 and ${table.amount} = (${table.minutes} * ${table.pointsPerHour}) / 60`),
  ],
);

// ---------------------------------------------------------------------------
// Adjustments: manual credits of points, under dual control.

export const adjustmentStatus = points.enum('adjustment_status', ['requested', 'approved', 'rejected']);

/**
 * A manual credit of points to a customer account, outside any service
 * record: requested by one member of the bank's staff with a reason, and
 * approved (one transfer from the issuance account, cause `adjustment`,
 * referring to this row) or rejected by a second, different one. Never to
 * the requester's or the approver's own account. Each resolves once (a
 * trigger in the migration), and an approved one is matched by exactly its
 * transfer (constraint triggers checked at commit).
 */
export const adjustments = points.table(
  'adjustments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    accountId: uuid('account_id').notNull(),
    /** The account's holder and office, carried so that the checks below can name them (the foreign key keeps them the account's). */
    holderId: uuid('holder_id').notNull(),
    officeId: uuid('office_id').notNull(),
    /** Whole points to credit. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Why, for the passbook and the audit. */
    reason: text('reason').notNull(),
    status: adjustmentStatus('status').notNull().default('requested'),
    requestedAt: timestamp('requested_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Subject of the viewer who asked. */
    requestedBy: text('requested_by').notNull(),
    /** Their people Person id, when their token carries one. */
    requestedByPersonId: uuid('requested_by_person_id'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    /** Subject of the viewer who approved or rejected it. */
    resolvedBy: text('resolved_by'),
    resolvedByPersonId: uuid('resolved_by_person_id'),
    /** Why it was rejected. */
    rejectionReason: text('rejection_reason'),
    /** The issuance → account transfer an approval posted; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').unique('adjustments_one_per_transfer'),
  },
  (table) => [
    foreignKey({
      name: 'adjustments_account_fk',
      columns: [table.accountId, table.holderId, table.officeId],
      foreignColumns: [accounts.id, accounts.holderId, accounts.officeId],
    }),
    index('adjustments_office_idx').on(table.officeId, table.status, table.requestedAt, table.id),
    index('adjustments_account_idx').on(table.accountId),
    check('adjustments_amount_range', sql`${table.amount} between 1 and 10000`),
    check('adjustments_reason_length', sql`char_length(trim(${table.reason})) between 1 and 500`),
    check(
      'adjustments_resolved_iff_not_requested',
      sql`(${table.status} = 'requested') = (${table.resolvedAt} is null) and (${table.status} = 'requested') = (${table.resolvedBy} is null)`,
    ),
    check('adjustments_transfer_iff_approved', sql`(${table.status} = 'approved') = (${table.transferId} is not null)`),
    check('adjustments_rejection_reason_iff_rejected', sql`(${table.status} = 'rejected') = (${table.rejectionReason} is not null)`),
    // Never to one's own account; the one who resolves is not the one who asked.
    check('adjustments_not_for_requester', sql`${table.requestedByPersonId} is null or ${table.requestedByPersonId} <> ${table.holderId}`),
    check('adjustments_not_for_resolver', sql`${table.resolvedByPersonId} is null or ${table.resolvedByPersonId} <> ${table.holderId}`),
    check(
      'adjustments_four_eyes',
      sql`${table.resolvedBy} is null or (${table.resolvedBy} <> ${table.requestedBy}
        and (${table.resolvedByPersonId} is null or ${table.requestedByPersonId} is null or ${table.resolvedByPersonId} <> ${table.requestedByPersonId}))`,
    ),
  ],
);

// ---------------------------------------------------------------------------
// Redemptions: one-phase, or a hold that is captured, voided or expires.

export const redemptionStatus = points.enum('redemption_status', ['held', 'captured', 'voided', 'expired']);

export const redemptions = points.table(
  'redemptions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    status: redemptionStatus('status').notNull(),
    totalPoints: bigint('total_points', { mode: 'number' }).notNull(),
    itemCount: integer('item_count').notNull(),
    /** When a hold lapses; null for a one-phase redemption. */
    heldUntil: timestamp('held_until', { withTimezone: true, precision: 3 }),
    /** The customer → merchant transfer, once captured; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').unique('redemptions_one_per_transfer'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** When it left `held` (captured, voided or expired); for a one-phase redemption, when it was made. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    resolvedBy: text('resolved_by'),
  },
  (table) => [
    index('redemptions_merchant_idx').on(table.merchantId, table.createdAt, table.id),
    index('redemptions_account_idx').on(table.accountId, table.createdAt, table.id),
    index('redemptions_settlement_idx')
      .on(table.merchantId, table.resolvedAt, table.id)
      .where(sql`status = 'captured'`),
    index('redemptions_open_holds_idx')
      .on(table.heldUntil)
      .where(sql`status = 'held'`),
    index('redemptions_open_holds_of_account_idx')
      .on(table.accountId)
      .where(sql`status = 'held'`),
    check('redemptions_total_positive', sql`${table.totalPoints} > 0 and ${table.itemCount} > 0`),
    check('redemptions_transfer_iff_captured', sql`(${table.status} = 'captured') = (${table.transferId} is not null)`),
    check('redemptions_resolved_iff_not_held', sql`(${table.status} = 'held') = (${table.resolvedAt} is null)`),
    check('redemptions_hold_has_expiry', sql`${table.heldUntil} is not null or ${table.status} = 'captured'`),
    check('redemptions_expired_after_expiry', sql`${table.status} <> 'expired' or ${table.resolvedAt} >= ${table.heldUntil}`),
  ],
);

export const redemptionLines = points.table(
  'redemption_lines',
  {
    redemptionId: uuid('redemption_id')
      .notNull()
      .references(() => redemptions.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => catalogItems.id),
    /** The item's name when redeemed, as printed on the receipt. */
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPoints: bigint('unit_points', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'redemption_lines_pk', columns: [table.redemptionId, table.itemId] }),
    check('redemption_lines_quantity_positive', sql`${table.quantity} > 0`),
    check('redemption_lines_price_positive', sql`${table.unitPoints} > 0`),
  ],
);

/**
 * Idempotency keys of merchants' redemption requests (Stripe's promise): the
 * same key with the same input gives the first result. The key row is
 * written first in the request's transaction, so parallel replays wait for
 * the first and then read its result.
 */
export const idempotencyKeys = points.table(
  'idempotency_keys',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    key: text('key').notNull(),
    /** SHA-256 of the canonical request (operation and input without the key). */
    requestHash: text('request_hash').notNull(),
    /** The redemption the first request made; the foreign key (deferred) is in the migration. */
    redemptionId: uuid('redemption_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [table.merchantId, table.key] }),
    index('idempotency_keys_created_idx').on(table.createdAt),
    check('idempotency_keys_key_format', sql`${table.key} ~ '^[!-~]{8,255}$'`),
    check('idempotency_keys_hash_format', sql`${table.requestHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

// ---------------------------------------------------------------------------
// The charity fund (尚善公益基金): money in fen, its own append-only cash book.

export const fundEntryKind = points.enum('fund_entry_kind', ['contribution', 'disbursement']);
/** The four ways a fund is fed (四个一点). */
export const contributionSource = points.enum('contribution_source', ['sponsoring_unit', 'company', 'public', 'residents']);

export const funds = points.table(
  'funds',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    bankId: uuid('bank_id').notNull(),
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** Money in fen. */
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Statement lines written so far. */
    entries: bigint('entries', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'funds_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('funds_bank_name').on(table.bankId, table.name),
    index('funds_name_idx').on(table.name, table.id),
    check('funds_balance_not_negative', sql`${table.balance} >= 0`),
    check('funds_entries_not_negative', sql`${table.entries} >= 0`),
    check('funds_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export const fundEntries = points.table(
  'fund_entries',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    line: bigint('line', { mode: 'number' }).notNull(),
    kind: fundEntryKind('kind').notNull(),
    /** Money in fen, more than zero; the kind says which way it went. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    source: contributionSource('source'),
    /** Who gave, as they wish to be named (e.g. 永辉超市); null for anonymous gifts. */
    contributor: text('contributor'),
    /** A requests ServiceRequest id the disbursement paid for; unique, so a request is paid once. */
    serviceRequestId: uuid('service_request_id'),
    memo: text('memo'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    uniqueIndex('fund_entries_line').on(table.fundId, table.line),
    uniqueIndex('fund_entries_one_disbursement_per_request').on(table.serviceRequestId),
    check('fund_entries_amount_positive', sql`${table.amount} > 0`),
    check('fund_entries_balance_not_negative', sql`${table.balanceAfter} >= 0`),
    check('fund_entries_line_positive', sql`${table.line} > 0`),
    check(
      'fund_entries_shape',
      sql`(${table.kind} = 'contribution' and ${table.source} is not null and ${table.serviceRequestId} is null)
        or (${table.kind} = 'disbursement' and ${table.source} is null and ${table.contributor} is null and ${table.serviceRequestId} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------
// What points has learnt from other subgraphs' events.

/**
 * Persons the people subgraph has registered (`person.registered`), the
 * only persons points opens accounts for, deposits to or names as clerks:
 * a person id nobody registered is refused. Fed by the event consumer; the
 * demo data writes the demo cast here as it writes no events.
 */
export const directoryPersons = points.table('directory_persons', {
  /** A people Person id. */
  personId: uuid('person_id').primaryKey(),
  /** When people registered them, as the event says. */
  registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull(),
  /** When points learnt of them. */
  learnedAt: timestamp('learned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type BankUnitRow = typeof bankUnits.$inferSelect;
export type BankUnitKind = (typeof bankUnitKind.enumValues)[number];
export type RedemptionWindowKind = (typeof redemptionWindow.enumValues)[number];
export type DepositRuleRow = typeof depositRules.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;
export type CatalogItemRow = typeof catalogItems.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;
export type AccountKind = (typeof accountKind.enumValues)[number];
export type TransferRow = typeof transfers.$inferSelect;
export type TransferCause = (typeof transferCause.enumValues)[number];
export type DepositRow = typeof deposits.$inferSelect;
export type RedemptionRow = typeof redemptions.$inferSelect;
export type RedemptionStatus = (typeof redemptionStatus.enumValues)[number];
export type RedemptionLineRow = typeof redemptionLines.$inferSelect;
export type FundRow = typeof funds.$inferSelect;
export type FundEntryRow = typeof fundEntries.$inferSelect;
export type DirectoryPersonRow = typeof directoryPersons.$inferSelect;
export type ServiceRecordRow = typeof serviceRecords.$inferSelect;
export type AdjustmentRow = typeof adjustments.$inferSelect;
export type AdjustmentStatus = (typeof adjustmentStatus.enumValues)[number];
export type ContributionSource = (typeof contributionSource.enumValues)[number];
