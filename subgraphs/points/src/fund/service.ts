/**
 * Rules for charity funds (尚善公益基金): money in fen, apart from points. Its
 * name and balance are open to anyone signed in; its statement, and the
 * entries that move it, to the clerks of its bank and platform admins. A
 * fund never goes below zero, and a service request is paid for once:
 * through `fundDisburse`, or on its own when the requests subgraph announces
 * a fund charge (src/events/consume.ts).
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  UNIQUE_VIOLATION,
  UnprocessableEventError,
  isUuid,
  readPage,
  refused,
  required,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  requireRoles,
  requireSignedIn,
} from '@lianxin/shared';
import { mayServeBank, requirePlatformAdmin } from '../access.js';
import { headBankOf } from '../bank/service.js';
import { findCoveringUnit } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { type FundEntryRow, type FundRow, contributionSource } from '../db/schema.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { refuse, userError } from '../errors.js';
import { readLinePage, toLineConnection } from '../paging.js';
import { findDisbursementOfRequest, findOldestFundOfBank, fundCursor, insertFund, listFunds as listFundRows, lockFund, postFundEntry } from './store.js';

export async function getFund(ctx: PointsContext, id: string): Promise<FundRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a fund id.', 'id');
  return ctx.loaders.fundById.load(id);
}

export async function resolveFundReference(ctx: PointsContext, id: string): Promise<FundRow | null> {
  requireSignedIn(ctx.viewer);
  return ctx.loaders.fundById.load(id);
}

export async function listFunds(ctx: PointsContext, args: ConnectionArgs): Promise<Connection<FundRow>> {
  requireSignedIn(ctx.viewer);
  const page = readPage(args, ['text', 'uuid']);
  return toConnection(await listFundRows(ctx.db, page), page, fundCursor);
}

export async function listStatement(ctx: PointsContext, fund: FundRow, args: ConnectionArgs & { kind?: FundEntryRow['kind'] | null }): Promise<Connection<FundEntryRow>> {
  requireSignedIn(ctx.viewer);
  if (!(await mayServeBank(ctx, fund.bankId))) throw new ForbiddenError("Only the fund's bank staff and platform admins may read its statement.");
  const page = readLinePage(args);
  const kind = args.kind ?? null;
  const rows = await ctx.loaders.statementPage({ page, kind }).load(fund.id);
  return toLineConnection(
    rows,
    page,
    (row) => row.line,
    async () => fund.entries,
  );
}

const fundCreateInput = z.object({ bank: idInput('a bank unit'), name: textInput(100) });

export async function createFund(ctx: PointsContext, input: unknown): Promise<Result<FundRow>> {
  const createdBy = requirePlatformAdmin(ctx.viewer);
  const parsed = parseInput(fundCreateInput, input);
  if (!parsed.ok) return parsed;
  const bank = await headBankOf(ctx, parsed.value.bank, 'Funds are kept by a head bank.');
  if (!bank.ok) return bank;
  return inTransaction(ctx, async (tx) => {
    const fund = await insertFund(tx, { bankId: bank.value.id, name: parsed.value.name, createdBy });
    if (!fund) refuse(['input', 'name'], 'ALREADY_EXISTS', 'The bank already keeps a fund by that name.');
    return fund;
  });
}

/** Money in fen, whole and positive; ¥100,000,000 at most in one entry. */
const fen = z.number().int('must be whole fen.').min(1, 'must be more than zero.').max(10_000_000_000, 'must be at most 10000000000 fen.');

const fundContributeInput = z.object({
  fund: idInput('a fund'),
  source: z.enum(contributionSource.enumValues),
  contributor: z.string().trim().max(100, 'must be at most 100 characters.').nullish(),
  amount: fen,
  memo: z.string().trim().max(500, 'must be at most 500 characters.').nullish(),
});

/** The fund an entry is for, if the viewer keeps its books: funds are open to anyone signed in, so another bank's is NOT_ALLOWED. */
async function fundToMove(ctx: PointsContext, id: string): Promise<Result<FundRow>> {
  const fund = await ctx.loaders.fundById.load(id);
  if (!fund) return refused(userError(['input', 'fund'], 'NOT_FOUND', 'There is no such fund.'));
  if (!(await mayServeBank(ctx, fund.bankId))) return refused(userError(['input', 'fund'], 'NOT_ALLOWED', "Only the fund's bank staff and platform admins keep its books."));
  return { ok: true, value: fund };
}

export interface FundMovement {
  entry: FundEntryRow;
  fund: FundRow;
}

export async function contribute(ctx: PointsContext, input: unknown): Promise<Result<FundMovement>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], "keep a fund's books");
  const parsed = parseInput(fundContributeInput, input);
  if (!parsed.ok) return parsed;
  const fund = await fundToMove(ctx, parsed.value.fund);
  if (!fund.ok) return fund;
  return inTransaction(ctx, async (tx) => {
    required(await lockFund(tx, fund.value.id), `fund ${fund.value.id}`);
    return postFundEntry(tx, {
      fundId: fund.value.id,
      kind: 'contribution',
      amount: parsed.value.amount,
      source: parsed.value.source,
      contributor: parsed.value.contributor || null,
      memo: parsed.value.memo || null,
      createdBy: by,
    });
  });
}

