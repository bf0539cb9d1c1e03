/**
 * SQL for the ledger. Points move only by a transfer: both account rows
 * locked in id order, both balances (and passbook line counters) changed,
 * then one append-only row that records the line numbers and balances the
 * accounts reached, all in the caller's transaction. So balances always equal
 * credits minus debits, and every transfer is a correct passbook line.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { newId, required, rowsOf, toDate, uuidArray, type Executor, type Transaction } from '@lianxin/shared';
import { accounts, transfers, type AccountRow, type TransferCause, type TransferRow } from '../db/schema.js';

export interface TransferInput {
  /** A fixed id, for transfers that must be written once only (demo data) or are named before they are written. */
  id?: string;
  /** The account the points leave. */
  debit: string;
  /** The account the points arrive in. */
  credit: string;
  /** Whole points, more than zero. */
  amount: number;
  cause: TransferCause;
  /** What the transfer is for (a service record id, a redemption id…). */
  reference?: string | null;
  /** Why, in words. */
  note?: string | null;
  /** The transfer this one reverses. */
  reverses?: string | null;
  /** Points of the debit account's holds that this transfer settles (a captured hold). */
  releaseHeld?: number;
  /** Subject of the viewer or process that moves the points. */
  createdBy: string;
  /** When it happened; now unless a loader replays history. */
  createdAt?: Date;
}

/** Locks `ids` (FOR UPDATE) in id order, whoever asks and in whatever order, so parallel transfers queue instead of deadlocking. */
export function lockAccounts(tx: Transaction, ids: readonly string[]): Promise<AccountRow[]> {
  return tx
    .select()
    .from(accounts)
    .where(inArray(accounts.id, [...ids]))
    .orderBy(asc(accounts.id))
    .for('update');
}

/** How a redemption found its customer's account: by the passbook number keyed in, or by the account a payment code is bound to. */
export type CustomerKey = { passbookNumber: string } | { accountId: string };

/** The condition that picks the customer's account row. */
export const customerAccountIs = (customer: CustomerKey) => ('accountId' in customer ? eq(accounts.id, customer.accountId) : eq(accounts.passbookNumber, customer.passbookNumber));

/**
 * Locks, in id order, the customer's account and the account of
 * `merchantId`: the two rows a redemption moves points between.
 */
export function lockCustomerAndMerchant(tx: Transaction, customer: CustomerKey, merchantId: string): Promise<AccountRow[]> {
  return tx
    .select()
    .from(accounts)
    .where(or(customerAccountIs(customer), eq(accounts.merchantId, merchantId)))
    .orderBy(asc(accounts.id))
    .for('update');
}

interface RawTransfer {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  cause: TransferCause;
  reference: string | null;
  note: string | null;
  reverses_id: string | null;
  debit_line: string;
  credit_line: string;
  debit_balance_after: string;
  credit_balance_after: string;
  created_at: Date | string;
  created_by: string;
}

const toTransferRow = (row: RawTransfer): TransferRow => ({
  id: row.id,
  debitAccountId: row.debit_account_id,
  creditAccountId: row.credit_account_id,
  amount: Number(row.amount),
  cause: row.cause,
  reference: row.reference,
  note: row.note,
  reversesId: row.reverses_id,
  debitLine: Number(row.debit_line),
  creditLine: Number(row.credit_line),
  debitBalanceAfter: Number(row.debit_balance_after),
  creditBalanceAfter: Number(row.credit_balance_after),
  createdAt: toDate(row.created_at),
  createdBy: row.created_by,
});

/**
 * Writes a transfer between two accounts the caller has locked, in one
 * statement: both accounts move (each takes its next passbook line), then
 * the row is written with the lines and balances they reached. An overdraft
 * is refused by the balance CHECKs (SQLSTATE 23514,
 * `accounts_balance_not_negative` or `accounts_held_within_balance`), which
 * aborts the transaction: nothing of it is written. One statement rather
 * than two keeps the accounts locked for one round trip less.
 */
