/**
 * Rules for the tiered price of priced categories (repairs). A volunteer or
 * admin quotes the market cost; the household's share follows its hardship
 * level, which the people subgraph reports through the graph when
 * `ServiceRequest.quote` is resolved (`@requires`); the quote is signed, and
 * agreeing to it fixes the price for good. Only the requester's side and
 * admins see what the household pays, since it reveals the hardship level.
 */
import { requirePerson, administers, requireReader } from '../access.js';
import { z } from 'zod';
import { BadInputError, UNIQUE_VIOLATION, isUuid, type Result, isPlatformAdmin, requireRoles, required, type Transaction } from '@lianxin/shared';
import { findCategoriesByCodes } from '../categories/store.js';
import type { RequestsContext } from '../context.js';
import type { PriceRuleRow, PriceTier, RequestQuoteRow, RequestSettlementRow, ServiceOfferRow, ServiceRequestRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import type { QuoteModel, ServiceRequestModel } from '../model.js';
import { idInput, inTransaction, inputField, parseInput, refuse } from '../mutation.js';
import { userError } from '../errors.js';
import { isRequestAdmin, lockVisibleRequest, mayAgreePrice, mayAgreePriceIn } from '../requests/access.js';
import { QUOTABLE } from '../requests/transitions.js';
import { requestQuoted } from '../events/publish.js';
import { sharesOf, tierOf } from './price.js';
import { findQuotesOfRequests, findSettlement, insertSettlement, upsertPriceRule, upsertQuote } from './store.js';
import { QUOTE_TOKEN_TTL_SECONDS, issueQuoteToken, readQuoteToken } from './token.js';

/** The rule that applies along `path`: the one set nearest the place, else the default. */
export function ruleAlong(rules: readonly PriceRuleRow[], path: readonly string[]): PriceRuleRow {
  for (let index = path.length - 1; index >= 0; index -= 1) {
    const rule = rules.find((candidate) => candidate.regionId === path[index]);
    if (rule) return rule;
  }
  return required(
    rules.find((candidate) => candidate.regionId === null),
    'default price rule (a migration inserts it)',
  );
}

/** The price rule at a request's place, through this request's loaders. */
async function ruleFor(ctx: RequestsContext, path: readonly string[]): Promise<PriceRuleRow> {
  const rules = (await ctx.loaders.priceRulesAlong.loadMany([...path, ''])).filter((rule): rule is PriceRuleRow => rule !== null && !(rule instanceof Error));
  return ruleAlong(rules, path);
}

/** The market cost quoted for a request, to anyone who may see the request. */
export function costOf(ctx: RequestsContext, request: ServiceRequestRow): Promise<RequestQuoteRow | null> {
  return ctx.loaders.quoteOfRequest.load(request.id);
}

/**
 * The quote as the requester's household would pay it, signed. Null when
 * there is nothing to agree to (not priced, not quoted, agreed already, past
 * the point of pricing) or the viewer is not one who may agree.
 */
export async function quoteOf(ctx: RequestsContext, request: ServiceRequestModel): Promise<QuoteModel | null> {
  if (!QUOTABLE.includes(request.status)) return null;
  const [category, quote, settlement] = await Promise.all([
    ctx.loaders.categoryByCode.load(request.categoryCode),
    ctx.loaders.quoteOfRequest.load(request.id),
    ctx.loaders.settlementOfRequest.load(request.id),
  ]);
  if (!category?.priced || !quote || settlement) return null;
  if (!(await mayAgreePrice(ctx, request))) return null;
  const household = request.reportedHousehold ?? null;
  const tier = tierOf(household?.hardshipLevel);
  const rule = await ruleFor(ctx, request.regionPath);
  const shares = sharesOf(tier, quote.labourFen, quote.materialsFen, rule.ordinaryLabourPercent);
  const expiresAt = new Date(Math.floor(ctx.settings.now().getTime() / 1000) * 1000 + QUOTE_TOKEN_TTL_SECONDS * 1000);
  const token = issueQuoteToken(ctx.settings.signingKey, {
    r: request.id,
    v: quote.version,
    t: tier,
    k: household !== null,
    l: quote.labourFen,
    m: quote.materialsFen,
    pc: rule.ordinaryLabourPercent,
    rp: shares.residentPays,
    fp: shares.fundPays,
    exp: expiresAt.getTime() / 1000,
  });
  return {
    tier,
    householdKnown: household !== null,
    labour: quote.labourFen,
    materials: quote.materialsFen,
    total: quote.labourFen + quote.materialsFen,
    ordinaryLabourPercent: rule.ordinaryLabourPercent,
    residentPays: shares.residentPays,
    charityFundPays: shares.fundPays,
    token,
    tokenExpiresAt: expiresAt,
  };
}

/** The agreed price, to those who may agree to prices (it reveals the tier). */
export async function agreedPriceOf(ctx: RequestsContext, request: ServiceRequestRow): Promise<RequestSettlementRow | null> {
  const settlement = await ctx.loaders.settlementOfRequest.load(request.id);
  if (!settlement) return null;
  return (await mayAgreePrice(ctx, request)) ? settlement : null;
}

const MAX_AMOUNT = 10_000_000;
const amount = z.number().int().min(0, 'must not be negative.').max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT} fen.`);
const quoteInput = z.object({ request: idInput('a request'), labour: amount, materials: amount });

/** Quotes (or re-quotes) the market cost of a priced request, before service starts and before anyone agreed. */
export async function quoteServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'quote a price');
  const parsed = parseInput(quoteInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, labour, materials } = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const request = await lockVisibleRequest(tx, ctx.viewer, id);
    if (!(request.assigneeId === me || isRequestAdmin(ctx.viewer, request))) {
      refuse(inputField('request'), 'NOT_ALLOWED', 'Only the volunteer who accepted the request, or admins of its place, may quote it.');
    }
    // Through `tx`, not the request's loaders: on the embedded database a read on another handle would wait for this transaction.
    const [category] = await findCategoriesByCodes(tx, [request.categoryCode]);
    if (!category?.priced) refuse(inputField('request'), 'INVALID_STATE', 'This kind of help is free: there is nothing to quote.');
    if (!QUOTABLE.includes(request.status)) refuse(inputField('request'), 'INVALID_STATE', 'Only an approved request not yet in service can be quoted.');
    if (await findSettlement(tx, request.id)) refuse(inputField('request'), 'INVALID_STATE', 'The price has been agreed already and cannot change.');
    await upsertQuote(tx, { requestId: request.id, labourFen: labour, materialsFen: materials, quotedById: me, quotedAt: now });
    await requestQuoted(tx, request, { labourFen: labour, materialsFen: materials, quotedById: me, quotedAt: now });
    return request;
  });
}

const agreeInput = z.object({ request: idInput('a request'), quoteToken: z.string().min(1, 'must not be empty.').max(4096) });

/**
 * Fixes the price from a quote token: its seal must hold, it must not have
 * expired, and it must be for this request's current quote. What the token
 * says (tier, shares) is what the graph reported when the quote was read.
 */
export async function agreeServiceRequestQuote(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'agree to a price');
  const parsed = parseInput(agreeInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, quoteToken } = parsed.value;
  const now = ctx.settings.now();
  const reading = readQuoteToken(ctx.settings.signingKey, quoteToken, now);
  if (!reading.ok) {
    return reading.reason === 'expired'
      ? { ok: false, errors: [userError(inputField('quoteToken'), 'EXPIRED', 'The quote has expired: read it again for a fresh token.')] }
      : { ok: false, errors: [userError(inputField('quoteToken'), 'INVALID', 'The quote token is not one this service issued, or it was altered.')] };
  }
  const statement = reading.statement;
  if (statement.r !== id) return { ok: false, errors: [userError(inputField('quoteToken'), 'INVALID', 'The quote token is for another request.')] };
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const request = await lockVisibleRequest(tx, ctx.viewer, id);
      if (!(await mayAgreePriceIn(tx, ctx.viewer, request))) {
        refuse(inputField('request'), 'NOT_ALLOWED', 'Only the requester, their household, whoever filed the request and admins of its place may agree to its price.');
      }
      if (!QUOTABLE.includes(request.status)) refuse(inputField('request'), 'INVALID_STATE', 'Only an approved request not yet in service can have its price agreed.');
      const [quote] = await findQuotesOfRequests(tx, [request.id]);
      if (!quote || quote.version !== statement.v || quote.labourFen !== statement.l || quote.materialsFen !== statement.m) {
        refuse(inputField('quoteToken'), 'INVALID_STATE', 'The quote changed since this token was issued: read it again.');
      }
      // The seal proves the token is ours; recomputing proves the shares obey the tiered price (a CHECK holds it too).
      const shares = sharesOf(statement.t, statement.l, statement.m, statement.pc);
      if (shares.residentPays !== statement.rp || shares.fundPays !== statement.fp) {
        refuse(inputField('quoteToken'), 'INVALID', 'The quote token does not add up.');
      }
      await insertSettlement(tx, {
        requestId: request.id,
        tier: statement.t,
        householdKnown: statement.k,
        labourFen: statement.l,
        materialsFen: statement.m,
        ordinaryLabourPercent: statement.pc,
        residentPaysFen: shares.residentPays,
        fundPaysFen: shares.fundPays,
        agreedById: me,
        agreedAt: now,
      });
      return request;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'request_settlements_pkey',
        error: userError(inputField('request'), 'ALREADY_EXISTS', 'The price has been agreed already.'),
      },
    ],
  );
}

/** The rule that applies at a place. */
export async function priceRuleAt(ctx: RequestsContext, placeId: string): Promise<PriceRuleRow> {
  requireReader(ctx.viewer);
  if (!isUuid(placeId)) throw new BadInputError('place is not a region id.', 'place');
  const region = await ctx.loaders.directoryRegionById.load(placeId);
  if (!region) throw new BadInputError('There is no such region.', 'place');
  return ruleFor(ctx, [...region.path, region.id]);
}

/**
 * The rule set for the region itself, not one it inherits: what a refused
 * `priceRuleSet` returns. Every reader may see rules (`Query.priceRule`).
 * Null when the region has none of its own, there is no such region, or the
 * id is malformed.
 */
export async function ownRuleOf(ctx: RequestsContext, regionId: string): Promise<PriceRuleRow | null> {
  requireReader(ctx.viewer);
  return isUuid(regionId) ? ctx.loaders.priceRulesAlong.load(regionId) : null;
}

const ruleInput = z.object({
  region: idInput('a region'),
  ordinaryLabourPercent: z.number().int().min(0, 'must be 0 to 100.').max(100, 'must be 0 to 100.'),
});

/** Sets the rule of a region. Community admins of it (or above it), and platform admins. */
export async function setPriceRule(ctx: RequestsContext, input: unknown): Promise<Result<PriceRuleRow>> {
  const me = requirePerson(ctx.viewer, 'set price rules');
  requireRoles(ctx.viewer, ['community_admin'], 'set price rules');
  const parsed = parseInput(ruleInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const place = await placeOf(tx, parsed.value.region, inputField('region'));
    if (!isPlatformAdmin(ctx.viewer) && !administers(ctx.viewer, place.path, ['community_admin'])) {
      refuse(inputField('region'), 'NOT_ALLOWED', 'The region lies outside your scope.');
    }
    return upsertPriceRule(tx, { regionId: place.id, ordinaryLabourPercent: parsed.value.ordinaryLabourPercent, setById: me, setAt: now });
  });
}

/**
 * An order from a priced offer is quoted as it is filed, at the offer's
 * price and by the offer's publisher, as the volunteer would quote it: the
 * household then reads `quote` at its own tier and agrees to it as to any
 * quote, and the volunteer may still re-quote before the price is agreed.
 */
export async function quoteOfferedPrice(tx: Transaction, request: ServiceRequestRow, offer: ServiceOfferRow, at: Date): Promise<void> {
  if (offer.labourFen === null || offer.materialsFen === null) return;
  const quote = { labourFen: offer.labourFen, materialsFen: offer.materialsFen, quotedById: offer.publishedById, quotedAt: at };
  await upsertQuote(tx, { requestId: request.id, ...quote });
  await requestQuoted(tx, request, quote);
}

/** What one tier of household pays for a priced offer at a place. */
export interface TierPrice {
  tier: PriceTier;
  ordinaryLabourPercent: number;
  residentPays: number;
  charityFundPays: number;
}

const TIERS: readonly PriceTier[] = ['ordinary', 'low_income', 'special_hardship'];

/** The offer's price per tier under the price rule at `placeId`; null for a free offer. Rules are seen by every reader. */
export async function offerTierPrices(ctx: RequestsContext, offer: ServiceOfferRow, placeId: string): Promise<TierPrice[] | null> {
  const { labourFen, materialsFen } = offer;
  if (labourFen === null || materialsFen === null) return null;
  const rule = await priceRuleAt(ctx, placeId);
  return TIERS.map((tier) => {
    const shares = sharesOf(tier, labourFen, materialsFen, rule.ordinaryLabourPercent);
    return { tier, ordinaryLabourPercent: rule.ordinaryLabourPercent, residentPays: shares.residentPays, charityFundPays: shares.fundPays };
  });
}
