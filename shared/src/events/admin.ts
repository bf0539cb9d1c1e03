/**
 * The dead letters of a consuming subgraph, for platform admins through
 * GraphQL: every consumer serves `<name>DeadLetters` and
 * `<name>DeadLetterReplay` with the types of schema/common.graphql, and these
 * functions are what its resolvers call. Only platform admins: a payload
 * holds ids and amounts, and replaying moves points and money.
 */
import { isPlatformAdmin, requireSignedIn } from '../access.js';
import type { BaseContext } from '../context.js';
import type { Executor } from '../db.js';
import { ForbiddenError, refused, toPayload, userError, type Result, type UserError } from '../errors.js';
import { isUuid } from '../ids.js';
import { readPage, toConnection, type Connection, type ConnectionArgs, type Edge } from '../paging.js';
import { DEAD_LETTER_CURSOR, countDeadLetters, deadLetterCursor, listDeadLetters, replayDeadLetter, type DeadLetter } from './dead-letters.js';
import { mergeResolvers } from '../resolvers.js';
import type { EventEnvelope } from './outbox.js';

/** What a `DeadLetterConnection` resolves from (codegen mapper). */
export type DeadLetterConnectionModel = Connection<DeadLetter> & { totalCount: () => Promise<number> };
/** What a `DeadLetterEdge` resolves from (codegen mapper). */
export type DeadLetterEdgeModel = Edge<DeadLetter>;

/** What the dead-letter resolvers need from a subgraph's context. */
export type DeadLetterContext = BaseContext & { db: Executor };

function requirePlatformAdmin(ctx: DeadLetterContext): string {
  const subject = requireSignedIn(ctx.viewer);
  if (!isPlatformAdmin(ctx.viewer)) throw new ForbiddenError('Only platform admins see and replay dead letters.');
  return subject;
}

export interface DeadLetterListArgs extends ConnectionArgs {
  /** Also list letters already replayed. */
  includeReplayed?: boolean | null;
}

/** A page of `schema`'s dead letters, oldest first, with a total count computed only when asked. */
export async function deadLetterConnection(ctx: DeadLetterContext, schema: string, args: DeadLetterListArgs): Promise<DeadLetterConnectionModel> {
  requirePlatformAdmin(ctx);
  const page = readPage(args, DEAD_LETTER_CURSOR);
  const filter = { includeReplayed: args.includeReplayed === true };
  const rows = await listDeadLetters(ctx.db, schema, page, filter);
  return { ...toConnection(rows, page, deadLetterCursor), totalCount: () => countDeadLetters(ctx.db, schema, filter) };
}

/** Replays one of `schema`'s dead letters, stamped with the admin's subject; refusals are user errors. */
export async function deadLetterReplay(ctx: DeadLetterContext, schema: string, input: { id: string }): Promise<{ deadLetter: DeadLetter | null; userErrors: UserError[] }> {
  const replayedBy = requirePlatformAdmin(ctx);
  const result: Result<DeadLetter> = isUuid(input.id)
    ? await replayDeadLetter(ctx.db, schema, { id: input.id.toLowerCase(), replayedBy })
    : refused(userError(['input', 'id'], 'INVALID', 'id is not a dead letter id.'));
  if (result.ok) ctx.logger.info({ deadLetter: result.value.id, consumer: schema }, 'dead letter replayed');
  return toPayload('deadLetter', result);
}

/** Field resolvers of `DeliveredEvent` beyond the envelope's own fields: the payload as JSON text. */
export const deliveredEventResolvers = {
  payload: (event: EventEnvelope): string => JSON.stringify(event.payload),
};

type ResolverMap = Record<string, unknown>;

/**
 * Adds a consumer's dead-letter fields to its resolver map:
 * `Query.<schema>DeadLetters`, `Mutation.<schema>DeadLetterReplay` and the
 * `DeliveredEvent` payload. The subgraph's schema.graphql declares the two
 * fields (with the common types), so each consumer's admins find its letters
 * under its own name in the one graph.
 */
export function withDeadLetterResolvers(schema: string, resolvers: ResolverMap, sdl: string): ResolverMap {
  const list = `${schema}DeadLetters`;
  const replay = `${schema}DeadLetterReplay`;
  for (const field of [list, replay]) {
    // A consumer without the fields would hide its dead letters from everyone: refuse to start.
    if (!new RegExp(`\\b${field}\\s*\\(`).test(sdl)) throw new Error(`the ${schema} subgraph consumes events, so its schema must declare ${field}`);
  }
  return mergeResolvers<ResolverMap>(resolvers, {
    Query: { [list]: (_parent: unknown, args: DeadLetterListArgs, ctx: DeadLetterContext) => deadLetterConnection(ctx, schema, args) },
    Mutation: { [replay]: (_parent: unknown, args: { input: { id: string } }, ctx: DeadLetterContext) => deadLetterReplay(ctx, schema, args.input) },
    DeliveredEvent: deliveredEventResolvers,
  });
}