export async function postTransfer(tx: Transaction, input: TransferInput): Promise<TransferRow> {
  const release = input.releaseHeld ?? 0;
  const [row] = await rowsOf<RawTransfer>(
    tx,
    sql`with moved as (
          update points.accounts set
            balance = balance + case when id = ${input.credit}::uuid then ${input.amount}::bigint else -${input.amount}::bigint end,
            held = held - case when id = ${input.debit}::uuid then ${release}::bigint else 0 end,
            lines = lines + 1
          where id in (${input.debit}::uuid, ${input.credit}::uuid)
          returning id, balance, lines
        )
        insert into points.transfers (id, debit_account_id, credit_account_id, amount, cause, reference, note, reverses_id,
          debit_line, credit_line, debit_balance_after, credit_balance_after, created_by, created_at)
        select ${input.id ?? newId()}::uuid, ${input.debit}::uuid, ${input.credit}::uuid, ${input.amount}::bigint, ${input.cause}::points.transfer_cause,
          ${input.reference ?? null}::text, ${input.note ?? null}::text, ${input.reverses ?? null}::uuid,
          d.lines, c.lines, d.balance, c.balance, ${input.createdBy}::text, coalesce(${input.createdAt?.toISOString() ?? null}::timestamptz, now())
        from moved as d, moved as c
        where d.id = ${input.debit}::uuid and c.id = ${input.credit}::uuid
        returning id, debit_account_id, credit_account_id, amount::text, cause, reference, note, reverses_id, debit_line::text, credit_line::text,
          debit_balance_after::text, credit_balance_after::text, created_at, created_by`,
  );
  // No row: one of the accounts is unknown, which the callers' locks rule out.
  return toTransferRow(required(row, `transfer between accounts ${input.debit} and ${input.credit}`));
}

/** Locks both accounts and moves `amount` points from `debit` to `credit` inside `tx` (see `postTransfer`). */
export async function transfer(tx: Transaction, input: TransferInput): Promise<TransferRow> {
  await lockAccounts(tx, [input.debit, input.credit]);
  return postTransfer(tx, input);
}

export function findTransfersByIds(db: Executor, ids: readonly string[]): Promise<TransferRow[]> {
  return db
    .select()
    .from(transfers)
    .where(inArray(transfers.id, [...ids]));
}

/** The reversals of `ids` (one each at most, by the unique constraint). */
export function findReversalsOf(db: Executor, ids: readonly string[]): Promise<TransferRow[]> {
  return db
    .select()
    .from(transfers)
    .where(inArray(transfers.reversesId, [...ids]));
}

/** The reversal of one transfer, read inside a transaction that is about to write one. */
export async function findReversalOf(tx: Executor, id: string): Promise<TransferRow | null> {
  const [row] = await tx.select().from(transfers).where(eq(transfers.reversesId, id));
  return row ?? null;
}

/** The transfer a given cause and reference made (e.g. the one for a redemption), if any. */
export async function findTransferByReference(db: Executor, cause: TransferCause, reference: string): Promise<TransferRow | null> {
  const [row] = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.cause, cause), eq(transfers.reference, reference)));
  return row ?? null;
}

/** One line of an account's passbook: a transfer seen from that account. */
export interface PassbookLineRow {
  accountId: string;
  transferId: string;
  line: number;
  /** Signed: positive when the points arrived, negative when they left. */
  amount: number;
  balanceAfter: number;
  cause: TransferCause;
  /** What the transfer is for (a service record id, a redemption id…). */
  reference: string | null;
  createdAt: Date;
}

interface RawLine {
  account_id: string;
  transfer_id: string;
  line: string;
  amount: string;
  balance_after: string;
  cause: TransferCause;
  reference: string | null;
  created_at: Date | string;
}

/**
 * The same page of passbook lines, newest first, for each of `accountIds`, in
 * one statement. Each account's lines are read from both ledger columns by
 * index, at most `limit + 1` from each, so a long passbook costs no more than
 * a short one.
 */
export async function findPassbookPages(db: Executor, accountIds: readonly string[], page: { limit: number; beforeLine: number | null }): Promise<PassbookLineRow[]> {
  if (accountIds.length === 0) return [];
  const take = page.limit + 1;
  const debitBefore = page.beforeLine === null ? sql`` : sql`and t.debit_line < ${page.beforeLine}`;
  const creditBefore = page.beforeLine === null ? sql`` : sql`and t.credit_line < ${page.beforeLine}`;
  const rows = await rowsOf<RawLine>(
    db,
    sql`select a.id as account_id, l.transfer_id, l.line::text as line, l.amount::text as amount,
          l.balance_after::text as balance_after, l.cause, l.reference, l.created_at
        from unnest(${uuidArray(accountIds)}) as a(id)
        cross join lateral (
          select * from (
            (select t.id as transfer_id, t.debit_line as line, -t.amount as amount, t.debit_balance_after as balance_after, t.cause, t.reference, t.created_at
               from points.transfers t where t.debit_account_id = a.id ${debitBefore} order by t.debit_line desc limit ${take})
            union all
            (select t.id, t.credit_line, t.amount, t.credit_balance_after, t.cause, t.reference, t.created_at
               from points.transfers t where t.credit_account_id = a.id ${creditBefore} order by t.credit_line desc limit ${take})
          ) as both_sides order by line desc limit ${take}
        ) as l
        order by a.id, l.line desc`,
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    transferId: row.transfer_id,
    line: Number(row.line),
    amount: Number(row.amount),
    balanceAfter: Number(row.balance_after),
    cause: row.cause,
    reference: row.reference,
    createdAt: toDate(row.created_at),
  }));
}
