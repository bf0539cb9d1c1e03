/**
 * Signed quotes. `ServiceRequest.quote` is resolved with the household's
 * hardship as the people subgraph reports it through the gateway
 * (`@requires`), a fact this subgraph cannot look up when a mutation runs.
 * So the quote is signed as computed, and `serviceRequestQuoteAgree` accepts
 * the signed statement back: the price is fixed from what the graph said,
 * and a client cannot alter a tier or an amount without breaking the seal.
 */
import type { PriceTier } from '../db/schema.js';
import { openStatement, purposeKey, signStatement } from '../signing.js';

/** How long a quote may be agreed to after it was read: long enough to ask the family, short enough that a changed hardship level soon shows. */
export const QUOTE_TOKEN_TTL_SECONDS = 24 * 3600;

export interface QuoteStatement {
  /** Request id. */
  r: string;
  /** Quote version: a re-quote voids tokens of the earlier one. */
  v: number;
  t: PriceTier;
  /** Whether the tier came from a household the graph reported. */
  k: boolean;
  l: number;
  m: number;
  pc: number;
  rp: number;
  fp: number;
  /** Expiry, epoch seconds. */
  exp: number;
}

const TIERS: readonly PriceTier[] = ['ordinary', 'low_income', 'special_hardship'];
const isAmount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isQuoteStatement(value: unknown): value is QuoteStatement {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s['r'] === 'string' &&
    isAmount(s['v']) &&
    TIERS.includes(s['t'] as PriceTier) &&
    typeof s['k'] === 'boolean' &&
    [s['l'], s['m'], s['pc'], s['rp'], s['fp'], s['exp']].every(isAmount)
  );
}

export function issueQuoteToken(signingKey: Buffer, statement: QuoteStatement): string {
  return signStatement(purposeKey(signingKey, 'quote'), statement);
}

export type QuoteTokenReading = { ok: true; statement: QuoteStatement } | { ok: false; reason: 'invalid' | 'expired' };

export function readQuoteToken(signingKey: Buffer, token: string, now: Date): QuoteTokenReading {
  const statement = openStatement(purposeKey(signingKey, 'quote'), token);
  if (!isQuoteStatement(statement)) return { ok: false, reason: 'invalid' };
  if (statement.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, statement };
}
