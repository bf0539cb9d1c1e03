/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What `activityCheckIn` needs. */
export type ActivityCheckInInput = {
  /** The payload of the check-in QR code. */
  code: string;
};

/** What `activityCheckOut` needs. */
export type ActivityCheckOutInput = {
  /** The payload of the check-out QR code. */
  code: string;
};

/** What `activityHoursApprove` needs. */
export type ActivityHoursApproveInput = {
  /** The activity, ended. */
  activity: string | number;
  /** The volunteers whose hours to approve: 1 to 500, each once. */
  attendances: Array<AttendanceApprovalInput>;
};

/** What `activitySignUp` needs. */
export type ActivitySignUpInput = {
  /** The activity, not yet ended. */
  activity: string | number;
};

/** What `alertAcknowledge` needs. */
export type AlertAcknowledgeInput = {
  /** The open alert. */
  alert: string | number;
  /** What the acknowledger found or did: at most 500 characters. */
  note?: string | null | undefined;
};

/** What raised an alert. */
export type AlertKind =
  /** The call button was pressed. */
  | 'CALL_BUTTON'
  /** The motion sensor saw nobody for longer than the device allows. */
  | 'INACTIVITY';

/** One volunteer's hours to approve. */
export type AttendanceApprovalInput = {
  /** Minutes to approve, 1 to the activity's length; the minutes checked when omitted. */
  minutes?: number | null | undefined;
  /** The volunteer, checked out of the activity. */
  person: string | number;
};

/** A material used in a service. */
export type MaterialUsedInput = {
  /** What it was: 1 to 100 characters. */
  name: string;
  /** How many: 1 to 10,000. */
  quantity: number;
};

/** Price tiers, following the household's hardship level. */
export type PriceTier =
  /** A low-income household (低保): pays the materials only; the charity fund pays the labour. */
  | 'LOW_INCOME'
  /** An ordinary household: pays the community's share of the labour price (e.g. 80%) and the materials. */
  | 'ORDINARY'
  /** A special-hardship household (特困): pays nothing; the charity fund pays the full cost. */
  | 'SPECIAL_HARDSHIP';

/** Levels of the region tree. */
export type RegionKind =
  /** 楼栋 */
  | 'BUILDING'
  /** 市 */
  | 'CITY'
  /** 社区 */
  | 'COMMUNITY'
  /** 小区 (residential compound) */
  | 'COMPOUND'
  /** 区/县 */
  | 'DISTRICT'
  /** 省 */
  | 'PROVINCE'
  /** 街道 */
  | 'STREET'
  /** 镇 */
  | 'TOWN'
  /** 村 */
  | 'VILLAGE';

/** How a request reached the community. */
export type RequestChannel =
  /** The resident app. */
  | 'APP'
  /** Collected by a building captain (楼栋长) for a resident of their building. */
  | 'BUILDING_CAPTAIN'
  /** Raised at a courtyard meeting (院坝会) and recorded by whoever files for the resident. */
  | 'COURTYARD_MEETING'
  /** Raised by a call button or sensor at home (一键呼叫). */
  | 'DEVICE'
  /** Collected by a grid worker (网格员) for the resident. */
  | 'GRID_WORKER'
  /** Found on a home visit (大走访) and recorded by whoever files for the resident. */
  | 'HOME_VISIT'
  /** The WeChat mini program. */
  | 'MINI_PROGRAM'
  /** A phone call to the station. */
  | 'PHONE'
  /** Collected from a neighbourhood QQ group (QQ群) by whoever files for the resident. */
  | 'QQ_GROUP'
  /** In person at the station. */
  | 'WALK_IN'
  /** Collected from a neighbourhood WeChat group (微信群) by whoever files for the resident. */
  | 'WECHAT_GROUP';

/** How soon help is needed. */
export type RequestUrgency =
  /** In the ordinary course. */
  | 'NORMAL'
  /** At once: a call button press, or an emergency reported by staff. */
  | 'URGENT';

/**
 * What a token may let its bearer do; the gateway reads the roles from the
 * identity provider's token.
 */
