/**
 * Rules for service categories. Reading is public: anyone may see what help
 * can be asked for. Managing them is for platform admins alone: categories
 * have no region (every station files under the same list, and points' deposit
 * rules are keyed by their codes), so no region admin holds a part of them.
 */
import { z } from 'zod';
import { requireRoles, type Result } from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { CategoryRow } from '../db/schema.js';
import { serviceCategoryCreated } from '../events/publish.js';
import { inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { findCategories, insertCategory, lockCategory, updateCategory } from './store.js';

export function listCategories(ctx: RequestsContext): Promise<CategoryRow[]> {
  return findCategories(ctx.db);
}

/** Codes requests fall back to or call buttons file under: retiring them would break filing. */
const INDISPENSABLE = new Set(['other', 'emergency_call']);

const codeInput = z
  .string()
  .trim()
  .min(1, 'must not be empty.')
  .max(40, 'must be at most 40 characters.')
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case letter, then lower-case letters, digits or _.');
const descriptionInput = z.string().trim().max(500, 'must be at most 500 characters.');

const createInput = z.object({ code: codeInput, name: textInput(40), description: descriptionInput.nullish() });
const renameInput = z.object({ code: z.string().trim().min(1, 'must not be empty.'), name: textInput(40), description: descriptionInput.nullish() });
const retireInput = z.object({ code: z.string().trim().min(1, 'must not be empty.') });

export async function createCategory(ctx: RequestsContext, input: unknown): Promise<Result<CategoryRow>> {
  requireRoles(ctx.viewer, ['platform_admin'], 'manage service categories');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { code, name, description } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const row = await insertCategory(tx, { code, name, description: description ?? '' });
    if (!row) refuse(inputField('code'), 'ALREADY_EXISTS', `There is a category ${code} already; codes are never reused.`);
    await serviceCategoryCreated(tx, row, ctx.settings.now());
    return row;
  });
}

export async function renameCategory(ctx: RequestsContext, input: unknown): Promise<Result<CategoryRow>> {
  requireRoles(ctx.viewer, ['platform_admin'], 'manage service categories');
  const parsed = parseInput(renameInput, input);
  if (!parsed.ok) return parsed;
  const { code, name, description } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) refuse(inputField('code'), 'NOT_FOUND', `There is no category ${code}.`);
    return updateCategory(tx, code, description === null || description === undefined ? { name } : { name, description });
  });
}

export async function retireCategory(ctx: RequestsContext, input: unknown): Promise<Result<CategoryRow>> {
  requireRoles(ctx.viewer, ['platform_admin'], 'manage service categories');
  const parsed = parseInput(retireInput, input);
  if (!parsed.ok) return parsed;
  const { code } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) refuse(inputField('code'), 'NOT_FOUND', `There is no category ${code}.`);
    if (INDISPENSABLE.has(code)) refuse(inputField('code'), 'NOT_ALLOWED', `The category ${code} is needed for filing and cannot be retired.`);
    if (current.retiredAt) refuse(inputField('code'), 'INVALID_STATE', `The category ${code} is retired already.`);
    return updateCategory(tx, code, { retiredAt: ctx.settings.now() });
  });
}

const minorsInput = z.object({ code: z.string().trim().min(1, 'must not be empty.'), suitableForMinors: z.boolean() });

/** Marks a category suitable for minors with a guardian's consent (小小文明引导员 clearing flyers), or no longer. */
export async function setCategoryForMinors(ctx: RequestsContext, input: unknown): Promise<Result<CategoryRow>> {
  requireRoles(ctx.viewer, ['platform_admin'], 'manage service categories');
  const parsed = parseInput(minorsInput, input);
  if (!parsed.ok) return parsed;
  const { code, suitableForMinors } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const current = await lockCategory(tx, code);
    if (!current) refuse(inputField('code'), 'NOT_FOUND', `There is no category ${code}.`);
    return current.suitableForMinors === suitableForMinors ? current : updateCategory(tx, code, { suitableForMinors });
  });
}
