/**
 * Rules for charity funds (尚善公益基金): money in fen, apart from points. Its
 * name and balance are open to anyone signed in; its statement, and the
 * entries that move it, to the clerks of its bank and platform admins. A
 * fund never goes below zero, and a service request is paid for once.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  UNIQUE_VIOLATION,
  fromGraphQLEnum,
  isUuid,
  readPage,
  refused,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
} from '@lianxin/shared';
import { mayServeBank, requirePlatformAdmin, requireSignedIn } from '../access.js';
import { findBankUnitsByIds } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import type { ContributionSource, FundEntryRow, FundRow } from '../db/schema.js';
import { idInput, inTransaction, parseInput, refuse, requireRoles, requireSubject, textInput } from '../mutation.js';
import { readLinePage, toLineConnection } from '../paging.js';
import { findDisbursementOfRequest, fundCursor, insertFund, listFunds as listFundRows, lockFund, postFundEntry } from './store.js';

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

export async function listStatement(ctx: PointsContext, fund: FundRow, args: ConnectionArgs & { kind?: string | null }): Promise<Connection<FundEntryRow>> {
  requireSignedIn(ctx.viewer);
  if (!(await mayServeBank(ctx, fund.bankId))) throw new ForbiddenError("Only the fund's bank staff and platform admins may read its statement.");
  const page = readLinePage(args);
  const kind = args.kind ? (fromGraphQLEnum(args.kind) as FundEntryRow['kind']) : null;
  const rows = await ctx.loaders.statementPage({ page, kind }).load(fund.id);
  return toLineConnection(rows, page, (row) => row.line, async () => fund.entries);
}

const fundCreateInput = z.object({ bank: idInput('a bank unit'), name: textInput(100) });

export type FundCreateInput = z.input<typeof fundCreateInput>;

export async function createFund(ctx: PointsContext, input: FundCreateInput): Promise<Result<FundRow>> {
  requirePlatformAdmin(ctx.viewer);
  const createdBy = requireSubject(ctx);
  const parsed = parseInput(fundCreateInput, input);
  if (!parsed.ok) return parsed;
  const [bank] = await findBankUnitsByIds(ctx.db, [parsed.value.bank]);
  if (!bank) return refused(userError(['input', 'bank'], 'NOT_FOUND', 'There is no such bank.'));
  if (bank.kind !== 'head_bank') return refused(userError(['input', 'bank'], 'INVALID', 'Funds are kept by a head bank.'));
  const fund = await insertFund(ctx.db, { bankId: bank.id, name: parsed.value.name, createdBy });
  if (!fund) return refused(userError(['input', 'name'], 'ALREADY_EXISTS', 'The bank already keeps a fund by that name.'));
  return { ok: true, value: fund };
}

/** Money in fen, whole and positive; ¥100,000,000 at most in one entry. */
const fen = z.number().int('must be whole fen.').min(1, 'must be more than zero.').max(10_000_000_000, 'must be at most 10000000000 fen.');

const fundContributeInput = z.object({
  fund: idInput('a fund'),
  source: z.enum(['SPONSORING_UNIT', 'COMPANY', 'PUBLIC', 'RESIDENTS']),
  contributor: z.string().trim().max(100, 'must be at most 100 characters.').nullish(),
  amount: fen,
  memo: z.string().trim().max(500, 'must be at most 500 characters.').nullish(),
});

export type FundContributeInput = z.input<typeof fundContributeInput>;

/** The fund an entry is for, if the viewer keeps its books. */
async function fundToMove(ctx: PointsContext, id: string): Promise<Result<FundRow>> {
  const fund = await ctx.loaders.fundById.load(id);
  if (!fund) return refused(userError(['input', 'fund'], 'NOT_FOUND', 'There is no such fund.'));
  if (!(await mayServeBank(ctx, fund.bankId))) throw new ForbiddenError("Only the fund's bank staff and platform admins keep its books.");
  return { ok: true, value: fund };
}

export interface FundMovement {
  entry: FundEntryRow;
  fund: FundRow;
}

export async function contribute(ctx: PointsContext, input: FundContributeInput): Promise<Result<FundMovement>> {
  const by = requireRoles(ctx, ['bank_clerk'], "keep a fund's books");
  const parsed = parseInput(fundContributeInput, input);
  if (!parsed.ok) return parsed;
  const fund = await fundToMove(ctx, parsed.value.fund);
  if (!fund.ok) return fund;
  return inTransaction(ctx, async (tx) => {
    if (!(await lockFund(tx, fund.value.id))) throw new Error(`fund ${fund.value.id} vanished`);
    return postFundEntry(tx, {
      fundId: fund.value.id,
      kind: 'contribution',
      amount: parsed.value.amount,
      source: fromGraphQLEnum(parsed.value.source) as ContributionSource,
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

export type FundDisburseInput = z.input<typeof fundDisburseInput>;

export async function disburse(ctx: PointsContext, input: FundDisburseInput): Promise<Result<FundMovement>> {
  const by = requireRoles(ctx, ['bank_clerk'], "keep a fund's books");
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
      const locked = await lockFund(tx, fund.value.id);
      if (!locked) throw new Error(`fund ${fund.value.id} vanished`);
      const earlier = await findDisbursementOfRequest(tx, serviceRequest);
      if (earlier) {
        if (earlier.fundId !== locked.id || earlier.amount !== amount) refuse(conflict.field, conflict.code, conflict.message);
        return { entry: earlier, fund: locked };
      }
      if (locked.balance < amount) refuse(short.field, short.code, `The fund holds ${locked.balance} fen, less than ${amount}.`);
      return postFundEntry(tx, { fundId: locked.id, kind: 'disbursement', amount, serviceRequestId: serviceRequest, memo: parsed.value.memo || null, createdBy: by });
    },
    [
      // A payment for the same request from another fund, racing this one.
      { sqlState: UNIQUE_VIOLATION, constraint: 'fund_entries_one_disbursement_per_request', error: conflict },
      { sqlState: CHECK_VIOLATION, constraint: 'funds_balance_not_negative', error: short },
    ],
  );
}
