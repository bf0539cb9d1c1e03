/**
 * The authorisation matrix, through the gateway: every kind of viewer against
 * the sensitive operations of every subgraph. Each row says who may; every
 * other signed-in viewer is FORBIDDEN and an anonymous one UNAUTHENTICATED
 * (unless the row names `anonymous` among those who may). A mutation naming
 * an object the viewer may not see is FORBIDDEN too, as for an id that names
 * none; only a platform admin, who sees everything, is told the id names
 * nothing (a user error).
 * Add an operation by adding a row; add a viewer by adding it to `viewers`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Role } from '@lianxin/shared';
import {
  DEMO_GRIDS,
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_SAMPLE_PERSON_ID,
  DEMO_TEAM,
  DEMO_XINCHENG_REGIONS,
  demoId,
} from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';

/** A person the demo data knows nothing about: holds no account, files nothing, belongs to no team or household. */
const STRANGER = '00000000-0000-7000-8fff-000000000001';
const MERCHANT = '00000000-0000-7000-8fff-000000000002';
/** Staff act inside Xingle community, where the sample person lives. */
const XINGLE = [DEMO_REGIONS.xingle.id];

type ViewerName = 'anonymous' | Role;
const viewers: Record<ViewerName, { roles: Role[]; personId?: string; regionIds?: string[]; merchantId?: string } | null> = {
  anonymous: null,
  resident: { roles: ['resident'], personId: STRANGER },
  volunteer: { roles: ['volunteer'], personId: STRANGER },
  team_captain: { roles: ['team_captain'], personId: STRANGER },
  grid_worker: { roles: ['grid_worker'], personId: STRANGER, regionIds: XINGLE },
  station_admin: { roles: ['station_admin'], personId: STRANGER, regionIds: XINGLE },
  community_admin: { roles: ['community_admin'], personId: STRANGER, regionIds: XINGLE },
  // Not assigned to any savings office: a clerk serves only the offices they are assigned to.
  bank_clerk: { roles: ['bank_clerk'], personId: STRANGER },
  merchant: { roles: ['merchant'], merchantId: MERCHANT },
  analyst: { roles: ['analyst'], personId: STRANGER },
  platform_admin: { roles: ['platform_admin'], personId: STRANGER },
};

/** Ids of the sample person's things, looked up once by a platform admin. */
interface Fixtures {
  requestId: string;
  accountId: string;
  badgeId: string;
  /** Adjustments of the sample person's account requested by another platform admin, waiting for a decision. */
  adjustmentToApprove: string;
  adjustmentToReject: string;
  /** The demo's honour certificate of the sample person (最美志愿服务组织者, from the demo's campaign). */
  certificate: { id: string; number: string; code: string };
}

interface Operation {
  subgraph: 'people' | 'requests' | 'points' | 'recognition';
  name: string;
  query: string;
  variables?: (fixtures: Fixtures) => Record<string, unknown>;
  /** Who may: everyone (anonymous too), anyone signed in, or these viewers only. */
  allowed: 'everyone' | 'signed-in' | readonly ViewerName[];
}

