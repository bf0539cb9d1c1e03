/** What points resolvers pass between each other: database rows and entity references. */
import type { AccountRow } from './db/schema.js';

export type AccountModel = AccountRow;
/** A people Person as this subgraph knows it: only the id; the people subgraph owns the rest. */
export interface PersonModel {
  id: string;
}
