/**
 * What requests resolvers receive where it is not a database row (codegen.ts
 * maps every other type to its row, and others' entities to a bare
 * `EntityReference`).
 */
import type { MaterialUsed, PriceTier, ServiceRequestRow } from './db/schema.js';

/** The requester's household as the people subgraph reported it through `@requires`; null when it reported none. */
export interface ReportedHousehold {
  id: string;
  hardshipLevel: 'ORDINARY' | 'LOW_INCOME' | 'SPECIAL_HARDSHIP';
}

/**
 * A request row; when the gateway resolves `quote`, also the requester's
 * household as reported (undefined when the representation did not carry it).
 */
export type ServiceRequestModel = ServiceRequestRow & { reportedHousehold?: ReportedHousehold | null };
export type CompletionModel = { note: string; evidenceUrls: string[]; materialsUsed: MaterialUsed[] };
export type RatingModel = { score: number; comment: string | null; ratedById: string; ratedAt: Date };

/** What a household pays for a quoted cost, with the signed token that lets it be agreed. */
export interface QuoteModel {
  tier: PriceTier;
  householdKnown: boolean;
  labour: number;
  materials: number;
  total: number;
  ordinaryLabourPercent: number;
  residentPays: number;
  charityFundPays: number;
  token: string;
  tokenExpiresAt: Date;
}
