/** SQL for merchants and their catalogues, including the stock a redemption takes and a released hold gives back. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
  inUuids,
  pagesPerParent,
  preparedOnce,
  UNIQUE_VIOLATION,
  isConstraintViolation,
  required,
  rowsOf,
  type Executor,
  type PageRequest,
  type Transaction,
} from '@lianxin/shared';
import { catalogItems, merchants, type CatalogItemRow, type MerchantRow } from '../db/schema.js';

// A till's every request reads its merchant: built once, run with the ids.
const merchantsByIds = preparedOnce((db) => db.select().from(merchants).where(inUuids(merchants.id, 'ids')).prepare('find_merchants_by_ids'));

export function findMerchantsByIds(db: Executor, ids: readonly string[]): Promise<MerchantRow[]> {
  return merchantsByIds(db, { ids });
}

/** Merchant lists sort by name, then id. */
export const merchantCursor = (row: MerchantRow): string[] => [row.name, row.id];

export interface MerchantListFilter {
  bankId: string | null;
  kind: MerchantRow['kind'] | null;
  /** Sandbox merchants, or real ones. */
  sandbox: boolean;
}

export function listMerchants(db: Executor, filter: MerchantListFilter, page: PageRequest): Promise<MerchantRow[]> {
  return db
    .select()
    .from(merchants)
    .where(
      and(
        filter.bankId ? eq(merchants.bankId, filter.bankId) : undefined,
        filter.kind ? eq(merchants.kind, filter.kind) : undefined,
        eq(merchants.sandbox, filter.sandbox),
        page.after ? sql`(${merchants.name}, ${merchants.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(merchants.name), asc(merchants.id))
    .limit(page.limit + 1);
}

export type NewMerchant = Pick<MerchantRow, 'kind' | 'name' | 'organizationId' | 'bankId' | 'officeId' | 'alwaysOpen' | 'minimumBalance' | 'createdBy'> & {
  id: string;
  sandbox?: boolean;
};

/** Which uniqueness rule refused a new merchant. */
export type MerchantConflict = 'exchange_exists' | 'organization_exists';

/** Adds a merchant; a conflict names the unique rule that refused it (run it where a refused insert may abort the transaction). */
export async function insertMerchant(tx: Transaction, merchant: NewMerchant): Promise<MerchantRow | MerchantConflict> {
  try {
    const [row] = await tx.insert(merchants).values(merchant).returning();
    return required(row, 'row inserted into merchants');
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'merchants_one_exchange_per_bank')) return 'exchange_exists';
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'merchants_one_per_organization')) return 'organization_exists';
    throw error;
  }
}

export function findItemsByIds(db: Executor, ids: readonly string[]): Promise<CatalogItemRow[]> {
  return db
    .select()
    .from(catalogItems)
    .where(inArray(catalogItems.id, [...ids]));
}

/** Catalogue lists sort by name, then id. */
export const itemCursor = (row: CatalogItemRow): string[] => [row.name, row.id];

/** The same page of catalogue items for each of `merchantIds`, in one statement. */
export async function findCatalogPages(db: Executor, merchantIds: readonly string[], includeInactive: boolean, page: PageRequest): Promise<CatalogItemRow[]> {
  return pagesPerParent(db, {
    table: catalogItems,
    parent: catalogItems.merchantId,
    parentIds: merchantIds,
    orderBy: sql`${catalogItems.name}, ${catalogItems.id}`,
    where: and(
      includeInactive ? undefined : eq(catalogItems.active, true),
      page.after ? sql`(${catalogItems.name}, ${catalogItems.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined,
    ),
    limit: page.limit,
  });
}

/** How many items each of `merchantIds` lists (active ones only unless `includeInactive`); merchants with none have no row. */
export async function countCatalogItemsOfMerchants(db: Executor, merchantIds: readonly string[], includeInactive: boolean): Promise<{ merchantId: string; count: number }[]> {
  if (merchantIds.length === 0) return [];
  const rows = await db
    .select({ merchantId: catalogItems.merchantId, count: sql<number>`count(*)::int` })
    .from(catalogItems)
    .where(and(inArray(catalogItems.merchantId, [...merchantIds]), includeInactive ? undefined : eq(catalogItems.active, true)))
    .groupBy(catalogItems.merchantId);
  return rows;
}

export type NewCatalogItem = Pick<CatalogItemRow, 'merchantId' | 'name' | 'description' | 'pricePoints' | 'stock'> & { id?: string; returnable?: boolean };

/** Adds an item; null when the merchant already lists one by that name. */
export async function insertCatalogItem(db: Executor, item: NewCatalogItem): Promise<CatalogItemRow | null> {
  try {
    const [row] = await db.insert(catalogItems).values(item).returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'catalog_items_merchant_name')) return null;
    throw error;
  }
}