export type Role =
  /** 分析员: reads figures across regions. */
  | 'ANALYST'
  /** 积分银行柜员: keeps passbooks and the points bank's counter. */
  | 'BANK_CLERK'
  /** 社区管理员: administers a community in its region scope. */
  | 'COMMUNITY_ADMIN'
  /** 网格员: looks after a grid, its residents and households. */
  | 'GRID_WORKER'
  /** 商户: a partner merchant's till, redeeming points for goods. */
  | 'MERCHANT'
  /** 平台管理员: administers the whole platform, everywhere. */
  | 'PLATFORM_ADMIN'
  /** 居民: asks for help, agrees quotes, rates. */
  | 'RESIDENT'
  /** 实践站管理员: runs a station of the practice network in its region scope. */
  | 'STATION_ADMIN'
  /** 服务队队长: leads a volunteer service team. */
  | 'TEAM_CAPTAIN'
  /** 志愿者: takes and carries out requests, banks hours as points. */
  | 'VOLUNTEER';

/** Kinds of service record. */
export type ServiceRecordKind =
  /** Undoes another record, minute for minute. */
  | 'REVERSAL'
  /** Time served. */
  | 'SERVICE';

/** What `serviceRequestAccept` needs. */
export type ServiceRequestAcceptInput = {
  /** The dispatched request. */
  request: string | number;
};

/** What `serviceRequestApprove` needs. */
export type ServiceRequestApproveInput = {
  /** Where the help is needed, when the request has no place yet or has the wrong one; must lie inside the approver's scope. */
  place?: string | number | null | undefined;
  /** A note for the history. */
  reason?: string | null | undefined;
  /** The submitted request. */
  request: string | number;
};

/** What `serviceRequestComplete` needs. */
export type ServiceRequestCompleteInput = {
  /** Photos or documents showing the work: at most 10 http(s) URLs. */
  evidenceUrls?: Array<string> | null | undefined;
  /** Materials used: at most 50. */
  materialsUsed?: Array<MaterialUsedInput> | null | undefined;
  /** What was done: 1 to 2000 characters. */
  note: string;
  /** The request in service. */
  request: string | number;
};

/** A request for help to file. */
export type ServiceRequestCreateInput = {
  /** Code of the category, e.g. `home_repair`. */
  category: string | number;
  /** How the request came in; APP when omitted, or GRID_WORKER (BUILDING_CAPTAIN for a building captain) when filed on someone's behalf. */
  channel?: RequestChannel | null | undefined;
  /** What is needed: 1 to 2000 characters, surrounding blanks ignored. */
  description: string;
  /**
   * Where the help is needed: the requester's building, compound or community.
   * The station of that place reviews it; without a place only platform admins
   * can, until one is given on approval.
   */
  place?: string | number | null | undefined;
  /**
   * The person who needs the help; the viewer when omitted. Only grid workers,
   * staff, and building captains (for a place in their building) may file for
   * someone else.
   */
  requester?: string | number | null | undefined;
  /** How soon; NORMAL when omitted. Only staff file URGENT requests. */
  urgency?: RequestUrgency | null | undefined;
  /** When the requester would like the help. */
  wishedAt?: string | null | undefined;
};

/** What `serviceRequestDispatch` needs: a team or one volunteer, not both. */
export type ServiceRequestDispatchInput = {
  /** The one volunteer who may accept it. */
  person?: string | number | null | undefined;
  /** A note for the history, e.g. why it is re-dispatched. */
  reason?: string | null | undefined;
  /** The approved (or already dispatched or accepted) request. */
  request: string | number;
  /** The team whose members may accept it. */
  team?: string | number | null | undefined;
};

/** What `serviceRequestQuoteAgree` needs. */
export type ServiceRequestQuoteAgreeInput = {
  /** `Quote.token` as read; refused when tampered with, expired, or the quote changed since. */
  quoteToken: string;
  /** The request. */
  request: string | number;
};