const fundDisburseInput = z.object({
  fund: idInput('a fund'),
  serviceRequest: idInput('a service request').transform((value) => value.toLowerCase()),
  amount: fen,
  memo: z.string().trim().max(500, 'must be at most 500 characters.').nullish(),
});

/** What paying for a service request came to. */
export type DisbursementOutcome =
  | { kind: 'disbursed'; movement: FundMovement }
  /** The request was paid for before (from this fund or another): that entry, and this fund as it stands. */
  | { kind: 'earlier'; movement: FundMovement }
  /** The fund holds less than the amount. */
  | { kind: 'short'; balance: number };

/**
 * Pays `amount` fen out of fund `fundId` for a service request in `tx`, with
 * the fund locked: once per request (the unique request column is the
 * backstop for a payment racing from another fund), and never below zero.
 * The one way a fund pays: by `fundDisburse`, and when the requests
 * subgraph announces a fund charge.
 */
export async function disburseFromFund(
  tx: Transaction,
  fundId: string,
  values: { serviceRequestId: string; amount: number; memo: string | null; by: string },
): Promise<DisbursementOutcome> {
  const locked = required(await lockFund(tx, fundId), `fund ${fundId}`);
  const earlier = await findDisbursementOfRequest(tx, values.serviceRequestId);
  if (earlier) return { kind: 'earlier', movement: { entry: earlier, fund: locked } };
  if (locked.balance < values.amount) return { kind: 'short', balance: locked.balance };
  const movement = await postFundEntry(tx, {
    fundId: locked.id,
    kind: 'disbursement',
    amount: values.amount,
    serviceRequestId: values.serviceRequestId,
    memo: values.memo,
    createdBy: values.by,
  });
  return { kind: 'disbursed', movement };
}

export async function disburse(ctx: PointsContext, input: unknown): Promise<Result<FundMovement>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], "keep a fund's books");
  const parsed = parseInput(fundDisburseInput, input);
  if (!parsed.ok) return parsed;
  const { serviceRequest, amount } = parsed.value;
  const fund = await fundToMove(ctx, parsed.value.fund);
  if (!fund.ok) return fund;
  const conflict = userError(['input', 'serviceRequest'], 'IDEMPOTENCY_CONFLICT', 'This service request was paid for before, from another fund or with another amount.');
  const short = userError(['input', 'amount'], 'INSUFFICIENT_FUNDS', 'The fund holds less than this.');
  return inTransaction(
    ctx,
    async (tx) => {
      const outcome = await disburseFromFund(tx, fund.value.id, { serviceRequestId: serviceRequest, amount, memo: parsed.value.memo || null, by });
      switch (outcome.kind) {
        case 'disbursed':
          return outcome.movement;
        case 'earlier': {
          // The same request, fund and amount is a replay; anything else is a conflict.
          const { entry } = outcome.movement;
          return entry.fundId === fund.value.id && entry.amount === amount ? outcome.movement : refuse(conflict.field, conflict.code, conflict.message);
        }
        case 'short':
          return refuse(short.field, short.code, `The fund holds ${outcome.balance} fen, less than ${amount}.`);
      }
    },
    [
      // A payment for the same request from another fund, racing this one.
      { sqlState: UNIQUE_VIOLATION, constraint: 'fund_entries_one_disbursement_per_request', error: conflict },
      { sqlState: CHECK_VIOLATION, constraint: 'funds_balance_not_negative', error: short },
    ],
  );
}

/** A fund charge the requests subgraph announced (`fund_charge.created`): part of a completed request's cost left to the charity fund. */
export interface AnnouncedFundCharge {
  fundChargeId: string;
  requestId: string;
  amountFen: number;
  /** The request's regions from the root down to its place. */
  place: readonly string[];
}

/**
 * Pays a fund charge from the charity fund of the bank covering the
 * request's place (the bank of the deepest unit there; its oldest fund when
 * it keeps several), once per request. Unprocessable (an admin fixes the
 * setup and replays): no unit covers the place, the bank keeps no fund, or
 * the request was paid before with another amount. A fund too low is a plain
 * failure: retried with backoff, then dead-lettered until someone
 * contributes and replays.
 */
export async function payAnnouncedFundCharge(tx: Transaction, charge: AnnouncedFundCharge, by: string): Promise<void> {
  const unit = await findCoveringUnit(tx, charge.place);
  if (!unit) throw new UnprocessableEventError(`no bank unit covers the place of service request ${charge.requestId}`);
  const fund = await findOldestFundOfBank(tx, unit.bankId);
  if (!fund) throw new UnprocessableEventError(`bank ${unit.bankId} keeps no charity fund to pay service request ${charge.requestId}`);
  const memo = `Fund charge ${charge.fundChargeId} of service request ${charge.requestId}.`;
  const outcome = await disburseFromFund(tx, fund.id, { serviceRequestId: charge.requestId, amount: charge.amountFen, memo, by });
  switch (outcome.kind) {
    case 'disbursed':
      return;
    case 'earlier':
      // Paid before (by this event's first delivery, or by a clerk through fundDisburse): the same amount is the same payment.
      if (outcome.movement.entry.amount !== charge.amountFen) {
        throw new UnprocessableEventError(`service request ${charge.requestId} was paid before with ${outcome.movement.entry.amount} fen, not ${charge.amountFen}`);
      }
      return;
    case 'short':
      throw new Error(`fund ${fund.id} holds ${outcome.balance} fen, less than the ${charge.amountFen} charged for service request ${charge.requestId}`);
  }
}
