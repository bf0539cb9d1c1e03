/**
 * Rules for the savings offices' yearly star ratings: a rating is read
 * frozen once its bank's year review has closed, and computed from the
 * year's cells (provisional) until then, for all the bank's offices at once
 * since each office is scored against the best of them. The arithmetic is
 * in rating.ts, the SQL in ../reviews/store.ts. Any signed-in viewer reads
 * ratings, as the indicators; the bank's area admins set the scheme.
 */
import { z } from 'zod';
import { BadInputError, idInput, inTransaction, parseInput, refuse, type Executor, type Result } from '@lianxin/shared';
import { administersRegion, requireIndicatorReader, requireReviewAdmin } from '../access.js';
import type { RecognitionContext } from '../context.js';
import type { OfficeRatingSchemeRow } from '../db/schema.js';
import { findFrozenRatings, findHeadBanks, findOfficeYearFigures, findRatingSchemes, findUnits, upsertRatingScheme, type HeadBank } from '../reviews/store.js';
import {
  DEFAULT_OFFICE_RATING_RULES,
  OFFICE_INDICATORS,
  rateOffices,
  type OfficeIndicator,
  type OfficeRatingResult,
  type OfficeRatingRules,
  type ScoredIndicator,
} from './rating.js';

/** An office's rating as the schema shows it. */
export interface OfficeRatingModel {
  officeId: string;
  year: number;
  stars: number;
  rank: number;
  offices: number;
  scoreHundredths: number;
  provisional: boolean;
  frozenAt: Date | null;
  indicators: readonly ScoredIndicator[];
  explanation: string;
}

/** A bank's rating scheme as the schema shows it. */
export interface OfficeRatingSchemeModel {
  bankId: string;
  rules: OfficeRatingRules;
  isDefault: boolean;
  setAt: Date | null;
}

/** Years a rating may be asked for: the service's span, with room. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** The rules a scheme row holds; the default for a bank that set none. */
export function rulesOf(row: OfficeRatingSchemeRow | undefined): OfficeRatingRules {
  if (!row) return DEFAULT_OFFICE_RATING_RULES;
  return {
    weights: {
      accounts_registered: row.weightAccounts,
      service_hours: row.weightHours,
      projects: row.weightProjects,
      points_redeemed: row.weightRedeemed,
      merchants_recruited: row.weightMerchants,
    },
    thresholds: [row.thresholds[0]!, row.thresholds[1]!, row.thresholds[2]!, row.thresholds[3]!, row.thresholds[4]!],
    quotas: [row.quota1, row.quota2, row.quota3, row.quota4, row.quota5],
  };
}

/** Every office of a bank rated for a year on the rules the bank has now. */
export async function rateBankYear(db: Executor, bankId: string, year: number): Promise<OfficeRatingResult[]> {
  const [figures, schemes] = await Promise.all([findOfficeYearFigures(db, bankId, year), findRatingSchemes(db, [bankId])]);
  return rateOffices(figures, rulesOf(schemes[0]));
}

/** Loads the ratings of `keys` (office and year): frozen where their year closed, else provisional, a bank's offices in one go. */
export async function loadOfficeRatings(db: Executor, keys: readonly { officeId: string; year: number }[]): Promise<(OfficeRatingModel | null)[]> {
  const found = new Map<string, OfficeRatingModel>();
  const keyOf = (officeId: string, year: number) => `${officeId}:${year}`;
  for (const year of new Set(keys.map((key) => key.year))) {
    const officeIds = [...new Set(keys.filter((key) => key.year === year).map((key) => key.officeId))];
    for (const frozen of await findFrozenRatings(db, officeIds, year)) {
      found.set(keyOf(frozen.officeId, year), { ...frozen, indicators: frozen.indicators, provisional: false });
    }
    const open = officeIds.filter((officeId) => !found.has(keyOf(officeId, year)));
    const units = (await findUnits(db, open)).filter((unit) => unit.kind === 'savings_office');
    for (const bankId of new Set(units.map((unit) => unit.bankId))) {
      for (const rating of await rateBankYear(db, bankId, year)) {
        found.set(keyOf(rating.officeId, year), { ...rating, year, provisional: true, frozenAt: null });
      }
    }
  }
  return keys.map((key) => found.get(keyOf(key.officeId, key.year)) ?? null);
}

