/**
 * The office rating's arithmetic on its own (src/offices/rating.ts): quotas
 * such as the article's "9 four-star and 3 five-star offices", a tie at a
 * quota's edge falling to the next level together, scores rounded down per
 * indicator in hundredths, and a bank where nobody has an indicator.
 */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_OFFICE_RATING_RULES, rateOffices, type OfficeRatingRules, type OfficeYearFigures } from '../src/offices/rating.js';

/** An office whose only figure is its accounts (the other indicators are nobody's, so score nothing). */
const office = (n: number, accountsOpened: number): OfficeYearFigures => ({
  officeId: `office-${String(n).padStart(2, '0')}`,
  accountsOpened,
  serviceMinutes: 0,
  projects: 0,
  pointsRedeemed: 0,
  merchantsJoined: 0,
});

const accountsOnly: OfficeRatingRules['weights'] = { accounts_registered: 100, service_hours: 0, projects: 0, points_redeemed: 0, merchants_recruited: 0 };

describe('rateOffices', () => {
  it("gives 3 five-star and 9 four-star offices of 14 under the article's quotas", () => {
    const rules: OfficeRatingRules = { weights: accountsOnly, thresholds: [0, 0, 0, 0, 0], quotas: [null, null, null, 9, 3] };
    const offices = Array.from({ length: 14 }, (_, index) => office(index + 1, 100 - index));
    const rated = rateOffices(offices, rules);
    expect(rated.map((rating) => rating.stars)).toEqual([5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3]);
    expect(rated.map((rating) => rating.rank)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    expect(rated[12]!.explanation).toContain('the quota of 3 offices at that level is full');
  });

  it('lets offices sharing a rank at the edge of a quota fall to the next level together', () => {
    const rules: OfficeRatingRules = { weights: accountsOnly, thresholds: [0, 0, 0, 0, 0], quotas: [null, null, null, 2, 1] };
    // Scores 100, 50, 50, 25: the five-star quota holds the first; the two at 50 fit the four-star quota of 2.
    expect(rateOffices([office(1, 4), office(2, 2), office(3, 2), office(4, 1)], rules).map((rating) => [rating.officeId, rating.rank, rating.stars])).toEqual([
      ['office-01', 1, 5],
      ['office-02', 2, 4],
      ['office-03', 2, 4],
      ['office-04', 4, 3],
    ]);
    // Two sharing the top with a five-star quota of 1: neither takes it, both are four-star; the four-star quota of 2 is then full.
    const tied = rateOffices([office(1, 4), office(2, 4), office(3, 2)], rules);
    expect(tied.map((rating) => [rating.rank, rating.stars])).toEqual([
      [1, 4],
      [1, 4],
      [3, 3],
    ]);
    // The third's score reaches five stars too, and that quota is unused, but an office never outranks those above it.
    expect(tied[0]!.explanation).toContain('five stars threshold (0), but the quota of 1 office at that level is full');
    expect(tied[2]!.explanation).toContain('five stars threshold (0), but offices ranked above it were kept from that level by its quota');
    expect(tied[2]!.explanation).toContain('four stars threshold (0), but the quota of 2 offices at that level is full');
  });

  it('rounds each indicator down to hundredths and scores nothing where no office has anything', () => {
    // 20 × 1 ÷ 3 = 6.666… → 6.66 for accounts; every other indicator is zero everywhere.
    const [best, third] = rateOffices([office(1, 3), office(2, 1)], DEFAULT_OFFICE_RATING_RULES);
    expect(best).toMatchObject({ scoreHundredths: 2000, stars: 1 });
    expect(third).toMatchObject({ scoreHundredths: 666, stars: 0 });
    expect(third!.indicators.map((indicator) => indicator.scoreHundredths)).toEqual([666, 0, 0, 0, 0]);
    expect(rateOffices([], DEFAULT_OFFICE_RATING_RULES)).toEqual([]);
  });
});
