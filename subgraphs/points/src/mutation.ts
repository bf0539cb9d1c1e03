/**
 * What points mutations share beyond the shared toolkit (`inTransaction`,
 * `parseInput`, `refuse`, the input forms): the category code form.
 */
import { z } from 'zod';

export { Refusal, inTransaction, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** A service category code as the requests subgraph writes them, e.g. `home_repair`. */
export const categoryInput = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'is not a category code (lower case letters, digits and _).');
