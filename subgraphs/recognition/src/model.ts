/**
 * What recognition serves that is not a database row (codegen.ts maps badges
 * to their rows and persons to a bare `EntityReference`): the tallies and
 * indicators as the schema shows them, and how hours are shown.
 */

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
