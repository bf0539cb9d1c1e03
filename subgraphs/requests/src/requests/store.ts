/** SQL for service requests: one named query per function, nothing else. */
import { and, asc, count, inArray, lte, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { serviceRequests, type NewServiceRequestRow, type ServiceRequestRow } from '../db/schema.js';

export function findServiceRequestsByIds(db: Executor, ids: readonly string[]): Promise<ServiceRequestRow[]> {
  return db.select().from(serviceRequests).where(inArray(serviceRequests.id, [...ids]));
}

/**
 * The same page of requests, newest first, for each of `requesterIds`, in one
 * statement: rows are numbered per requester and cut at `limit + 1`, so many
 * persons cost one query.
 */
export async function findRequestPagesOfRequesters(
  db: Executor,
  requesterIds: readonly string[],
  page: PageRequest,
): Promise<ServiceRequestRow[]> {
  const after = page.after
    ? sql`(${serviceRequests.createdAt}, ${serviceRequests.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  const ranked = db
    .select({
      id: serviceRequests.id,
      requesterId: serviceRequests.requesterId,
      categoryCode: serviceRequests.categoryCode,
      description: serviceRequests.description,
      channel: serviceRequests.channel,
      status: serviceRequests.status,
      filedById: serviceRequests.filedById,
      createdAt: serviceRequests.createdAt,
      position:
        sql<number>`row_number() over (partition by ${serviceRequests.requesterId} order by ${serviceRequests.createdAt} desc, ${serviceRequests.id} desc)`.as(
          'position',
        ),
    })
    .from(serviceRequests)
    .where(and(inArray(serviceRequests.requesterId, [...requesterIds]), after))
    .as('ranked');
  return db
    .select({
      id: ranked.id,
      requesterId: ranked.requesterId,
      categoryCode: ranked.categoryCode,
      description: ranked.description,
      channel: ranked.channel,
      status: ranked.status,
      filedById: ranked.filedById,
      createdAt: ranked.createdAt,
    })
    .from(ranked)
    .where(lte(ranked.position, page.limit + 1))
    .orderBy(asc(ranked.requesterId), asc(ranked.position));
}

/** How many requests each of `requesterIds` has; requesters with none are absent. */
export function countRequestsOfRequesters(db: Executor, requesterIds: readonly string[]): Promise<{ requesterId: string; total: number }[]> {
  return db
    .select({ requesterId: serviceRequests.requesterId, total: count() })
    .from(serviceRequests)
    .where(inArray(serviceRequests.requesterId, [...requesterIds]))
    .groupBy(serviceRequests.requesterId);
}

export async function insertServiceRequest(db: Executor, values: NewServiceRequestRow): Promise<ServiceRequestRow> {
  const [row] = await db.insert(serviceRequests).values(values).returning();
  if (!row) throw new Error('insert into service_requests returned no row');
  return row;
}

/** Request page cursors sort by filing time, then id, both descending. */
export const requestCursor = (row: ServiceRequestRow): string[] => [row.createdAt.toISOString(), row.id];