const sample = { id: DEMO_SAMPLE_PERSON_ID };
/** An id that names nothing. */
const MADE_UP = '00000000-0000-7000-8fff-0000000000ac';
/** The demo district's head bank and the Xingle savings office (points' demo units 22/1 and 22/3). */
const HEAD_BANK = demoId(22, 1);
const XINGLE_OFFICE = demoId(22, 3);
/** The demo's published honour campaign of 新城区 and its first category (recognition's demo, groups 60). */
const DEMO_CAMPAIGN = demoId(60, 1);
const DEMO_CAMPAIGN_CATEGORY = demoId(60, 11);
/** Who manages badges and closes reviews: station and community admins (within their regions) and platform admins. */
const BADGE_ADMINS: readonly ViewerName[] = ['station_admin', 'community_admin', 'platform_admin'];
/** Who acts for a service project's owner: team captains and the admins of its teams' communities (then checked on the owner itself). */
const PROJECT_LEADERS: readonly ViewerName[] = ['team_captain', 'station_admin', 'community_admin', 'platform_admin'];
/** Who may see a person (docs/people.md): every signed-in viewer but a merchant's till. */
const PERSON_READERS: readonly ViewerName[] = (Object.keys(viewers) as ViewerName[]).filter((viewer) => viewer !== 'anonymous' && viewer !== 'merchant');
const operations: Operation[] = [
  {
    subgraph: 'people',
    name: 'persons (the list of everyone)',
    query: '{ persons(first: 1) { totalCount } }',
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'platform_admin'],
  },
  { subgraph: 'people', name: 'person', query: 'query ($id: ID!) { person(id: $id) { name } }', variables: () => sample, allowed: PERSON_READERS },
  { subgraph: 'people', name: 'team', query: `{ team(id: "${DEMO_TEAM.id}") { name } }`, allowed: 'everyone' },
  { subgraph: 'people', name: 'Team.memberCount', query: `{ team(id: "${DEMO_TEAM.id}") { memberCount } }`, allowed: 'everyone' },
  {
    subgraph: 'people',
    name: 'Team.captain (display name)',
    query: `{ team(id: "${DEMO_TEAM.id}") { captain { displayName } } }`,
    allowed: ['anonymous', ...PERSON_READERS],
  },
  { subgraph: 'people', name: 'Team.captain (name)', query: `{ team(id: "${DEMO_TEAM.id}") { captain { name } } }`, allowed: PERSON_READERS },
  { subgraph: 'people', name: 'Team.members', query: `{ team(id: "${DEMO_TEAM.id}") { members(first: 1) { edges { node { name } } } } }`, allowed: PERSON_READERS },
  { subgraph: 'people', name: 'Grid.worker', query: `{ grid(id: "${DEMO_GRIDS[0]!.id}") { worker { name } } }`, allowed: PERSON_READERS },
  { subgraph: 'people', name: 'Region.buildingCaptain', query: `{ region(id: "${DEMO_REGIONS.eastBuilding1.id}") { buildingCaptain { name } } }`, allowed: PERSON_READERS },
  // A till reads nothing of residents' wishes, activities or requests: they are about persons.
  { subgraph: 'requests', name: 'microWishes (published)', query: '{ microWishes(first: 1) { edges { node { title } } } }', allowed: PERSON_READERS },
  { subgraph: 'requests', name: 'activities', query: '{ activities(first: 1) { edges { node { title } } } }', allowed: PERSON_READERS },
  { subgraph: 'requests', name: 'myServiceRequests', query: '{ myServiceRequests(first: 1) { edges { node { status } } } }', allowed: PERSON_READERS },
  {
    subgraph: 'requests',
    name: "serviceRequest (someone else's)",
    query: 'query ($id: ID!) { serviceRequest(id: $id) { status } }',
    variables: ({ requestId }) => ({ id: requestId }),
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: "Person.requests (someone else's)",
    query: 'query ($id: ID!) { person(id: $id) { requests(first: 1) { totalCount } } }',
    variables: () => sample,
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: "Person.openTasks (someone else's)",
    query: 'query ($id: ID!) { person(id: $id) { openTasks(first: 1) { totalCount } } }',
    variables: () => sample,
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceRequestCreate (on someone else’s behalf)',
    query: 'mutation ($id: ID!) { serviceRequestCreate(input: { requester: $id, category: "home_repair", description: "matrix" }) { userErrors { code } } }',
    variables: () => sample,
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'points',
    name: "account (someone else's)",
    query: 'query ($id: ID!) { account(id: $id) { balance } }',
    variables: ({ accountId }) => ({ id: accountId }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: "Person.account (someone else's)",
    query: 'query ($id: ID!) { person(id: $id) { account { balance } } }',
    variables: () => sample,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    // A clerk sees the office an account would open at, and hears NOT_ALLOWED for one they do not serve: a user error.
    name: 'accountOpen (for someone else)',
    query: 'mutation ($id: ID!) { accountOpen(input: { holder: $id }) { userErrors { code } } }',
    variables: () => sample,
    allowed: ['bank_clerk', 'platform_admin'],
  },
  {
    subgraph: 'points',
    // Only the holder issues a code; a platform admin, who sees the account, hears NOT_ALLOWED: a user error.
    name: "paymentCodeIssue (someone else's account)",
    query: 'mutation ($id: ID!) { paymentCodeIssue(input: { account: $id }) { userErrors { code } } }',
    variables: ({ accountId }) => ({ id: accountId }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    // Staff of some bank get as far as the merchant (public); a clerk of no head bank hears NOT_ALLOWED: a user error.
    name: 'merchantPassbookAcceptanceSet (a demo merchant, left off)',
    query: `mutation { merchantPassbookAcceptanceSet(input: { merchant: "${demoId(23, 1)}", accepts: false }) { userErrors { code } } }`,
    allowed: ['bank_clerk', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceRequestApprove (a request of the sample person’s)',
    query: 'mutation ($id: ID!) { serviceRequestApprove(input: { request: $id }) { userErrors { code } } }',
    variables: ({ requestId }) => ({ id: requestId }),
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    // Categories have no region: platform admins alone manage them. A malformed code is refused as a user error, so nothing is written.
    subgraph: 'requests',
    name: 'serviceCategoryCreate',
    query: 'mutation { serviceCategoryCreate(input: { code: "Not A Code", name: "matrix" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceCategoryRename (a code that names nothing)',
    query: 'mutation { serviceCategoryRename(input: { code: "matrix_none", name: "matrix" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceCategoryRetire (a code that names nothing)',
    query: 'mutation { serviceCategoryRetire(input: { code: "matrix_none" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceCategoryMinorsSet (a code that names nothing)',
    query: 'mutation { serviceCategoryMinorsSet(input: { code: "matrix_none", suitableForMinors: true }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  {
    // The demo's compound without property management, flagged again: nothing changes.
    subgraph: 'people',
    name: 'regionPropertyManagementSet',
    query: `mutation { regionPropertyManagementSet(input: { compound: "${DEMO_REGIONS.xingleCompoundWest.id}", noPropertyManagement: true }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    // The demo's minor has her mother's consent in force: staff of her home are told so (ALREADY_EXISTS); anyone else is told nothing about her.
    subgraph: 'people',
    name: 'guardianConsentRecord',
    query: `mutation { guardianConsentRecord(input: { minor: "${demoId(87, 30)}", guardianName: "matrix", relationship: "母亲" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  // The service menu: offers are public like teams; needs are for signed-in readers.
  { subgraph: 'requests', name: 'serviceOffers', query: '{ serviceOffers(first: 1) { edges { node { description } } } }', allowed: 'everyone' },
  { subgraph: 'requests', name: 'serviceNeeds', query: '{ serviceNeeds(first: 1) { edges { node { title } } } }', allowed: PERSON_READERS },
  {
    // Every viewer acting as a person reaches the service, which refuses STRANGER (never registered) as a user error and writes nothing.
    subgraph: 'requests',
    name: 'serviceOfferPublish',
    query: `mutation { serviceOfferPublish(input: { team: "${DEMO_TEAM.id}", category: "cleaning", description: "matrix", regions: ["${DEMO_REGIONS.xingle.id}"], windows: [{ weekday: 1, start: "09:00", end: "10:00" }], capacityPerWeek: 1 }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceOfferWithdraw (乐修匠’s demo offer)',
    query: `mutation { serviceOfferWithdraw(input: { offer: "${demoId(12, 41)}" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceRequestFromOffer (乐修匠’s demo offer)',
    query: `mutation { serviceRequestFromOffer(input: { offer: "${demoId(12, 43)}", description: "matrix", place: "${DEMO_REGIONS.eastBuilding2.id}" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceNeedPublish',
    query: `mutation { serviceNeedPublish(input: { category: "cleaning", title: "matrix", place: "${DEMO_REGIONS.eastBuilding2.id}" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'serviceNeedClaim (the demo’s open need)',
    query: `mutation { serviceNeedClaim(input: { need: "${demoId(12, 52)}", team: "${DEMO_TEAM.id}" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  },
  {
    // Every viewer acting as a person reaches the service, which refuses STRANGER (never registered) as a user error and writes nothing.
    subgraph: 'requests',
    name: 'microWishPost',
    query: `mutation { microWishPost(input: { title: "matrix", story: "matrix", place: "${DEMO_REGIONS.eastBuilding2.id}" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  },
  {
    subgraph: 'people',
    name: 'householdHardshipSet',
    query: `mutation { householdHardshipSet(input: { household: "${DEMO_HOUSEHOLDS[0]!.id}", hardshipLevel: ${DEMO_HOUSEHOLDS[0]!.hardship.toUpperCase()}, reason: "matrix" }) { userErrors { code } } }`,
    allowed: ['community_admin', 'platform_admin'],
  },
  {
    // A household with no caretaker: those who may hear INVALID_STATE, and nothing changes.
    subgraph: 'people',
    name: 'householdCaretakerEnd',
    query: `mutation { householdCaretakerEnd(input: { household: "${DEMO_HOUSEHOLDS[8]!.id}" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    // Xingle's cap set to the default it has.
    subgraph: 'people',
    name: 'regionCaseloadCapSet',
    query: `mutation { regionCaseloadCapSet(input: { region: "${DEMO_REGIONS.xingle.id}", cap: 12 }) { userErrors { code } } }`,
    allowed: ['community_admin', 'platform_admin'],
  },
  {
    subgraph: 'points',
    // A record the bank never learnt of is, to a clerk, one they may not see.
    name: 'pointsDeposit (a record the bank never learnt of)',
    query: 'mutation ($record: ID!) { pointsDeposit(input: { serviceRecord: $record }) { userErrors { code } } }',
    variables: () => ({ record: '00000000-0000-7000-8fff-0000000000aa' }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    // The matrix's clerk serves no office: the account is one they may not see.
    name: "adjustmentRequest (for someone else's account)",
    query: 'mutation ($id: ID!) { adjustmentRequest(input: { account: $id, points: 5, reason: "matrix" }) { userErrors { code } } }',
    variables: ({ accountId }) => ({ id: accountId }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'adjustmentApprove (another admin’s request)',
    query: 'mutation ($id: ID!) { adjustmentApprove(input: { adjustment: $id }) { userErrors { code } } }',
    variables: ({ adjustmentToApprove }) => ({ id: adjustmentToApprove }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'adjustmentReject (another admin’s request)',
    query: 'mutation ($id: ID!) { adjustmentReject(input: { adjustment: $id, reason: "matrix" }) { userErrors { code } } }',
    variables: ({ adjustmentToReject }) => ({ id: adjustmentToReject }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: "adjustment (of someone else's account)",
    query: 'query ($id: ID!) { adjustment(id: $id) { status } }',
    variables: ({ adjustmentToReject }) => ({ id: adjustmentToReject }),
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'redemptionCapture (an id the viewer may not see)',
    query: 'mutation { redemptionCapture(input: { redemption: "00000000-0000-7000-8fff-0000000000ab" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'redemptionRefund (an id the viewer may not see)',
    query: 'mutation { redemptionRefund(input: { redemption: "00000000-0000-7000-8fff-0000000000ab", idempotencyKey: "matrix-refund" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  // Merchants' webhooks: an id that names no merchant, endpoint or delivery is FORBIDDEN to all but platform admins, as one of another merchant's is.
  {
    subgraph: 'points',
    name: 'merchantWebhookCreate (an id that names no merchant)',
    query: `mutation { merchantWebhookCreate(input: { merchant: "${MADE_UP}", url: "https://example.com/matrix", events: [HOLD_LAPSED] }) { secret userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'merchantWebhookSecretRotate (an id that names no webhook)',
    query: `mutation { merchantWebhookSecretRotate(input: { webhook: "${MADE_UP}" }) { secret userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'merchantWebhookRedeliver (an id that names no delivery)',
    query: `mutation { merchantWebhookRedeliver(input: { delivery: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'settlementStatementConfirm (an id the viewer may not see)',
    query: 'mutation { settlementStatementConfirm(input: { statement: "00000000-0000-7000-8fff-0000000000ab" }) { userErrors { code } } }',
    allowed: ['platform_admin'],
  },
  // Duty rosters: posts are read by every person; admins lay out shifts in their scope; any person takes a place (STRANGER, never registered, is refused as a user error).
  { subgraph: 'requests', name: 'dutyPosts', query: '{ dutyPosts(first: 1) { edges { node { name } } } }', allowed: PERSON_READERS },
  {
    subgraph: 'requests',
    name: 'dutyPostCreate',
    query: `mutation { dutyPostCreate(input: { name: "matrix", kind: HOTLINE, place: "${DEMO_REGIONS.xingle.id}" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'dutyShiftsCreate (an id that names no post)',
    query: `mutation { dutyShiftsCreate(input: { post: "${MADE_UP}", shifts: [{ startsAt: "2030-01-01T08:00:00Z", endsAt: "2030-01-01T12:00:00Z", places: 1 }] }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'dutyShiftsCopyWeek (an id that names no post)',
    query: `mutation { dutyShiftsCopyWeek(input: { post: "${MADE_UP}", weekStarting: "2030-01-07T00:00:00Z", weeks: 1 }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  { subgraph: 'requests', name: 'carePlans', query: '{ carePlans(first: 1) { totalCount } }', allowed: PERSON_READERS },
  {
    subgraph: 'requests',
    name: 'carePlanCreate (an input with no weekday)',
    query: `mutation { carePlanCreate(input: { beneficiary: "${MADE_UP}", place: "${DEMO_REGIONS.xingle.id}", category: "companionship", volunteer: "${MADE_UP}", description: "matrix", frequency: WEEKLY, startTime: "09:00", durationMinutes: 30, startsOn: "2030-01-01" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'dutyShiftApprove (an id that names no shift)',
    query: `mutation { dutyShiftApprove(input: { shift: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: ['station_admin', 'community_admin', 'platform_admin'],
  },
  ...(['dutyShiftSignUp', 'dutyShiftWithdraw'] as const).map((mutation): Operation => ({
    subgraph: 'requests',
    name: `${mutation} (an id that names no shift)`,
    query: `mutation { ${mutation}(input: { shift: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  })),
  ...(['dutyShiftCheckIn', 'dutyShiftCheckOut'] as const).map((mutation): Operation => ({
    subgraph: 'requests',
    name: `${mutation} (a forged code)`,
    query: `mutation { ${mutation}(input: { code: "forged" }) { userErrors { code } } }`,
    allowed: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'analyst', 'platform_admin'],
  })),
  { subgraph: 'recognition', name: 'badge', query: 'query ($id: ID!) { badge(id: $id) { name } }', variables: ({ badgeId }) => ({ id: badgeId }), allowed: 'everyone' },
  {
    subgraph: 'recognition',
    name: 'Badge.holder',
    query: 'query ($id: ID!) { badge(id: $id) { holder { name } } }',
    variables: ({ badgeId }) => ({ id: badgeId }),
    allowed: PERSON_READERS,
  },
  {
    subgraph: 'recognition',
    name: 'badgeRuleCreate (a rule with no region: platform admins only, others told NOT_ALLOWED)',
    query: 'mutation { badgeRuleCreate(input: { code: "matrix", name: "矩阵", kind: SERVICES, minCount: 0 }) { userErrors { code } } }',
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'badgeRuleRetire (an id that names no rule)',
    query: `mutation { badgeRuleRetire(input: { rule: "${MADE_UP}", reason: "matrix" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'badgeAward (an id that names no rule)',
    query: `mutation { badgeAward(input: { rule: "${MADE_UP}", person: "${DEMO_SAMPLE_PERSON_ID}", reason: "matrix" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'badgeRevoke (an id that names no badge)',
    query: `mutation { badgeRevoke(input: { badge: "${MADE_UP}", reason: "matrix" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'reviewClose (a period that has not ended)',
    query: `mutation { reviewClose(input: { bank: "${HEAD_BANK}", period: { bucket: YEAR, start: "2999-01-01" } }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'officeRatingSchemeSet (weights that do not add up)',
    query: `mutation { officeRatingSchemeSet(input: { bank: "${HEAD_BANK}", weights: [{ indicator: PROJECTS, weight: 5 }], thresholds: [0, 0, 0, 0, 0] }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  { subgraph: 'recognition', name: 'campaign (published)', query: `{ campaign(id: "${DEMO_CAMPAIGN}") { title winners { displayName } } }`, allowed: 'everyone' },
  { subgraph: 'recognition', name: 'campaigns', query: '{ campaigns { edges { node { id } } } }', allowed: 'everyone' },
  {
    subgraph: 'recognition',
    name: 'campaignCreate (a period that is not whole months)',
    query: `mutation { campaignCreate(input: { region: "${XINGLE[0]}", title: "矩阵", description: "矩阵", year: 2025, periodStart: "2025-01-15", selfApplication: false, categories: [{ name: "矩阵", subjectKind: VOLUNTEER, quota: 1 }] }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'campaignAdvance (the published demo campaign back to NOMINATING)',
    query: `mutation { campaignAdvance(input: { campaign: "${DEMO_CAMPAIGN}", to: NOMINATING }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'campaignReviewerAssign (a published campaign)',
    query: `mutation { campaignReviewerAssign(input: { campaign: "${DEMO_CAMPAIGN}", reviewer: "${STRANGER}" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'campaignPublish (a published campaign)',
    query: `mutation { campaignPublish(input: { campaign: "${DEMO_CAMPAIGN}" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'campaignNominate (in a published campaign: NOT_ALLOWED or INVALID_STATE)',
    query: `mutation { campaignNominate(input: { category: "${DEMO_CAMPAIGN_CATEGORY}", subject: "${DEMO_SAMPLE_PERSON_ID}", statement: "矩阵", displayName: "矩阵" }) { userErrors { code } } }`,
    allowed: ['volunteer', 'team_captain', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'recognition',
    name: 'campaignNominationWithdraw (an id that names no nomination)',
    query: `mutation { campaignNominationWithdraw(input: { nomination: "${MADE_UP}", reason: "matrix" }) { userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'recognition',
    name: 'campaignScore (an id that names no nomination)',
    query: `mutation { campaignScore(input: { nomination: "${MADE_UP}", score: 50 }) { userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'recognition',
    name: 'honourTitleRecord (a day in the future)',
    query: `mutation { honourTitleRecord(input: { person: "${DEMO_SAMPLE_PERSON_ID}", title: "矩阵", source: "矩阵", awardedOn: "2999-01-01" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'honourTitleWithdraw (an id that names no title)',
    query: `mutation { honourTitleWithdraw(input: { title: "${MADE_UP}", reason: "matrix" }) { userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'recognition',
    name: 'serviceProjectCreate (a team recognition has not heard of)',
    query: `mutation { serviceProjectCreate(input: { ownerTeam: "${MADE_UP}", name: "matrix", category: "repair", region: "${DEMO_REGIONS.xingle.id}", description: "matrix" }) { userErrors { code } } }`,
    allowed: PROJECT_LEADERS,
  },
  {
    subgraph: 'recognition',
    name: 'serviceProjectActivityLink (an id that names no project)',
    query: `mutation { serviceProjectActivityLink(input: { project: "${MADE_UP}", activity: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: PROJECT_LEADERS,
  },
  {
    subgraph: 'recognition',
    name: 'serviceProjectRecordLink (an id that names no project)',
    query: `mutation { serviceProjectRecordLink(input: { project: "${MADE_UP}", serviceRecord: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: PROJECT_LEADERS,
  },
  {
    subgraph: 'recognition',
    name: 'competitionCreate (weights that do not add up)',
    query: `mutation { competitionCreate(input: { title: "matrix", region: "${DEMO_REGIONS.xingle.id}", criteria: [{ name: "a", weight: 5 }], finalQuota: 3, awards: [{ level: GOLD, count: 1 }] }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'competitionApply (an id that names no competition)',
    query: `mutation { competitionApply(input: { competition: "${MADE_UP}", project: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: PROJECT_LEADERS,
  },
  {
    subgraph: 'recognition',
    name: 'competitionJudgeAssign (an id that names no competition)',
    query: `mutation { competitionJudgeAssign(input: { competition: "${MADE_UP}", stage: PRELIMINARY, judge: "${MADE_UP}" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'competitionScore (an id that names no competition; whether one judges is the competition’s)',
    query: `mutation { competitionScore(input: { competition: "${MADE_UP}", stage: PRELIMINARY, project: "${MADE_UP}", scores: [{ criterion: "${MADE_UP}", score: 50 }] }) { userErrors { code } } }`,
    allowed: 'signed-in',
  },
  {
    subgraph: 'recognition',
    name: 'competitionStageClose (an id that names no competition)',
    query: `mutation { competitionStageClose(input: { competition: "${MADE_UP}", stage: APPLICATION }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  { subgraph: 'recognition', name: 'competitions', query: '{ competitions { edges { node { id } } } }', allowed: 'everyone' },
  { subgraph: 'recognition', name: 'reviews', query: `{ reviews(bank: "${HEAD_BANK}") { id } }`, allowed: 'signed-in' },
  {
    subgraph: 'recognition',
    name: 'certificateApply (a period not over yet)',
    query: `mutation { certificateApply(input: { from: "2025-01-01", to: "2999-12-31" }) { userErrors { code } } }`,
    allowed: ['volunteer', 'platform_admin'],
  },
  {
    subgraph: 'recognition',
    name: 'certificateApplicationDecide (a refusal without a reason)',
    query: `mutation { certificateApplicationDecide(input: { application: "${MADE_UP}", decision: REFUSE }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'certificateRevoke (without a reason)',
    query: `mutation { certificateRevoke(input: { certificate: "${MADE_UP}", reason: "" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'certificateReviewClear (without a note)',
    query: `mutation { certificateReviewClear(input: { certificate: "${MADE_UP}", note: "" }) { userErrors { code } } }`,
    allowed: BADGE_ADMINS,
  },
  { subgraph: 'recognition', name: 'certificateApplications', query: `{ certificateApplications { edges { node { id } } } }`, allowed: 'signed-in' },
  { subgraph: 'recognition', name: 'certificatesUnderReview', query: `{ certificatesUnderReview { edges { node { id } } } }`, allowed: BADGE_ADMINS },
  {
    subgraph: 'recognition',
    name: "certificate (the sample person's honour, to the admins of where they live)",
    query: `query ($id: ID!) { certificate(id: $id) { number } }`,
    variables: ({ certificate }) => ({ id: certificate.id }),
    allowed: BADGE_ADMINS,
  },
  {
    subgraph: 'recognition',
    name: 'certificateVerify',
    query: `query ($number: String!, $code: String!) { certificateVerify(number: $number, code: $code) { status } }`,
    variables: ({ certificate }) => ({ number: certificate.number, code: certificate.code }),
    allowed: 'everyone',
  },
  { subgraph: 'recognition', name: 'BankUnit.rating', query: `{ bankUnit(id: "${XINGLE_OFFICE}") { rating(year: 2025) { stars } } }`, allowed: 'signed-in' },
  {
    subgraph: 'points',
    name: 'BankUnit.centralExchangeRecommendations',
    query: `{ bankUnit(id: "${HEAD_BANK}") { centralExchangeRecommendations(year: 2025) { edges { node { id } } } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'points',
    name: 'centralExchangeRecommendationDecide (an id that names none)',
    query: `mutation { centralExchangeRecommendationDecide(input: { recommendation: "${MADE_UP}", decision: ACCEPT }) { userErrors { code } } }`,
    allowed: ['platform_admin'],
  },
  {
    subgraph: 'requests',
    name: 'MicroWish.wisher (a published wish)',
    query: `{ microWish(id: "${demoId(14, 1)}") { wisher { name } } }`,
    allowed: PERSON_READERS,
  },
  { subgraph: 'requests', name: 'Activity.organiser', query: `{ activity(id: "${demoId(13, 1)}") { organiser { name } } }`, allowed: PERSON_READERS },
  {
    subgraph: 'requests',
    name: "ServiceRequest.requester (someone else's)",
    query: 'query ($id: ID!) { serviceRequest(id: $id) { requester { name } } }',
    variables: ({ requestId }) => ({ id: requestId }),
    allowed: ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'],
  },
  {
    subgraph: 'points',
    name: "Account.holder (someone else's passbook)",
    query: 'query ($id: ID!) { account(id: $id) { holder { name } } }',
    variables: ({ accountId }) => ({ id: accountId }),
    allowed: ['platform_admin'],
  },
];

type Outcome = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

function expected(viewer: ViewerName, operation: Operation): Outcome {
  if (operation.allowed === 'everyone') return 'allowed';
  if (viewer === 'anonymous') return operation.allowed !== 'signed-in' && operation.allowed.includes('anonymous') ? 'allowed' : 'UNAUTHENTICATED';
  if (operation.allowed === 'signed-in') return 'allowed';
  return operation.allowed.includes(viewer) ? 'allowed' : 'FORBIDDEN';
}

let graph: TestGraph;
let fixtures: Fixtures;
const tokens = new Map<ViewerName, string | undefined>();

beforeAll(async () => {
  graph = await startTestGraph();
  for (const [name, viewer] of Object.entries(viewers) as [ViewerName, (typeof viewers)[ViewerName]][]) {
    tokens.set(name, viewer ? await graph.token(viewer) : undefined);
  }
  const admin = await graph.token({ roles: ['platform_admin'] });
  type Found = {
    person: {
      account: { id: string };
      badges: { id: string }[];
      requests: { edges: { node: { id: string } }[] };
      certificates: { id: string; number: string; code: string; title: string }[];
    };
  };
  const found = await graph.query<Found>(
    'query ($id: ID!) { person(id: $id) { account { id } badges { id } requests(first: 1) { edges { node { id } } } certificates { id number code title } } }',
    {
      variables: sample,
      token: admin,
    },
  );
  expect(found.errors).toBeUndefined();
  const person = found.data!.person;
  // Requested by another platform admin: the matrix's admin may decide them, no one decides their own.
  const requester = await graph.token({ roles: ['platform_admin'], personId: '00000000-0000-7000-8fff-000000000003' });
  const requestAdjustment = async (): Promise<string> => {
    type Requested = { adjustmentRequest: { adjustment: { id: string } | null } };
    const requested = await graph.query<Requested>('mutation ($id: ID!) { adjustmentRequest(input: { account: $id, points: 5, reason: "matrix" }) { adjustment { id } } }', {
      variables: { id: person.account.id },
      token: requester,
    });
    return requested.data!.adjustmentRequest.adjustment!.id;
  };
  fixtures = {
    requestId: person.requests.edges[0]!.node.id,
    accountId: person.account.id,
    badgeId: person.badges[0]!.id,
    adjustmentToApprove: await requestAdjustment(),
    adjustmentToReject: await requestAdjustment(),
    certificate: person.certificates.find((certificate) => certificate.title === '最美志愿服务组织者')!,
  };
});
afterAll(async () => {
  await graph?.stop();
});

const cases = operations.flatMap((operation) =>
  (Object.keys(viewers) as ViewerName[]).map((viewer) => [operation.subgraph, operation.name, viewer, expected(viewer, operation), operation] as const),
);

describe('the authorisation matrix', () => {
  it.each(cases)('%s › %s as %s: %s', async (_subgraph, _name, viewer, outcome, operation) => {
    const response = await graph.query(operation.query, { variables: operation.variables?.(fixtures), token: tokens.get(viewer) });
    const codes = [...new Set((response.errors ?? []).map((error) => error.extensions?.['code']))];
    expect(codes.length > 0 ? codes : ['allowed']).toEqual([outcome]);
    if (outcome === 'allowed') expect(Object.values(response.data ?? {})[0]).not.toBeNull();
  });
});

/*
 * Refusals that do not reveal state: a viewer who may not act on an object
 * hears one answer, code and words, whatever state the object is in: where
 * they may not even see it, the FORBIDDEN a made-up id gets; where they see
 * it, one NOT_ALLOWED user error. Each row asks the same mutation of objects
 * in different states (a made-up id first where the answer must be that of a
 * missing object). The viewers are registered persons, so the services
 * reach their authority checks.
 */
interface StateRow {
  subgraph: 'people' | 'requests';
  name: string;
  viewer: { roles: Role[]; personId: string; regionIds?: string[] };
  mutation: string;
  /** The inputs, one per object state. */
  inputs: (states: StateFixtures) => Record<string, unknown>[];
}

interface StateFixtures {
  /** Two Xingle requests in different statuses. */
  requests: [string, string];
}

const ZIMING = [DEMO_XINCHENG_REGIONS['ziming']!.id];
const zimingAdmin = { roles: ['station_admin', 'community_admin'] as Role[], personId: DEMO_GRID_WORKERS[2]!.id, regionIds: ZIMING };
const unrelatedResident = { roles: ['resident', 'volunteer'] as Role[], personId: DEMO_MORE_VOLUNTEERS[70]!.id };
/** The demo's thanked and published Xingle wishes. */
const DEMO_WISHES = [demoId(14, 1), demoId(14, 2)];

const stateRows: StateRow[] = [
  {
    subgraph: 'requests',
    name: 'serviceRequestApprove by an admin of another community',
    viewer: zimingAdmin,
    mutation: 'serviceRequestApprove',
    inputs: ({ requests }) => [newId(), ...requests].map((request) => ({ request })),
  },
  {
    subgraph: 'requests',
    name: 'serviceRequestCancel by an unrelated resident',
    viewer: unrelatedResident,
    mutation: 'serviceRequestCancel',
    inputs: ({ requests }) => [newId(), ...requests].map((request) => ({ request, reason: 'matrix' })),
  },
  {
    subgraph: 'requests',
    name: 'microWishRelease of a public wish by a volunteer who did not claim it',
    viewer: unrelatedResident,
    mutation: 'microWishRelease',
    inputs: () => DEMO_WISHES.map((wish) => ({ wish, reason: 'matrix' })),
  },
  {
    subgraph: 'people',
    name: 'householdHardshipSet by an admin of another community',
    viewer: zimingAdmin,
    mutation: 'householdHardshipSet',
    inputs: () => [newId(), DEMO_HOUSEHOLDS[0]!.id, DEMO_HOUSEHOLDS[4]!.id].map((household) => ({ household, hardshipLevel: 'ORDINARY', reason: 'matrix' })),
  },
];

describe('refusals that do not reveal state', () => {
  let states: StateFixtures;

  beforeAll(async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    type Listed = { serviceRequests: { edges: { node: { id: string; status: string } }[] } };
    const listed = await graph.query<Listed>(`query ($region: ID!) { serviceRequests(first: 50, filter: { region: $region }) { edges { node { id status } } } }`, {
      variables: { region: DEMO_REGIONS.xingle.id },
      token: admin,
    });
    const nodes = listed.data!.serviceRequests.edges.map((edge) => edge.node);
    const first = nodes[0]!;
    const other = nodes.find((node) => node.status !== first.status)!;
    states = { requests: [first.id, other.id] };
  });

  it.each(stateRows.map((row) => [row.subgraph, row.name, row] as const))('%s › %s: one answer in every state', async (_subgraph, _name, row) => {
    const token = await graph.token(row.viewer);
    const inputType = `${row.mutation.charAt(0).toUpperCase()}${row.mutation.slice(1)}Input`;
    const answers = [];
    for (const input of row.inputs(states)) {
      const response = await graph.query<Record<string, { userErrors: { code: string }[] } | null>>(
        `mutation ($input: ${inputType}!) { ${row.mutation}(input: $input) { userErrors { field code message } } }`,
        { variables: { input }, token },
      );
      answers.push(
        response.errors ? { topLevel: response.errors.map((error) => [error.extensions?.['code'], error.message]) } : { userErrors: response.data![row.mutation]!.userErrors },
      );
    }
    const [first] = answers;
    // Out of sight: FORBIDDEN alone, in words that name no state; in sight: one NOT_ALLOWED.
    if ('topLevel' in first!) expect(first.topLevel).toEqual([['FORBIDDEN', expect.stringMatching(/^There is no such \w+, or you may not see it\.$/)]]);
    else expect(first!.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    for (const other of answers.slice(1)) expect(other).toEqual(first);
  });
});
