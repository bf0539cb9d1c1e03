/**
 * Apollo Client cache configuration for the Lianxin graph. Generated from
 * schema/supergraph.graphql by `npm run client:generate`; do not edit.
 *
 *     new InMemoryCache({ possibleTypes, typePolicies })
 *
 * Every object type with an `id` is normalised by it (the default). Value
 * objects (no `id`; see docs/front-end.md, "Caching") stay inside their parent
 * and are merged into it. Connection fields page Relay-style: `fetchMore` with
 * `after` appends to the list kept for the same non-paging arguments.
 */
import type { PossibleTypesMap, TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities/index.js';

/** The object types of every interface and union. */
export const possibleTypes: PossibleTypesMap = {};

/** Recommended type policies. */
export const typePolicies: TypePolicies = {
  Account: {
    fields: {
      transfers: relayStylePagination(false),
      redemptions: relayStylePagination(false),
    },
  },
  AccountConnection: {
    keyFields: false,
  },
  AccountEdge: {
    keyFields: false,
  },
  AccountOpenPayload: {
    keyFields: false,
    merge: true,
  },
  Activity: {
    fields: {
      signups: relayStylePagination(['includeCancelled']),
      attendances: relayStylePagination(false),
    },
  },
  ActivityAttendanceConnection: {
    keyFields: false,
  },
  ActivityAttendanceEdge: {
    keyFields: false,
  },
  ActivityAttendancePayload: {
    keyFields: false,
    merge: true,
  },
  ActivityBucket: {
    keyFields: false,
    merge: true,
  },
  ActivityConnection: {
    keyFields: false,
  },
  ActivityCreatePayload: {
    keyFields: false,
    merge: true,
  },
  ActivityEdge: {
    keyFields: false,
  },
  ActivityFigures: {
    keyFields: false,
    merge: true,
  },
  ActivityHoursApprovePayload: {
    keyFields: false,
    merge: true,
  },
  ActivityOutput: {
    keyFields: false,
    merge: true,
  },
  ActivityPayload: {
    keyFields: false,
    merge: true,
  },
  ActivityRatingSummary: {
    keyFields: false,
    merge: true,
  },
  ActivityReview: {
    keyFields: false,
    merge: true,
  },
  ActivitySeries: {
    fields: {
      activities: relayStylePagination(false),
    },
  },
  ActivitySeriesPayload: {
    keyFields: false,
    merge: true,
  },
  ActivitySeriesTotals: {
    keyFields: false,
    merge: true,
  },
  ActivitySignupConnection: {
    keyFields: false,
  },
  ActivitySignupEdge: {
    keyFields: false,
  },
  ActivitySignupPayload: {
    keyFields: false,
    merge: true,
  },
  ActivityStats: {
    keyFields: false,
    merge: true,
  },
  AdjustmentConnection: {
    keyFields: false,
  },
  AdjustmentEdge: {
    keyFields: false,
  },
  AdjustmentPayload: {
    keyFields: false,
    merge: true,
  },
  AgreedPrice: {
    keyFields: false,
    merge: true,
  },
  AlertAcknowledgePayload: {
    keyFields: false,
    merge: true,
  },
  AlertBucket: {
    keyFields: false,
    merge: true,
  },
  AlertConnection: {
    keyFields: false,
  },
  AlertEdge: {
    keyFields: false,
  },
  AlertFigures: {
    keyFields: false,
    merge: true,
  },
  AlertStats: {
    keyFields: false,
    merge: true,
  },
  Alliance: {
    fields: {
      memberTeams: relayStylePagination(false),
    },
  },
  AllianceConnection: {
    keyFields: false,
  },
  AllianceEdge: {
    keyFields: false,
  },
  AlliancePayload: {
    keyFields: false,
    merge: true,
  },
  AwardCount: {
    keyFields: false,
    merge: true,
  },
  BadgePayload: {
    keyFields: false,
    merge: true,
  },
  BadgePeriod: {
    keyFields: false,
    merge: true,
  },
  BadgeRuleBackfill: {
    keyFields: false,
    merge: true,
  },
  BadgeRulePayload: {
    keyFields: false,
    merge: true,
  },
  BadgeTally: {
    keyFields: false,
    merge: true,
  },
  BankClerkAssignPayload: {
    keyFields: false,
    merge: true,
  },
  BankSettlementRateSetPayload: {
    keyFields: false,
    merge: true,
  },
  BankUnit: {
    fields: {
      children: relayStylePagination(false),
      accounts: relayStylePagination(false),
      adjustments: relayStylePagination(['status']),
      centralExchangeRecommendations: relayStylePagination(['year', 'status']),
    },
  },
  BankUnitConnection: {
    keyFields: false,
  },
  BankUnitCreatePayload: {
    keyFields: false,
    merge: true,
  },
  BankUnitEdge: {
    keyFields: false,
  },
  BuildingCaptainAssignPayload: {
    keyFields: false,
    merge: true,
  },
  CampaignConnection: {
    keyFields: false,
  },
  CampaignEdge: {
    keyFields: false,
  },
  CampaignNominationPayload: {
    keyFields: false,
    merge: true,
  },
  CampaignPayload: {
    keyFields: false,
    merge: true,
  },
  CampaignStageChange: {
    keyFields: false,
    merge: true,
  },
  CampaignWinner: {
    keyFields: false,
    merge: true,
  },
  CarePlan: {
    fields: {
      occurrences: relayStylePagination(false),
    },
  },
  CarePlanConnection: {
    keyFields: false,
  },
  CarePlanEdge: {
    keyFields: false,
  },
  CarePlanOccurrencePayload: {
    keyFields: false,
    merge: true,
  },
  CarePlanPayload: {
    keyFields: false,
    merge: true,
  },
  CaseloadEntry: {
    fields: {
      visits: relayStylePagination(false),
    },
  },
  CaseloadPayload: {
    keyFields: false,
    merge: true,
  },
  CaseloadVisitConnection: {
    keyFields: false,
  },
  CaseloadVisitEdge: {
    keyFields: false,
  },
  CaseloadVisitLogPayload: {
    keyFields: false,
    merge: true,
  },
  CatalogItemConnection: {
    keyFields: false,
  },
  CatalogItemCreatePayload: {
    keyFields: false,
    merge: true,
  },
  CatalogItemEdge: {
    keyFields: false,
  },
  CatalogItemUpdatePayload: {
    keyFields: false,
    merge: true,
  },
  CentralExchangeRecommendationConnection: {
    keyFields: false,
  },
  CentralExchangeRecommendationDecidePayload: {
    keyFields: false,
    merge: true,
  },
  CentralExchangeRecommendationEdge: {
    keyFields: false,
  },
  CertificateActivityLine: {
    keyFields: false,
    merge: true,
  },
  CertificateApplicationConnection: {
    keyFields: false,
  },
  CertificateApplicationEdge: {
    keyFields: false,
  },
  CertificateApplicationPayload: {
    keyFields: false,
    merge: true,
  },
  CertificateCategoryLine: {
    keyFields: false,
    merge: true,
  },
  CertificateConnection: {
    keyFields: false,
  },
  CertificateEdge: {
    keyFields: false,
  },
  CertificatePayload: {
    keyFields: false,
    merge: true,
  },
  CertificateVerification: {
    keyFields: false,
    merge: true,
  },
  ClerkAssistance: {
    keyFields: false,
    merge: true,
  },
  CompetitionConnection: {
    keyFields: false,
  },
  CompetitionEdge: {
    keyFields: false,
  },
  CompetitionPayload: {
    keyFields: false,
    merge: true,
  },
  CompetitionResult: {
    keyFields: false,
    merge: true,
  },
  CompetitionScore: {
    keyFields: false,
    merge: true,
  },
  CompetitionScorePayload: {
    keyFields: false,
    merge: true,
  },
  CompetitionStageClosePayload: {
    keyFields: false,
    merge: true,
  },
  CompetitionStageInfo: {
    keyFields: false,
    merge: true,
  },
  Completion: {
    keyFields: false,
    merge: true,
  },
  Cost: {
    keyFields: false,
    merge: true,
  },
  DeadLetterConnection: {
    keyFields: false,
  },
  DeadLetterEdge: {
    keyFields: false,
  },
  DeadLetterReplayPayload: {
    keyFields: false,
    merge: true,
  },
  DepositOutcome: {
    keyFields: false,
    merge: true,
  },
  DepositRuleSetPayload: {
    keyFields: false,
    merge: true,
  },
  DeviceRegisterPayload: {
    keyFields: false,
    merge: true,
  },
  DurationFigures: {
    keyFields: false,
    merge: true,
  },
  DutyPostConnection: {
    keyFields: false,
  },
  DutyPostCreatePayload: {
    keyFields: false,
    merge: true,
  },
  DutyPostEdge: {
    keyFields: false,
  },
  DutyShiftApprovePayload: {
    keyFields: false,
    merge: true,
  },
  DutyShiftSignupPayload: {
    keyFields: false,
    merge: true,
  },
  DutyShiftsPayload: {
    keyFields: false,
    merge: true,
  },
  Fund: {
    fields: {
      statement: relayStylePagination(['kind']),
    },
  },
  FundBucket: {
    keyFields: false,
    merge: true,
  },
  FundConnection: {
    keyFields: false,
  },
  FundCreatePayload: {
    keyFields: false,
    merge: true,
  },
  FundEdge: {
    keyFields: false,
  },
  FundEntryConnection: {
    keyFields: false,
  },
  FundEntryEdge: {
    keyFields: false,
  },
  FundEntryPayload: {
    keyFields: false,
    merge: true,
  },
  FundFigures: {
    keyFields: false,
    merge: true,
  },
  FundStats: {
    keyFields: false,
    merge: true,
  },
  Granary: {
    fields: {
      movements: relayStylePagination(['kind', 'goods']),
    },
  },
  GranaryGoodsPayload: {
    keyFields: false,
    merge: true,
  },
  GranaryMovementConnection: {
    keyFields: false,
  },
  GranaryMovementEdge: {
    keyFields: false,
  },
  GranaryMovementPayload: {
    keyFields: false,
    merge: true,
  },
  GranaryPayload: {
    keyFields: false,
    merge: true,
  },
  GridCreatePayload: {
    keyFields: false,
    merge: true,
  },
  GridWorkerAssignPayload: {
    keyFields: false,
    merge: true,
  },
  GuardianConsent: {
    keyFields: false,
    merge: true,
  },
  GuardianConsentPayload: {
    keyFields: false,
    merge: true,
  },
  HonourTitlePayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdBucket: {
    keyFields: false,
    merge: true,
  },
  HouseholdCaretakerAssignPayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdCaretakerEndPayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdConnection: {
    keyFields: false,
  },
  HouseholdEdge: {
    keyFields: false,
  },
  HouseholdFigures: {
    keyFields: false,
    merge: true,
  },
  HouseholdHardshipSetPayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdMemberAddPayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdMemberRemovePayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdRegisterPayload: {
    keyFields: false,
    merge: true,
  },
  HouseholdStats: {
    keyFields: false,
    merge: true,
  },
  Leaderboard: {
    keyFields: false,
    merge: true,
  },
  LeaderboardEntry: {
    keyFields: false,
    merge: true,
  },
  LeaderboardOptOutSetPayload: {
    keyFields: false,
    merge: true,
  },
  MaterialUsed: {
    keyFields: false,
    merge: true,
  },
  Merchant: {
    fields: {
      catalog: relayStylePagination(['includeInactive']),
      redemptions: relayStylePagination(['status']),
      statements: relayStylePagination(false),
    },
  },
  MerchantConnection: {
    keyFields: false,
  },
  MerchantCreatePayload: {
    keyFields: false,
    merge: true,
  },
  MerchantEdge: {
    keyFields: false,
  },
  MerchantPassbookAcceptanceSetPayload: {
    keyFields: false,
    merge: true,
  },
  MerchantWebhook: {
    fields: {
      deliveries: relayStylePagination(['status']),
    },
  },
  MerchantWebhookAttempt: {
    keyFields: false,
    merge: true,
  },
  MerchantWebhookDeliveryConnection: {
    keyFields: false,
  },
  MerchantWebhookDeliveryEdge: {
    keyFields: false,
  },
  MerchantWebhookDeliveryPayload: {
    keyFields: false,
    merge: true,
  },
  MerchantWebhookPayload: {
    keyFields: false,
    merge: true,
  },
  MerchantWebhookSecretPayload: {
    keyFields: false,
    merge: true,
  },
  MicroWishBucket: {
    keyFields: false,
    merge: true,
  },
  MicroWishConnection: {
    keyFields: false,
  },
  MicroWishEdge: {
    keyFields: false,
  },
  MicroWishFigures: {
    keyFields: false,
    merge: true,
  },
  MicroWishHoursConfirmPayload: {
    keyFields: false,
    merge: true,
  },
  MicroWishPayload: {
    keyFields: false,
    merge: true,
  },
  MicroWishStats: {
    keyFields: false,
    merge: true,
  },
  NotificationConnection: {
    keyFields: false,
  },
  NotificationEdge: {
    keyFields: false,
  },
  NotificationsMarkReadPayload: {
    keyFields: false,
    merge: true,
  },
  OfferPrice: {
    keyFields: false,
    merge: true,
  },
  OfferTierPrice: {
    keyFields: false,
    merge: true,
  },
  OfficeIndicatorWeight: {
    keyFields: false,
    merge: true,
  },
  OfficePairingPayload: {
    keyFields: false,
    merge: true,
  },
  OfficeRating: {
    keyFields: false,
    merge: true,
  },
  OfficeRatingIndicator: {
    keyFields: false,
    merge: true,
  },
  OfficeRatingScheme: {
    keyFields: false,
    merge: true,
  },
  OfficeRatingSchemePayload: {
    keyFields: false,
    merge: true,
  },
  OrganizationConnection: {
    keyFields: false,
  },
  OrganizationCreatePayload: {
    keyFields: false,
    merge: true,
  },
  OrganizationEdge: {
    keyFields: false,
  },
  PageInfo: {
    keyFields: false,
    merge: true,
  },
  PassbookLineConnection: {
    keyFields: false,
  },
  PassbookLineEdge: {
    keyFields: false,
  },
  PaymentCode: {
    keyFields: false,
    merge: true,
  },
  PaymentCodeIssuePayload: {
    keyFields: false,
    merge: true,
  },
  Person: {
    fields: {
      requests: relayStylePagination(false),
      openTasks: relayStylePagination(false),
      serviceRecords: relayStylePagination(false),
    },
  },
  PersonalDataAccessConnection: {
    keyFields: false,
  },
  PersonalDataAccessEdge: {
    keyFields: false,
  },
  PersonConnection: {
    keyFields: false,
  },
  PersonEdge: {
    keyFields: false,
  },
  PersonRegisterPayload: {
    keyFields: false,
    merge: true,
  },
  PersonUpdatePayload: {
    keyFields: false,
    merge: true,
  },
  PointsDepositPayload: {
    keyFields: false,
    merge: true,
  },
  PointsDonatePayload: {
    keyFields: false,
    merge: true,
  },
  PointsFlowBucket: {
    keyFields: false,
    merge: true,
  },
  PointsFlowFigures: {
    keyFields: false,
    merge: true,
  },
  PointsFlowStats: {
    keyFields: false,
    merge: true,
  },
  PriceRuleSetPayload: {
    keyFields: false,
    merge: true,
  },
  Query: {
    fields: {
      regions: relayStylePagination(['parent']),
      regionSearch: relayStylePagination(['filter']),
      persons: relayStylePagination(['filter']),
      households: relayStylePagination(['filter']),
      organizations: relayStylePagination(['filter']),
      teams: relayStylePagination(['filter']),
      personalDataAccesses: relayStylePagination(['filter']),
      peopleDeadLetters: relayStylePagination(['includeReplayed']),
      alliances: relayStylePagination(['region']),
      bankUnits: relayStylePagination(['filter']),
      merchants: relayStylePagination(['filter']),
      funds: relayStylePagination(false),
      pointsDeadLetters: relayStylePagination(['includeReplayed']),
      recognitionDeadLetters: relayStylePagination(['includeReplayed']),
      competitions: relayStylePagination(['filter']),
      certificateApplications: relayStylePagination(['status']),
      certificatesUnderReview: relayStylePagination(false),
      campaigns: relayStylePagination(['filter']),
      serviceRequests: relayStylePagination(['filter']),
      myServiceRequests: relayStylePagination(['relation', 'status']),
      teamQueue: relayStylePagination(['team', 'status']),
      microWishes: relayStylePagination(['filter']),
      activities: relayStylePagination(['filter']),
      openAlerts: relayStylePagination(['filter']),
      requestsDeadLetters: relayStylePagination(['includeReplayed']),
      serviceOffers: relayStylePagination(['filter']),
      serviceNeeds: relayStylePagination(['filter']),
      dutyPosts: relayStylePagination(['filter']),
      carePlans: relayStylePagination(['filter']),
    },
  },
  Quote: {
    keyFields: false,
    merge: true,
  },
  Rating: {
    keyFields: false,
    merge: true,
  },
  RedemptionBucket: {
    keyFields: false,
    merge: true,
  },
  RedemptionConnection: {
    keyFields: false,
  },
  RedemptionEdge: {
    keyFields: false,
  },
  RedemptionFigures: {
    keyFields: false,
    merge: true,
  },
  RedemptionHoldsExpirePayload: {
    keyFields: false,
    merge: true,
  },
  RedemptionPayload: {
    keyFields: false,
    merge: true,
  },
  RedemptionRefundPayload: {
    keyFields: false,
    merge: true,
  },
  RedemptionStats: {
    keyFields: false,
    merge: true,
  },
  RefundConnection: {
    keyFields: false,
  },
  RefundEdge: {
    keyFields: false,
  },
  RegionCaseloadCapSetPayload: {
    keyFields: false,
    merge: true,
  },
  RegionConnection: {
    keyFields: false,
  },
  RegionCreatePayload: {
    keyFields: false,
    merge: true,
  },
  RegionEdge: {
    keyFields: false,
  },
  RegionMovePayload: {
    keyFields: false,
    merge: true,
  },
  RegionPropertyManagementSetPayload: {
    keyFields: false,
    merge: true,
  },
  ResponseTimes: {
    keyFields: false,
    merge: true,
  },
  ReviewClosePayload: {
    keyFields: false,
    merge: true,
  },
  SandboxAccountCreatePayload: {
    keyFields: false,
    merge: true,
  },
  SavingsOfficeIndicators: {
    keyFields: false,
    merge: true,
  },
  ScheduledJob: {
    keyFields: false,
    merge: true,
  },
  ScheduleWindow: {
    keyFields: false,
    merge: true,
  },
  ServiceCategoryPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceHourBucket: {
    keyFields: false,
    merge: true,
  },
  ServiceHourFigures: {
    keyFields: false,
    merge: true,
  },
  ServiceHours: {
    keyFields: false,
    merge: true,
  },
  ServiceHourStats: {
    keyFields: false,
    merge: true,
  },
  ServiceNeedConnection: {
    keyFields: false,
  },
  ServiceNeedEdge: {
    keyFields: false,
  },
  ServiceNeedPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceOfferConnection: {
    keyFields: false,
  },
  ServiceOfferEdge: {
    keyFields: false,
  },
  ServiceOfferPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceProjectPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceProjectResults: {
    keyFields: false,
    merge: true,
  },
  ServiceRecordConnection: {
    keyFields: false,
  },
  ServiceRecordCorrectPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceRecordEdge: {
    keyFields: false,
  },
  ServiceRequestBucket: {
    keyFields: false,
    merge: true,
  },
  ServiceRequestConnection: {
    keyFields: false,
  },
  ServiceRequestCreatePayload: {
    keyFields: false,
    merge: true,
  },
  ServiceRequestEdge: {
    keyFields: false,
  },
  ServiceRequestFigures: {
    keyFields: false,
    merge: true,
  },
  ServiceRequestPayload: {
    keyFields: false,
    merge: true,
  },
  ServiceRequestStats: {
    keyFields: false,
    merge: true,
  },
  ServiceTally: {
    keyFields: false,
    merge: true,
  },
  ServiceTallyBucket: {
    keyFields: false,
    merge: true,
  },
  ServiceTallyFigures: {
    keyFields: false,
    merge: true,
  },
  ServiceTallyStats: {
    keyFields: false,
    merge: true,
  },
  Settlement: {
    keyFields: false,
    merge: true,
    fields: {
      redemptions: relayStylePagination(false),
      refunds: relayStylePagination(false),
    },
  },
  SettlementLineConnection: {
    keyFields: false,
  },
  SettlementLineDisputePayload: {
    keyFields: false,
    merge: true,
  },
  SettlementLineEdge: {
    keyFields: false,
  },
  SettlementStatement: {
    fields: {
      lines: relayStylePagination(false),
    },
  },
  SettlementStatementConnection: {
    keyFields: false,
  },
  SettlementStatementEdge: {
    keyFields: false,
  },
  SettlementStatementPayload: {
    keyFields: false,
    merge: true,
  },
  SettlementStatementStep: {
    keyFields: false,
    merge: true,
  },
  SignedCode: {
    keyFields: false,
    merge: true,
  },
  StarQuality: {
    keyFields: false,
    merge: true,
  },
  StarThresholdsPayload: {
    keyFields: false,
    merge: true,
  },
  StatsPeriod: {
    keyFields: false,
    merge: true,
  },
  Team: {
    fields: {
      members: relayStylePagination(['includeFormer']),
    },
  },
  TeamCaptainSetPayload: {
    keyFields: false,
    merge: true,
  },
  TeamConnection: {
    keyFields: false,
  },
  TeamCreatePayload: {
    keyFields: false,
    merge: true,
  },
  TeamEdge: {
    keyFields: false,
  },
  TeamMemberAddPayload: {
    keyFields: false,
    merge: true,
  },
  TeamMemberConnection: {
    keyFields: false,
  },
  TeamMemberEdge: {
    keyFields: false,
  },
  TeamMemberRemovePayload: {
    keyFields: false,
    merge: true,
  },
  TransferReversePayload: {
    keyFields: false,
    merge: true,
  },
  UserError: {
    keyFields: false,
    merge: true,
  },
  Viewer: {
    fields: {
      notifications: relayStylePagination(['unreadOnly']),
    },
  },
  VolunteerBucket: {
    keyFields: false,
    merge: true,
  },
  VolunteerFigures: {
    keyFields: false,
    merge: true,
  },
  VolunteerLeaderboardEntry: {
    keyFields: false,
    merge: true,
  },
  VolunteerProfile: {
    keyFields: false,
    merge: true,
  },
  VolunteerProfileSetPayload: {
    keyFields: false,
    merge: true,
  },
  VolunteerStar: {
    keyFields: false,
    merge: true,
  },
  VolunteerStats: {
    keyFields: false,
    merge: true,
  },
  WishFulfilment: {
    keyFields: false,
    merge: true,
  },
  WishHoursClaim: {
    keyFields: false,
    merge: true,
  },
};
