/** What recognition resolvers pass between each other: database rows and bare entity references. */
import type { BadgeRow } from './db/schema.js';

/** A held badge, with its kind's name and description joined in. */
export type BadgeModel = BadgeRow;
/** A person is owned by the people subgraph; here it is only a reference to hang badges on. */
export interface PersonModel {
  id: string;
}
