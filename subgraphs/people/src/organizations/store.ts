/** SQL for organisations. */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { organizations, type OrganizationRow } from '../db/schema.js';
import { inSubtree } from '../sql.js';

export function findOrganizationsByIds(db: Executor, ids: readonly string[]): Promise<OrganizationRow[]> {
  return db
    .select()
    .from(organizations)
    .where(inArray(organizations.id, [...ids]));
}

export interface OrganizationListFilter {
  kind?: OrganizationRow['kind'] | undefined;
  region?: string | undefined;
}

function organizationConditions(filter: OrganizationListFilter): SQL | undefined {
  return and(
    filter.kind !== undefined ? eq(organizations.kind, filter.kind) : undefined,
    filter.region !== undefined ? inSubtree(organizations.regionId, filter.region) : undefined,
  );
}

/** A page of the organisations matching `filter`, by name. */
export function findOrganizationPage(db: Executor, filter: OrganizationListFilter, page: PageRequest): Promise<OrganizationRow[]> {
  const after = page.after ? sql`(${organizations.name}, ${organizations.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(organizations)
    .where(and(organizationConditions(filter), after))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(page.limit + 1);
}

export async function countOrganizations(db: Executor, filter: OrganizationListFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(organizations).where(organizationConditions(filter));
  return row?.total ?? 0;
}

export async function insertOrganization(db: Executor, values: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [row] = await db.insert(organizations).values(values).returning();
  return required(row, 'row inserted into organizations');
}

/** Organisation page cursors sort by name, then id. */
export const organizationCursor = (row: OrganizationRow): string[] => [row.name, row.id];