/** What `serviceRequestQuote` needs. */
export type ServiceRequestQuoteInput = {
  /** Market price of the labour, in fen, 0 to 10,000,000. */
  labour: number;
  /** Price of the materials, in fen, 0 to 10,000,000. */
  materials: number;
  /** The priced request, approved and not yet in service. */
  request: string | number;
};

/** What `serviceRequestRate` needs. */
export type ServiceRequestRateInput = {
  /** What the rater wants to say: at most 500 characters. */
  comment?: string | null | undefined;
  /** The completed request. */
  request: string | number;
  /** 1 (poor) to 5 (excellent). */
  score: number;
};

/** What `serviceRequestStart` needs. */
export type ServiceRequestStartInput = {
  /** The accepted request. */
  request: string | number;
};

/** Where a request is in its flow: 点单 → 审核 → 派单 → 接单 → 服务 → 评单. */
export type ServiceRequestStatus =
  /** Accepted by a team member (接单). */
  | 'ACCEPTED'
  /** Approved by the station, waiting to be dispatched. */
  | 'APPROVED'
  /** Withdrawn before it was served. */
  | 'CANCELLED'
  /** Service done, waiting for the requester's rating. */
  | 'COMPLETED'
  /** Dispatched to a team (派单), waiting for a member to accept it. */
  | 'DISPATCHED'
  /** The volunteer is serving now. */
  | 'IN_SERVICE'
  /** Rated by the requester (评单); the request is closed. */
  | 'RATED'
  /** Turned down by the station, with a reason. */
  | 'REJECTED'
  /** Filed, waiting for the station to review it. */
  | 'SUBMITTED';

/** Whether a volunteer has a place at an activity. */
export type SignupStatus =
  /** Gave the place back. */
  | 'CANCELLED'
  /** Has a place. */
  | 'CONFIRMED'
  /** Waits for a place; moves up when someone gives theirs back. */
  | 'WAITLISTED';

/** What a team does. */
export type TeamKind =
  /** 综合: anything else. */
  | 'GENERAL'
  /** 健康: health consultations and care. */
  | 'HEALTH'
  /** 家长帮帮团: parents' help group. */
  | 'PARENTS_HELP'
  /** 党员: party members' vanguard team. */
  | 'PARTY_MEMBERS'
  /** 维修: home repairs. */
  | 'REPAIR'
  /** 特殊群体: serves special-needs households. */
  | 'SPECIAL_NEEDS'
  /** 巾帼: women's team. */
  | 'WOMEN';

/** Why points moved. */
export type TransferCause =
  /** A manual credit by bank staff: an adjustment one asked for and another approved. */
  | 'ADJUSTMENT'
  /** Part of a deposit paid back to the bank towards a debt (欠分) the account owed; its reference is the debt's id. */
  | 'DEBT_REPAYMENT'
  /** A gift of points from a customer to another customer or to a charity fund (互助捐赠). */
  | 'DONATION'
  /** Points given when an account was opened. */
  | 'OPENING'
  /** A redemption at a merchant (兑换). */
  | 'REDEMPTION'
  /** Points a merchant gave back for a refunded redemption (退货); the reference is the refund. */
  | 'REFUND'
  /** The reversal of an earlier transfer: the whole of it, or, when a service record's correction found its points spent, what was available (the rest became a debt). */
  | 'REVERSAL'
  /** Sandbox points, which are not real, given to a sandbox test customer from the sandbox issuance account; its reference is the sandbox merchant's id. */
  | 'SANDBOX'
  /** A deposit for an approved service record (积分入折). */
  | 'SERVICE_RECORD';

