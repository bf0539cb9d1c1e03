/** What campaign and honour resolvers receive beyond bare rows (codegen.ts maps the types to these). */
import type { CampaignNominationRow, CampaignWinnerRow, HonourTitleRow } from '../db/schema.js';

/** A nomination with its scores so far, its rank in the category and whether it was withdrawn. */
export interface CampaignNominationModel extends CampaignNominationRow {
  scores: number;
  scoreTotal: number;
  rank: number | null;
  withdrawn: boolean;
  /** The reviewers who scored it (person ids), for `viewerHasScored`. */
  scoredBy: string[];
}

/** A winner with its category's name. */
export interface CampaignWinnerModel extends CampaignWinnerRow {
  categoryName: string;
}

/** An honour on a person: a campaign won or a title from outside. */
export interface HonourModel {
  id: string;
  kind: 'campaign' | 'title';
  title: string;
  source: string;
  awardedOn: string;
  citation: string | null;
  campaignId: string | null;
}

/** A title with its withdrawal, if any. */
export interface HonourTitleModel extends HonourTitleRow {
  withdrawalReason: string | null;
}
