/**
 * The tiered price (docs/domain.md#tiered-prices): ordinary households pay their community's
 * share of the market labour price and the materials; low-income households
 * the materials only; special-hardship households nothing. What the
 * household does not pay of a subsidised tier, the charity fund pays. The
 * same rule is a CHECK on request_settlements.
 */
import type { PriceTier } from '../db/schema.js';

export interface PriceShares {
  residentPays: number;
  fundPays: number;
}

/** The household's and the fund's shares of a cost, in fen; the ordinary labour share rounds half up. */
export function sharesOf(tier: PriceTier, labour: number, materials: number, ordinaryLabourPercent: number): PriceShares {
  switch (tier) {
    case 'ordinary':
      return { residentPays: Math.floor((labour * ordinaryLabourPercent + 50) / 100) + materials, fundPays: 0 };
    case 'low_income':
      return { residentPays: materials, fundPays: labour };
    case 'special_hardship':
      return { residentPays: 0, fundPays: labour + materials };
  }
}

/** The tier a hardship level, as the people subgraph reports it, is priced at; none reported means ordinary. */
export function tierOf(hardshipLevel: 'ORDINARY' | 'LOW_INCOME' | 'SPECIAL_HARDSHIP' | null | undefined): PriceTier {
  switch (hardshipLevel) {
    case 'LOW_INCOME':
      return 'low_income';
    case 'SPECIAL_HARDSHIP':
      return 'special_hardship';
    default:
      return 'ordinary';
  }
}
