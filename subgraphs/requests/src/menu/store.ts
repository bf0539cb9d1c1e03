/** SQL for the service menu: offers, need lists and their claims. */
import { and, arrayOverlaps, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { directoryTeamMembers, serviceNeeds, serviceOffers, type ServiceNeedRow, type ServiceOfferRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export async function insertOffer(db: Executor, values: typeof serviceOffers.$inferInsert): Promise<ServiceOfferRow> {
  const [row] = await db.insert(serviceOffers).values(values).returning();
  return required(row, 'row inserted into service_offers');
}

export function findOffersByIds(db: Executor, ids: readonly string[]): Promise<ServiceOfferRow[]> {
  return db
    .select()
    .from(serviceOffers)
    .where(inArray(serviceOffers.id, [...ids]));
}

/** The offer, locked so a withdrawal and an order take turns. */
export async function lockOffer(db: Executor, id: string): Promise<ServiceOfferRow | null> {
  const [row] = await db.select().from(serviceOffers).where(eq(serviceOffers.id, id)).for('update');
  return row ?? null;
}

export async function withdrawOffer(db: Executor, id: string, at: Date): Promise<ServiceOfferRow> {
  const [row] = await db.update(serviceOffers).set({ withdrawnAt: at }).where(eq(serviceOffers.id, id)).returning();
  return required(row, 'offer withdrawn');
}

export interface OfferListFilter {
  /** The place and every region above it: an offer serving any of them serves the place. */
  placePath?: string[] | undefined;
  category?: string | undefined;
}

/** A page of offers still on the menu, newest first. */
export function findOfferPage(db: Executor, filter: OfferListFilter, page: PageRequest): Promise<ServiceOfferRow[]> {
  const after = page.after ? sql`(${serviceOffers.publishedAt}, ${serviceOffers.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(serviceOffers)
    .where(
      and(
        isNull(serviceOffers.withdrawnAt),
        filter.placePath ? arrayOverlaps(serviceOffers.areaRegionIds, filter.placePath) : undefined,
        filter.category ? eq(serviceOffers.categoryCode, filter.category) : undefined,
        after,
      ),
    )
    .orderBy(desc(serviceOffers.publishedAt), desc(serviceOffers.id))
    .limit(page.limit + 1);
}

export const offerCursor = (row: ServiceOfferRow): string[] => [row.publishedAt.toISOString(), row.id];

/** Whether `personId` is the captain of `teamId`, as people last told this subgraph. */
export async function isTeamCaptain(db: Executor, teamId: string, personId: string): Promise<boolean> {
  const rows = await db
    .select({ teamId: directoryTeamMembers.teamId })
    .from(directoryTeamMembers)
    .where(and(eq(directoryTeamMembers.teamId, teamId), eq(directoryTeamMembers.personId, personId), eq(directoryTeamMembers.role, 'captain')));
  return rows.length > 0;
}

export async function insertNeed(db: Executor, values: typeof serviceNeeds.$inferInsert): Promise<ServiceNeedRow> {
  const [row] = await db.insert(serviceNeeds).values(values).returning();
  return required(row, 'row inserted into service_needs');
}

export async function findNeed(db: Executor, id: string): Promise<ServiceNeedRow | null> {
  const [row] = await db.select().from(serviceNeeds).where(eq(serviceNeeds.id, id));
  return row ?? null;
}

/** Claims an open need, naming the request the claim filed; null when it was claimed already (the database refuses changing a claim too). */
export async function claimNeed(db: Executor, id: string, claim: { teamId: string; personId: string; requestId: string; at: Date }): Promise<ServiceNeedRow | null> {
  const [row] = await db
    .update(serviceNeeds)
    .set({ claimedByTeamId: claim.teamId, claimedById: claim.personId, requestId: claim.requestId, claimedAt: claim.at })
    .where(and(eq(serviceNeeds.id, id), isNull(serviceNeeds.claimedAt)))
    .returning();
  return row ?? null;
}

export interface NeedListFilter {
  region?: string | undefined;
  category?: string | undefined;
  open?: boolean | undefined;
}

function needConditions(filter: NeedListFilter): SQL | undefined {
  return and(
    filter.region ? withinAny(serviceNeeds.regionPath, [filter.region]) : undefined,
    filter.category ? eq(serviceNeeds.categoryCode, filter.category) : undefined,
    filter.open === undefined ? undefined : filter.open ? isNull(serviceNeeds.claimedAt) : isNotNull(serviceNeeds.claimedAt),
  );
}

/** A page of needs, newest first. */
export function findNeedPage(db: Executor, filter: NeedListFilter, page: PageRequest): Promise<ServiceNeedRow[]> {
  const after = page.after ? sql`(${serviceNeeds.publishedAt}, ${serviceNeeds.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(serviceNeeds)
    .where(and(needConditions(filter), after))
    .orderBy(desc(serviceNeeds.publishedAt), desc(serviceNeeds.id))
    .limit(page.limit + 1);
}

export const needCursor = (row: ServiceNeedRow): string[] => [row.publishedAt.toISOString(), row.id];
