/** Rules for reading categories. They are public: anyone may see what help can be asked for. */
import type { RequestsContext } from '../context.js';
import type { CategoryRow } from '../db/schema.js';
import { findCategories } from './store.js';

export function listCategories(ctx: RequestsContext): Promise<CategoryRow[]> {
  return findCategories(ctx.db);
}