export interface CatalogItemChanges {
  name?: string;
  description?: string | null;
  pricePoints?: number;
  active?: boolean;
  addStock?: number;
  returnable?: boolean;
}

/** Applies `changes` in one statement (stock is added to, never overwritten, so it cannot lose a redemption's take); null when the new name is taken. */
export async function updateCatalogItem(db: Executor, id: string, changes: CatalogItemChanges): Promise<CatalogItemRow | null> {
  try {
    const [row] = await db
      .update(catalogItems)
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.pricePoints !== undefined ? { pricePoints: changes.pricePoints } : {}),
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        ...(changes.returnable !== undefined ? { returnable: changes.returnable } : {}),
        ...(changes.addStock !== undefined ? { stock: sql`${catalogItems.stock} + ${changes.addStock}` } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(catalogItems.id, id))
      .returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'catalog_items_merchant_name')) return null;
    throw error;
  }
}

/** Locks catalogue items (FOR UPDATE) in id order, after the accounts: the fixed lock order every redemption path keeps. */
export function lockItems(tx: Transaction, ids: readonly string[]): Promise<CatalogItemRow[]> {
  return tx
    .select()
    .from(catalogItems)
    .where(inArray(catalogItems.id, [...ids]))
    .orderBy(asc(catalogItems.id))
    .for('update');
}

const quantities = (lines: readonly { itemId: string; quantity: number }[]): SQL =>
  sql.join(
    lines.map((line) => sql`(${line.itemId}::uuid, ${line.quantity}::int)`),
    sql`, `,
  );

/** What a redemption took of one item: its name and price at that moment. */
export interface TakenItem {
  id: string;
  name: string;
  pricePoints: number;
}

/**
 * Takes stock for each line in one statement: the items are locked in id
 * order (the fixed lock order every redemption path keeps, after the
 * accounts), then decremented only where the item is the merchant's, active
 * and has enough left (`stock >= quantity` in the WHERE; the CHECK is the
 * backstop). Returns the items it took: fewer than asked means the
 * redemption must roll back.
 */
export async function takeItems(tx: Transaction, merchantId: string, lines: readonly { itemId: string; quantity: number }[]): Promise<TakenItem[]> {
  if (lines.length === 0) return [];
  const rows = await rowsOf<{ id: string; name: string; price_points: string }>(
    tx,
    sql`with wanted(item_id, quantity) as (values ${quantities(lines)}),
        locked as (select c.id from points.catalog_items as c join wanted as w on w.item_id = c.id order by c.id for update of c)
        update points.catalog_items as c set stock = c.stock - w.quantity
        from wanted as w, locked as l
        where c.id = w.item_id and c.id = l.id and c.merchant_id = ${merchantId}::uuid and c.active and c.stock >= w.quantity
        returning c.id, c.name, c.price_points::text`,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, pricePoints: Number(row.price_points) }));
}

/** Gives stock back (a voided or lapsed hold); the caller has locked the items. */
export async function returnStock(tx: Transaction, lines: readonly { itemId: string; quantity: number }[]): Promise<void> {
  if (lines.length === 0) return;
  await tx
    .update(catalogItems)
    .set({ stock: sql`${catalogItems.stock} + back.quantity` })
    .from(sql`(values ${quantities(lines)}) as back(item_id, quantity)`)
    .where(sql`${catalogItems.id} = back.item_id`);
}

/** Sets whether the merchant's till may redeem by passbook number alone; returns the merchant as it now stands. */
export async function setPassbookAcceptance(tx: Transaction, merchantId: string, accepts: boolean): Promise<MerchantRow | null> {
  const [row] = await tx.update(merchants).set({ acceptsPassbookNumbers: accepts }).where(eq(merchants.id, merchantId)).returning();
  return row ?? null;
}
