/**
 * Rules for reading savings-office indicators: aggregates that name no one,
 * so any signed-in viewer may read them (the bank's structure itself is
 * public, but its figures are for the people working with it: access.ts).
 */
import { requireIndicatorReader } from '../access.js';
import type { RecognitionContext } from '../context.js';
import type { OfficeIndicatorsRow } from '../db/schema.js';
import { hoursOf, type SavingsOfficeIndicatorsModel } from '../model.js';

/** An office's indicators; zeroes for a unit no account or redemption has named yet. */
export async function indicatorsOf(ctx: RecognitionContext, officeId: string): Promise<SavingsOfficeIndicatorsModel> {
  requireIndicatorReader(ctx.viewer);
  return toIndicators(await ctx.loaders.indicatorsOfOffice.load(officeId));
}

function toIndicators(row: OfficeIndicatorsRow | null): SavingsOfficeIndicatorsModel {
  const serviceMinutes = row?.serviceMinutes ?? 0;
  return {
    accountsOpened: row?.accountsOpened ?? 0,
    redemptions: row?.redemptions ?? 0,
    pointsRedeemed: row?.pointsRedeemed ?? 0,
    serviceMinutes,
    serviceHours: hoursOf(serviceMinutes),
  };
}