/** `BankUnit.rating(year)`: null for a unit that is not a savings office. */
export async function officeRatingOf(ctx: RecognitionContext, officeId: string, year: number): Promise<OfficeRatingModel | null> {
  requireIndicatorReader(ctx.viewer);
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) throw new BadInputError(`year must be between ${FIRST_YEAR} and ${LAST_YEAR}.`, 'year');
  return ctx.loaders.ratingOfOffice.load({ officeId: officeId.toLowerCase(), year });
}

/** `BankUnit.officeRatingScheme`: a head bank's scheme (the default when it set none); null for other units. */
export async function ratingSchemeOf(ctx: RecognitionContext, unitId: string): Promise<OfficeRatingSchemeModel | null> {
  requireIndicatorReader(ctx.viewer);
  const [bank] = await findHeadBanks(ctx.db, [unitId.toLowerCase()]);
  if (!bank) return null;
  const [row] = await findRatingSchemes(ctx.db, [bank.bankId]);
  return { bankId: bank.bankId, rules: rulesOf(row), isDefault: row === undefined, setAt: row?.setAt ?? null };
}

/** Loads a head bank and checks the viewer administers its area; refuses inside the caller's transaction. */
export async function checkHeadBank(ctx: RecognitionContext, tx: Executor, bankId: string): Promise<HeadBank> {
  const [bank] = await findHeadBanks(tx, [bankId]);
  if (!bank) refuse(['input', 'bank'], 'NOT_FOUND', 'There is no such head bank (one opened a moment ago may need a moment more).');
  if (!administersRegion(ctx.viewer, bank.regionChain)) refuse(['input', 'bank'], 'NOT_ALLOWED', "The bank's area lies outside your scope.");
  return bank;
}

const score = z.number().int('must be a whole number.').min(0, 'must be 0 to 100.').max(100, 'must be 0 to 100.');

const schemeInput = z.object({
  bank: idInput('a head bank'),
  weights: z
    .array(z.object({ indicator: z.enum(OFFICE_INDICATORS), weight: score }))
    .refine(
      (weights) => OFFICE_INDICATORS.every((name) => weights.filter((entry) => entry.indicator === name).length === 1) && weights.length === 5,
      'must name each of the five indicators once.',
    )
    .refine((weights) => weights.reduce((sum, entry) => sum + entry.weight, 0) === 100, 'must add up to 100.'),
  thresholds: z
    .array(score)
    .length(5, 'must give the scores of 5 levels.')
    .refine((levels) => levels.every((value, index) => index === 0 || value >= (levels[index - 1] ?? 0)), 'must never decrease.'),
  quotas: z
    .array(z.number().int('must be a whole number.').min(0, 'must be at least 0.').max(100_000, 'must be at most 100,000.').nullable())
    .length(5, 'must give 5 entries, null for no limit.')
    .nullish(),
});

export async function setRatingScheme(ctx: RecognitionContext, input: unknown): Promise<Result<OfficeRatingSchemeModel>> {
  const subject = requireReviewAdmin(ctx.viewer, "set a bank's office rating scheme");
  const parsed = parseInput(schemeInput, input);
  if (!parsed.ok) return parsed;
  const { bank: bankId, weights, thresholds, quotas } = parsed.value;
  const weight = (name: OfficeIndicator): number => weights.find((entry) => entry.indicator === name)?.weight ?? 0;
  return inTransaction(ctx, async (tx) => {
    const bank = await checkHeadBank(ctx, tx, bankId.toLowerCase());
    const row = await upsertRatingScheme(tx, {
      bankId: bank.bankId,
      weightAccounts: weight('accounts_registered'),
      weightHours: weight('service_hours'),
      weightProjects: weight('projects'),
      weightRedeemed: weight('points_redeemed'),
      weightMerchants: weight('merchants_recruited'),
      thresholds,
      quota1: quotas?.[0] ?? null,
      quota2: quotas?.[1] ?? null,
      quota3: quotas?.[2] ?? null,
      quota4: quotas?.[3] ?? null,
      quota5: quotas?.[4] ?? null,
      setBy: subject,
    });
    return { bankId: bank.bankId, rules: rulesOf(row), isDefault: false, setAt: row.setAt };
  });
}
