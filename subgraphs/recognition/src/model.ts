/** What recognition resolvers pass between each other: database rows and bare entity references. */
import type { BadgeRow } from './db/schema.js';

/** A held badge, with its kind's name and description joined in. */
export type BadgeModel = BadgeRow;
/** A person is owned by the people subgraph; here it is only a reference to hang badges on. */
export interface PersonModel {
  id: string;
}

/** A person's ServiceTally, as the schema shows it (zeroes for someone with no tally yet). */
export interface ServiceTallyModel {
  minutes: number;
  hours: number;
  services: number;
  ratings: number;
  averageRating: number | null;
  lastServedAt: Date | null;
}

/** A savings office's SavingsOfficeIndicators, as the schema shows them (zeroes for an office with none yet). */
export interface SavingsOfficeIndicatorsModel {
  accountsOpened: number;
  redemptions: number;
  pointsRedeemed: number;
  serviceMinutes: number;
  serviceHours: number;
}

/** Hours for `minutes`, to one decimal, as every hours field shows them. */
export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;