/** Reasons a mutation can refuse. */
export type UserErrorCode =
  /** The object was decided before, the other way: a decision is made once. */
  | 'ALREADY_DECIDED'
  /** The object already exists and may exist only once. */
  | 'ALREADY_EXISTS'
  /** The caretaker holds as many households as the region's caseload cap allows (`Region.caseloadCap`). */
  | 'CASELOAD_FULL'
  /** A judge may not score a project of their own team or organisation. */
  | 'CONFLICT_OF_INTEREST'
  /** A signed code or token is past its expiry (a door QR code, a price quote); ask for a fresh one. */
  | 'EXPIRED'
  /** The hold expired before it was captured or voided; its points are released. */
  | 'HOLD_EXPIRED'
  /** The same idempotency key came with a different input. */
  | 'IDEMPOTENCY_CONFLICT'
  /** The fund's money does not cover the amount. */
  | 'INSUFFICIENT_FUNDS'
  /** The account's available points (balance less open holds) do not cover the amount. */
  | 'INSUFFICIENT_POINTS'
  /** A value has the wrong form or is out of range. */
  | 'INVALID'
  /** The object is not in a state that allows this. */
  | 'INVALID_STATE'
  /** The amount is over a limit the bank sets, e.g. the points one donor may give in a day. */
  | 'LIMIT_EXCEEDED'
  /** The viewer may not do this to this object. */
  | 'NOT_ALLOWED'
  /** The nominee does not meet a condition of the category; the message says which. */
  | 'NOT_ELIGIBLE'
  /** A referenced object does not exist. */
  | 'NOT_FOUND'
  /** A catalogue item has less stock than asked for. */
  | 'OUT_OF_STOCK'
  /** The payment code cannot pay here: unknown, expired, used or another bank's; the same answer for each. */
  | 'PAYMENT_CODE_INVALID'
  /** This till takes payment codes, not passbook numbers. */
  | 'PAYMENT_CODE_REQUIRED'
  /** A refund asked for more of a redemption line than is left to give back. */
  | 'REFUND_EXCEEDS'
  /** The redemption was captured longer ago than refunds are taken. */
  | 'REFUND_PERIOD_OVER'
  /** A required value is missing or empty. */
  | 'REQUIRED'
  /** The merchant's redemption window is closed at this moment. */
  | 'WINDOW_CLOSED';

export type AcknowledgeAlertMutationVariables = Exact<{
  input: AlertAcknowledgeInput;
}>;


