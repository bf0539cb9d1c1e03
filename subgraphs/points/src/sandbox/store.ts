/** SQL for the sandbox: where a sandbox test customer's account is opened. */
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { bankUnits, type BankUnitRow } from '../db/schema.js';

/** The first savings office of head bank `bankId`, by name; null for a bank without one. */
export async function findFirstOfficeOfBank(db: Executor, bankId: string): Promise<BankUnitRow | null> {
  const [row] = await db
    .select()
    .from(bankUnits)
    .where(and(eq(bankUnits.bankId, bankId), eq(bankUnits.kind, 'savings_office')))
    .orderBy(asc(bankUnits.name), asc(bankUnits.id))
    .limit(1);
  return row ?? null;
}
