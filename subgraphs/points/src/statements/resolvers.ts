import { payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  closeStatement,
  confirmStatement,
  disputeAsItStands,
  disputeLine,
  getStatement,
  listLines,
  listStatements,
  markStatementPaid,
  memberIdOfLine,
  resolveDispute,
  resolveStatementReference,
  statementAsItStands,
  statementCsv,
} from './service.js';

export const statementResolvers: Resolvers = {
  Query: {
    settlementStatement: (_parent, { id }, ctx) => getStatement(ctx, id),
  },
  Mutation: {
    settlementStatementClose: async (_parent, { input }, ctx) => toPayload('statement', await closeStatement(ctx, input)),
    settlementStatementConfirm: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'statement', await confirmStatement(ctx, input), () => statementAsItStands(ctx, input.statement)),
    settlementStatementMarkPaid: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'statement', await markStatementPaid(ctx, input), () => statementAsItStands(ctx, input.statement)),
    settlementLineDispute: async (_parent, { input }, ctx) => toPayload('dispute', await disputeLine(ctx, input)),
    settlementLineDisputeResolve: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'dispute', await resolveDispute(ctx, input), () => disputeAsItStands(ctx, input.dispute)),
  },
  Merchant: {
    statements: (merchant, { first, after }, ctx) => listStatements(ctx, merchant, { first, after }),
  },
  SettlementStatement: {
    __resolveReference: (reference, ctx) => resolveStatementReference(ctx, reference.id),
    merchant: async (statement, _args, ctx) => required(await ctx.loaders.merchantById.load(statement.merchantId), `merchant of statement ${statement.id}`),
    confirmedAt: (statement) => statement.steps.find((step) => step.status === 'confirmed')?.at ?? null,
    paidAt: (statement) => statement.steps.find((step) => step.status === 'paid')?.at ?? null,
    paymentReference: (statement) => statement.steps.find((step) => step.status === 'paid')?.paymentReference ?? null,
    history: (statement) => statement.steps,
    lines: (statement, { first, after }, ctx) => listLines(ctx, statement, { first, after }),
    disputes: (statement, _args, ctx) => ctx.loaders.disputesOfStatement.load(statement.id),
    csv: (statement, _args, ctx) => statementCsv(ctx, statement),
  },
  SettlementLine: {
    redemption: async (line, _args, ctx) => required(await ctx.loaders.redemptionById.load(line.redemptionId), `redemption of statement line ${line.id}`),
    refund: (line, _args, ctx) => (line.refundId ? ctx.loaders.refundById.load(line.refundId) : null),
    memberId: async (line, _args, ctx) => {
      const statement = required(await ctx.loaders.statementById.load(line.statementId), `statement of line ${line.id}`);
      return memberIdOfLine(ctx, statement, line);
    },
    disputes: (line, _args, ctx) => ctx.loaders.disputesOfLine.load(line.id),
  },
  SettlementLineDispute: {
    line: async (dispute, _args, ctx) => required(await ctx.loaders.settlementLineById.load(dispute.lineId), `line of dispute ${dispute.id}`),
    resolution: (dispute) => dispute.resolution?.resolution ?? null,
    resolvedAt: (dispute) => dispute.resolution?.resolvedAt ?? null,
  },
};
