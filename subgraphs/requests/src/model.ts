/** What requests resolvers pass between each other: database rows, connections of them, and bare references to others' entities. */
import type { Connection, Edge } from '@lianxin/shared';
import type {
  ActivityAttendanceRow,
  ActivityRow,
  ActivitySignupRow,
  AlertRow,
  CaseloadAssignmentRow,
  CaseloadVisitRow,
  CategoryRow,
  DeviceRow,
  MaterialUsed,
  MicroWishRow,
  PriceRuleRow,
  PriceTier,
  RequestQuoteRow,
  RequestSettlementRow,
  RequestTransitionRow,
  ServiceRecordRow,
  ServiceRequestRow,
  WishTransitionRow,
} from './db/schema.js';

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
export type ServiceRequestConnectionModel = Connection<ServiceRequestModel>;
export type ServiceRequestEdgeModel = Edge<ServiceRequestModel>;
export type CategoryModel = CategoryRow;
/** A person known here only by id: the people subgraph owns the rest. */
export type PersonModel = { id: string };
/** Entities owned by the people subgraph, known here by id only. */
export type HouseholdModel = { id: string };
export type RegionModel = { id: string };
export type TeamModel = { id: string };
export type OrganizationModel = { id: string };
export type RequestTransitionModel = RequestTransitionRow;
export type CompletionModel = { note: string; evidenceUrls: string[]; materialsUsed: MaterialUsed[] };
export type RatingModel = { score: number; comment: string | null; ratedById: string; ratedAt: Date };
export type CostModel = RequestQuoteRow;

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

export type AgreedPriceModel = RequestSettlementRow;
export type PriceRuleModel = PriceRuleRow;
export type MicroWishModel = MicroWishRow;
export type MicroWishConnectionModel = Connection<MicroWishRow>;
export type MicroWishEdgeModel = Edge<MicroWishRow>;
export type WishTransitionModel = WishTransitionRow;
export type ActivityModel = ActivityRow;
export type ActivityConnectionModel = Connection<ActivityRow>;
export type ActivityEdgeModel = Edge<ActivityRow>;
export type ActivitySignupModel = ActivitySignupRow;
export type ActivitySignupConnectionModel = Connection<ActivitySignupRow>;
export type ActivitySignupEdgeModel = Edge<ActivitySignupRow>;
export type ActivityAttendanceModel = ActivityAttendanceRow;
export type ActivityAttendanceConnectionModel = Connection<ActivityAttendanceRow>;
export type ActivityAttendanceEdgeModel = Edge<ActivityAttendanceRow>;
export type ServiceRecordModel = ServiceRecordRow;
export type ServiceRecordConnectionModel = Connection<ServiceRecordRow>;
export type ServiceRecordEdgeModel = Edge<ServiceRecordRow>;
export type DeviceModel = DeviceRow;
export type AlertModel = AlertRow;
export type AlertConnectionModel = Connection<AlertRow>;
export type AlertEdgeModel = Edge<AlertRow>;
export type CaseloadEntryModel = CaseloadAssignmentRow;
export type CaseloadVisitModel = CaseloadVisitRow;
export type CaseloadVisitConnectionModel = Connection<CaseloadVisitRow>;
export type CaseloadVisitEdgeModel = Edge<CaseloadVisitRow>;