export type AcknowledgeAlertMutation = { alertAcknowledge: { alert: { id: string, acknowledgedAt: string | null, acknowledgementNote: string | null, acknowledgedBy: { id: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type ApproveHoursMutationVariables = Exact<{
  input: ActivityHoursApproveInput;
}>;


export type ApproveHoursMutation = { activityHoursApprove: { serviceRecords: Array<{ id: string, minutes: number, volunteer: { id: string, displayName: string } | null, verifiedBy: { id: string } | null }>, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type ApproveRequestMutationVariables = Exact<{
  input: ServiceRequestApproveInput;
}>;


export type ApproveRequestMutation = { serviceRequestApprove: { serviceRequest: { id: string, status: ServiceRequestStatus } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type DispatchRequestMutationVariables = Exact<{
  input: ServiceRequestDispatchInput;
}>;


export type DispatchRequestMutation = { serviceRequestDispatch: { serviceRequest: { id: string, status: ServiceRequestStatus, dispatchedTeam: { id: string, name: string } | null, dispatchedPerson: { id: string, displayName: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type OpenAlertsQueryVariables = Exact<{
  region?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type OpenAlertsQuery = { openAlerts: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, kind: AlertKind, raisedAt: string, ageSeconds: number, place: { id: string, name: string } | null, resident: { id: string, displayName: string } | null, notify: { id: string, displayName: string } | null, serviceRequest: { id: string, status: ServiceRequestStatus } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type RequestQueueQueryVariables = Exact<{
  region?: string | number | null | undefined;
  status?: Array<ServiceRequestStatus> | ServiceRequestStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RequestQueueQuery = { serviceRequests: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: ServiceRequestStatus, urgency: RequestUrgency, channel: RequestChannel, description: string, createdAt: string, category: { code: string, name: string }, place: { id: string, name: string } | null, requester: { id: string, displayName: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type RegionFiguresQueryVariables = Exact<{
  region: string | number;
  activitiesFrom?: string | null | undefined;
}>;


export type RegionFiguresQuery = { region: { id: string, name: string, kind: RegionKind, children: Array<{ id: string, name: string }> } | null, open: { totalCount: number } | null, done: { totalCount: number } | null, alerts: { totalCount: number } | null, activities: { edges: Array<{ node: { id: string, title: string, startsAt: string, capacity: number, confirmedCount: number } }> } | null };

export type AgreeQuoteMutationVariables = Exact<{
  input: ServiceRequestQuoteAgreeInput;
}>;


export type AgreeQuoteMutation = { serviceRequestQuoteAgree: { serviceRequest: { id: string, status: ServiceRequestStatus, agreedPrice: { residentPays: number, charityFundPays: number } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type CategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type CategoriesQuery = { categories: Array<{ code: string, name: string, priced: boolean }> | null };

export type MyRequestsQueryVariables = Exact<{
  status?: Array<ServiceRequestStatus> | ServiceRequestStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyRequestsQuery = { myServiceRequests: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: ServiceRequestStatus, createdAt: string, category: { code: string, name: string }, assignee: { id: string, displayName: string } | null, rating: { score: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type OrderHelpMutationVariables = Exact<{
  input: ServiceRequestCreateInput;
}>;


export type OrderHelpMutation = { serviceRequestCreate: { serviceRequest: { id: string, status: ServiceRequestStatus, urgency: RequestUrgency, createdAt: string, category: { code: string, name: string }, place: { id: string, name: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type RateServiceMutationVariables = Exact<{
  input: ServiceRequestRateInput;
}>;


export type RateServiceMutation = { serviceRequestRate: { serviceRequest: { id: string, status: ServiceRequestStatus, rating: { score: number, comment: string | null, ratedAt: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type RequestQuoteQueryVariables = Exact<{
  id: string | number;
}>;


export type RequestQuoteQuery = { serviceRequest: { id: string, status: ServiceRequestStatus, cost: { labour: number, materials: number, total: number } | null, quote: { tier: PriceTier, residentPays: number, charityFundPays: number, total: number, token: string, tokenExpiresAt: string } | null } | null };

export type AcceptRequestMutationVariables = Exact<{
  input: ServiceRequestAcceptInput;
}>;


export type AcceptRequestMutation = { serviceRequestAccept: { serviceRequest: { id: string, status: ServiceRequestStatus, assignee: { id: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type ActivitySignUpMutationVariables = Exact<{
  input: ActivitySignUpInput;
}>;


export type ActivitySignUpMutation = { activitySignUp: { signup: { status: SignupStatus, signedUpAt: string, activity: { id: string, confirmedCount: number, waitlistCount: number } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type CheckInMutationVariables = Exact<{
  input: ActivityCheckInInput;
}>;


export type CheckInMutation = { activityCheckIn: { attendance: { checkedInAt: string, checkedOutAt: string | null, minutes: number | null, activity: { id: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type CheckOutMutationVariables = Exact<{
  input: ActivityCheckOutInput;
}>;


export type CheckOutMutation = { activityCheckOut: { attendance: { checkedInAt: string, checkedOutAt: string | null, minutes: number | null, activity: { id: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type CompleteServiceMutationVariables = Exact<{
  input: ServiceRequestCompleteInput;
}>;


export type CompleteServiceMutation = { serviceRequestComplete: { serviceRequest: { id: string, status: ServiceRequestStatus, completedAt: string | null, serviceRecord: { id: string, minutes: number } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type MyHoursQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyHoursQuery = { me: { id: string, person: { id: string, serviceHours: { minutes: number, hours: number, records: number } | null, serviceTally: { hours: number, services: number, averageRating: number | null } | null, serviceRecords: { edges: Array<{ cursor: string, node: { id: string, kind: ServiceRecordKind, minutes: number, servedAt: string, category: { code: string, name: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null } | null } | null };

export type MyPassbookQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyPassbookQuery = { me: { id: string, person: { id: string, account: { id: string, passbookNumber: string, balance: number, heldPoints: number, availablePoints: number, transfers: { totalCount: number, edges: Array<{ cursor: string, node: { line: number, date: string, cause: TransferCause, amount: number, balanceAfter: number, reference: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null } | null } | null };

export type MyQueueQueryVariables = Exact<{
  team: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyQueueQuery = { teamQueue: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: ServiceRequestStatus, urgency: RequestUrgency, description: string, createdAt: string, wishedAt: string | null, category: { code: string, name: string }, place: { id: string, name: string } | null, requester: { id: string, displayName: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null, me: { id: string, person: { id: string, openTasks: { totalCount: number, edges: Array<{ node: { id: string, status: ServiceRequestStatus, urgency: RequestUrgency, description: string, createdAt: string, wishedAt: string | null, category: { code: string, name: string }, place: { id: string, name: string } | null, requester: { id: string, displayName: string } | null } }> } | null } | null } | null };

export type QueueItemFragment = { id: string, status: ServiceRequestStatus, urgency: RequestUrgency, description: string, createdAt: string, wishedAt: string | null, category: { code: string, name: string }, place: { id: string, name: string } | null, requester: { id: string, displayName: string } | null };

export type MyTeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyTeamsQuery = { me: { id: string, roles: Array<Role>, person: { id: string, displayName: string, teams: Array<{ id: string, name: string, kind: TeamKind }> } | null } | null };

export type QuotePriceMutationVariables = Exact<{
  input: ServiceRequestQuoteInput;
}>;


export type QuotePriceMutation = { serviceRequestQuote: { serviceRequest: { id: string, status: ServiceRequestStatus, cost: { labour: number, materials: number, total: number } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type ShowPaymentCodeMutationVariables = Exact<{ [key: string]: never; }>;


export type ShowPaymentCodeMutation = { paymentCodeIssue: { paymentCode: { code: string, expiresAt: string } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export type StartServiceMutationVariables = Exact<{
  input: ServiceRequestStartInput;
}>;


export type StartServiceMutation = { serviceRequestStart: { serviceRequest: { id: string, status: ServiceRequestStatus, assignee: { id: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } | null };

export const QueueItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"QueueItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequest"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"wishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"place"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requester"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]} as unknown as DocumentNode<QueueItemFragment, unknown>;
export const AcknowledgeAlertDocument = {"__meta__":{"hash":"sha256:edf8c6cf743ce43e4c777ad7b2d300185c332e3223f8fef000584941258e0663"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcknowledgeAlert"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AlertAcknowledgeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alertAcknowledge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alert"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementNote"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const ApproveHoursDocument = {"__meta__":{"hash":"sha256:8b6998f6bd2dc341438c578fbcc72967dfb74934362a1fb3681982a5e8e66bb6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApproveHours"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivityHoursApproveInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activityHoursApprove"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRecords"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"volunteer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"verifiedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ApproveHoursMutation, ApproveHoursMutationVariables>;
export const ApproveRequestDocument = {"__meta__":{"hash":"sha256:570d16fcf9a719fd7d22d66d95e4494bd4c101685bfa319b3d8b18a8dcf896bc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApproveRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestApproveInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestApprove"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ApproveRequestMutation, ApproveRequestMutationVariables>;
export const DispatchRequestDocument = {"__meta__":{"hash":"sha256:5d3a23c81c1d90f02272f03e77ad5362099c4c84bd4a5f2b9b90f934a70477db"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DispatchRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestDispatchInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestDispatch"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedTeam"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dispatchedPerson"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DispatchRequestMutation, DispatchRequestMutationVariables>;
export const OpenAlertsDocument = {"__meta__":{"hash":"sha256:0dcc111e9005c00f5ad9dad6bae012081aaa5c0b415444fb3e520217884ad4c0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OpenAlerts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"region"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openAlerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"raisedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ageSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"place"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resident"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notify"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<OpenAlertsQuery, OpenAlertsQueryVariables>;
export const RequestQueueDocument = {"__meta__":{"hash":"sha256:4aa02f05173fa2e9587c19fc03f0da5be3f6aa08b0459e906e6b4b03c0dea58b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RequestQueue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"region"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestStatus"}}}},"defaultValue":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"SUBMITTED"},{"kind":"EnumValue","value":"APPROVED"}]}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"place"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requester"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<RequestQueueQuery, RequestQueueQueryVariables>;
export const RegionFiguresDocument = {"__meta__":{"hash":"sha256:b0bfff3b7dc2ea7635aed9928173eca6ddc9242c16d0626e4b046f917c0716a7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionFigures"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"region"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"activitiesFrom"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"open"},"name":{"kind":"Name","value":"serviceRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"SUBMITTED"},{"kind":"EnumValue","value":"APPROVED"},{"kind":"EnumValue","value":"DISPATCHED"},{"kind":"EnumValue","value":"ACCEPTED"},{"kind":"EnumValue","value":"IN_SERVICE"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"done"},"name":{"kind":"Name","value":"serviceRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"COMPLETED"},{"kind":"EnumValue","value":"RATED"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"alerts"},"name":{"kind":"Name","value":"openAlerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"startsFrom"},"value":{"kind":"Variable","name":{"kind":"Name","value":"activitiesFrom"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"confirmedCount"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RegionFiguresQuery, RegionFiguresQueryVariables>;
export const AgreeQuoteDocument = {"__meta__":{"hash":"sha256:d58fc94fdf51a738671e576c60e4fa4d08e90be15c8fa3943327e870acc96309"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AgreeQuote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestQuoteAgreeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestQuoteAgree"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agreedPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"residentPays"}},{"kind":"Field","name":{"kind":"Name","value":"charityFundPays"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AgreeQuoteMutation, AgreeQuoteMutationVariables>;
export const CategoriesDocument = {"__meta__":{"hash":"sha256:0c3f120cfd529e87304ed5d7764bcca12ad53d2e2f9cf48ece97737138a7bb79"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Categories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"categories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}}]}}]}}]} as unknown as DocumentNode<CategoriesQuery, CategoriesQueryVariables>;
export const MyRequestsDocument = {"__meta__":{"hash":"sha256:5a919b610e175888aecfda65adda2c58ad9045ede4736f9e0323b7794e0ff7b0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyRequests"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestStatus"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myServiceRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"relation"},"value":{"kind":"EnumValue","value":"REQUESTED"}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<MyRequestsQuery, MyRequestsQueryVariables>;
export const OrderHelpDocument = {"__meta__":{"hash":"sha256:41ff0061905ada4242f123ff6e9dffbaf797ba52f1839d5fa0118313ba0cd6d4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"OrderHelp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestCreate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"place"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<OrderHelpMutation, OrderHelpMutationVariables>;
export const RateServiceDocument = {"__meta__":{"hash":"sha256:bfb99a5ccc6dbff527226e7eca15d34d8200a81bba2b68f19af84b802ef6cc75"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RateService"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestRateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestRate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"ratedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RateServiceMutation, RateServiceMutationVariables>;
export const RequestQuoteDocument = {"__meta__":{"hash":"sha256:59086c46f075f407ab964116be02b00bfe03edc944449ca171569259c82c819b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RequestQuote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"cost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"labour"}},{"kind":"Field","name":{"kind":"Name","value":"materials"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quote"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"residentPays"}},{"kind":"Field","name":{"kind":"Name","value":"charityFundPays"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"tokenExpiresAt"}}]}}]}}]}}]} as unknown as DocumentNode<RequestQuoteQuery, RequestQuoteQueryVariables>;
export const AcceptRequestDocument = {"__meta__":{"hash":"sha256:b355f35c262fbf19eb3365cb9e2a55f8a6b45eb48a3c977a115ee3f70d04bfc5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcceptRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestAcceptInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestAccept"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AcceptRequestMutation, AcceptRequestMutationVariables>;
export const ActivitySignUpDocument = {"__meta__":{"hash":"sha256:66f16fd1c3907178df23e7dca4aa4d3f44851888fc25ca94c76a829c46696df5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ActivitySignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivitySignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activitySignUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"signedUpAt"}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"confirmedCount"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistCount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ActivitySignUpMutation, ActivitySignUpMutationVariables>;
export const CheckInDocument = {"__meta__":{"hash":"sha256:febb966d5c49985e5deadc15557cb25065cbe9652dadddbe810861ed776ff3f0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivityCheckInInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activityCheckIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attendance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}},{"kind":"Field","name":{"kind":"Name","value":"checkedOutAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CheckInMutation, CheckInMutationVariables>;
export const CheckOutDocument = {"__meta__":{"hash":"sha256:ece69aad7645957ee982b0699e8636894b8893838c97123973792fd3fbee5ed3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckOut"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivityCheckOutInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activityCheckOut"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attendance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkedInAt"}},{"kind":"Field","name":{"kind":"Name","value":"checkedOutAt"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CheckOutMutation, CheckOutMutationVariables>;
export const CompleteServiceDocument = {"__meta__":{"hash":"sha256:7316d345accb0fd88c62c5a777785ae522e066741c4299d86286c26be487c1e8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteService"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestCompleteInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestComplete"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"serviceRecord"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CompleteServiceMutation, CompleteServiceMutationVariables>;
export const MyHoursDocument = {"__meta__":{"hash":"sha256:24968c479dea4ff8a02dea08e047fe2ebbe1a71ba919de1d7beb49b0a2a13703"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyHours"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"serviceHours"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"hours"}},{"kind":"Field","name":{"kind":"Name","value":"records"}}]}},{"kind":"Field","name":{"kind":"Name","value":"serviceTally"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hours"}},{"kind":"Field","name":{"kind":"Name","value":"services"}},{"kind":"Field","name":{"kind":"Name","value":"averageRating"}}]}},{"kind":"Field","name":{"kind":"Name","value":"serviceRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"minutes"}},{"kind":"Field","name":{"kind":"Name","value":"servedAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyHoursQuery, MyHoursQueryVariables>;
export const MyPassbookDocument = {"__meta__":{"hash":"sha256:3d89d6371ffca0605632e0894ba0c4418da1d400521124b5570c7c5b992879fe"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyPassbook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"passbookNumber"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"heldPoints"}},{"kind":"Field","name":{"kind":"Name","value":"availablePoints"}},{"kind":"Field","name":{"kind":"Name","value":"transfers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"balanceAfter"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyPassbookQuery, MyPassbookQueryVariables>;
export const MyQueueDocument = {"__meta__":{"hash":"sha256:d463bc2acaddfa710a5249d447376bd2457cce126f27c036e4b8c8a4ed2ceed2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyQueue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"team"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teamQueue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"team"},"value":{"kind":"Variable","name":{"kind":"Name","value":"team"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"DISPATCHED"}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"QueueItem"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"openTasks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"QueueItem"}}]}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"QueueItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequest"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"wishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"category"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"place"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requester"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]} as unknown as DocumentNode<MyQueueQuery, MyQueueQueryVariables>;
export const MyTeamsDocument = {"__meta__":{"hash":"sha256:b79f094f0f05ed0cc099a1347b8f324cf9c2c9552e9f0155677c2ecf69b4d8fd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyTeams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyTeamsQuery, MyTeamsQueryVariables>;
export const QuotePriceDocument = {"__meta__":{"hash":"sha256:f278ed9846115713ea44fe0389c51be39c6f1079c35ad736538e29b2ea5f55c4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"QuotePrice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestQuoteInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestQuote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"cost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"labour"}},{"kind":"Field","name":{"kind":"Name","value":"materials"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<QuotePriceMutation, QuotePriceMutationVariables>;
export const ShowPaymentCodeDocument = {"__meta__":{"hash":"sha256:e8912054be085b811eaff42b55ecb11a5f41b14db991f9bd59af6a10ecbf1ecd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ShowPaymentCode"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentCodeIssue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentCode"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ShowPaymentCodeMutation, ShowPaymentCodeMutationVariables>;
export const StartServiceDocument = {"__meta__":{"hash":"sha256:d450127aa1ab13efa47b6be9ca5b73788871c3e9212805b19fda717415fe25ff"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartService"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ServiceRequestStartInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequestStart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"assignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<StartServiceMutation, StartServiceMutationVariables>;