/** Per-request DataLoaders of the requests subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, loaderFamily, type Database, type PageRequest } from '@lianxin/shared';
import {
  closeForgottenCheckOuts,
  countSignupsOfActivities,
  findActivitiesByIds,
  findAttendancePagesOfActivities,
  findSignupPagesOfActivities,
  findSignupsOfPerson,
} from './activities/store.js';
import { findAlertsByIds, findAlertsOfRequests, findDevicesByIds } from './alerts/store.js';
import { findCurrentAssignmentsOf, findLastVisits, findVisitPagesOfAssignments } from './caseloads/store.js';
import { findCategoriesByCodes } from './categories/store.js';
import type {
  ActivityAttendanceRow,
  ActivityRow,
  ActivitySignupRow,
  AlertRow,
  CaseloadAssignmentRow,
  CaseloadVisitRow,
  CategoryRow,
  DeviceRow,
  DirectoryRegionRow,
  MicroWishRow,
  PriceRuleRow,
  RequestQuoteRow,
  RequestSettlementRow,
  RequestTransitionRow,
  ServiceRecordRow,
  ServiceRequestRow,
  WishTransitionRow,
} from './db/schema.js';
import { findDirectoryRegions, findDirectoryTeams, findHouseholdsOfPersons, findTeamMembershipsOf } from './directory/store.js';
import { findPriceRulesFor, findQuotesOfRequests, findSettlementsOfRequests } from './pricing/store.js';
import { findOriginalRecordsOfRequests, findRecordPagesOfVolunteers, findReversalsOf, findServiceRecordsByIds, sumServiceOfVolunteers } from './records/store.js';
import { countRequestsOfRequesters, findRequestPagesOfRequesters, findServiceRequestsByIds, findTransitionsOfRequests } from './requests/store.js';
import type { RequestsSettings } from './settings.js';
import { findTransitionsOfWishes, findWishesByIds } from './wishes/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

/** Loads rows by id, null for unknown or malformed ids. */
function byIdLoader<V extends { id: string }>(find: (db: Database, ids: string[]) => Promise<V[]>, db: Database) {
  return new DataLoader<string, V | null>(async (ids) => byKey(ids, await find(db, onlyUuids(ids)), (row) => row.id));
}

/** Loads the one row of each parent, by the parent's id held in `parentOf`. */
function oneOfLoader<V>(find: (db: Database, ids: string[]) => Promise<V[]>, parentOf: (row: V) => string | null, db: Database) {
  return new DataLoader<string, V | null>(async (ids) => byKey(ids, await find(db, onlyUuids(ids)), (row) => parentOf(row) ?? ''));
}

/** A page of rows under each parent. */
export interface ScopedPage {
  page: PageRequest;
  /** Region subtrees the rows must lie in; null for all. */
  scope: readonly string[] | null;
}

export function createLoaders(db: Database, settings: RequestsSettings) {
  return {
    categoryByCode: new DataLoader<string, CategoryRow | null>(async (codes) => byKey(codes, await findCategoriesByCodes(db, codes), (row) => row.code)),
    serviceRequestById: byIdLoader<ServiceRequestRow>(findServiceRequestsByIds, db),
    requestPage: loaderFamily(
      ({ page, scope }: ScopedPage) =>
        new DataLoader<string, ServiceRequestRow[]>(async (personIds) =>
          groupByKey(personIds, await findRequestPagesOfRequesters(db, onlyUuids(personIds), page, scope), (row) => row.requesterId),
        ),
    ),
    requestCountOfPerson: loaderFamily(
      (scope: readonly string[] | null) =>
        new DataLoader<string, number>(async (personIds) =>
          byKey(personIds, await countRequestsOfRequesters(db, onlyUuids(personIds), scope), (row) => row.requesterId).map((row) => row?.total ?? 0),
        ),
    ),
    transitionsOfRequest: new DataLoader<string, RequestTransitionRow[]>(async (ids) =>
      groupByKey(ids, await findTransitionsOfRequests(db, onlyUuids(ids)), (row) => row.requestId),
    ),
    /** The household a person belongs to, per the directory; null when none. */
    householdOfPerson: new DataLoader<string, string | null>(async (personIds) =>
      byKey(personIds, await findHouseholdsOfPersons(db, onlyUuids(personIds)), (row) => row.personId).map((row) => row?.householdId ?? null),
    ),
    teamsOfPerson: new DataLoader<string, { teamId: string; role: 'captain' | 'member' }[]>(async (personIds) =>
      groupByKey(personIds, await findTeamMembershipsOf(db, onlyUuids(personIds)), (row) => row.personId),
    ),
    directoryTeamById: byIdLoader<{ id: string; communityId: string }>(findDirectoryTeams, db),
    directoryRegionById: byIdLoader<DirectoryRegionRow>(findDirectoryRegions, db),
    quoteOfRequest: oneOfLoader<RequestQuoteRow>(findQuotesOfRequests, (row) => row.requestId, db),
    settlementOfRequest: oneOfLoader<RequestSettlementRow>(findSettlementsOfRequests, (row) => row.requestId, db),
    /** The rule set for a region ('' asks for the default rule); null when that region has none. */
    priceRulesAlong: new DataLoader<string, PriceRuleRow | null>(async (regionIds) =>
      byKey(regionIds, await findPriceRulesFor(db, onlyUuids(regionIds)), (row) => row.regionId ?? ''),
    ),
    serviceRecordById: byIdLoader<ServiceRecordRow>(findServiceRecordsByIds, db),
    recordOfRequest: oneOfLoader<ServiceRecordRow>(findOriginalRecordsOfRequests, (row) => row.requestId, db),
    reversalOfRecord: oneOfLoader<ServiceRecordRow>(findReversalsOf, (row) => row.reversesId, db),
    recordPage: loaderFamily(
      ({ page, scope }: ScopedPage) =>
        new DataLoader<string, ServiceRecordRow[]>(async (personIds) =>
          groupByKey(personIds, await findRecordPagesOfVolunteers(db, onlyUuids(personIds), page, scope), (row) => row.volunteerId),
        ),
    ),
    serviceSum: loaderFamily(
      ({ from, before }: { from: string | null; before: string | null }) =>
        new DataLoader<string, { minutes: number; records: number }>(async (personIds) =>
          byKey(personIds, await sumServiceOfVolunteers(db, onlyUuids(personIds), from ? new Date(from) : null, before ? new Date(before) : null), (row) => row.volunteerId).map(
            (row) => ({ minutes: row?.minutes ?? 0, records: row?.records ?? 0 }),
          ),
        ),
    ),
    alertById: byIdLoader<AlertRow>(findAlertsByIds, db),
    alertOfRequest: oneOfLoader<AlertRow>(findAlertsOfRequests, (row) => row.requestId, db),
    deviceById: byIdLoader<DeviceRow>(findDevicesByIds, db),
    microWishById: byIdLoader<MicroWishRow>(findWishesByIds, db),
    transitionsOfWish: new DataLoader<string, WishTransitionRow[]>(async (ids) => groupByKey(ids, await findTransitionsOfWishes(db, onlyUuids(ids)), (row) => row.wishId)),
    activityById: byIdLoader<ActivityRow>(findActivitiesByIds, db),
    signupCountsOfActivity: new DataLoader<string, { confirmed: number; waitlisted: number }>(async (ids) =>
      byKey(ids, await countSignupsOfActivities(db, onlyUuids(ids)), (row) => row.activityId).map((row) => ({
        confirmed: row?.confirmed ?? 0,
        waitlisted: row?.waitlisted ?? 0,
      })),
    ),
    signupOfPerson: loaderFamily(
      (personId: string) =>
        new DataLoader<string, ActivitySignupRow | null>(async (activityIds) =>
          byKey(activityIds, await findSignupsOfPerson(db, personId, onlyUuids(activityIds)), (row) => row.activityId),
        ),
    ),
    signupPage: loaderFamily(
      ({ page, includeCancelled }: { page: PageRequest; includeCancelled: boolean }) =>
        new DataLoader<string, ActivitySignupRow[]>(async (ids) =>
          groupByKey(ids, await findSignupPagesOfActivities(db, onlyUuids(ids), page, includeCancelled), (row) => row.activityId),
        ),
    ),
    attendancePage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, ActivityAttendanceRow[]>(async (ids) => groupByKey(ids, await findAttendancePagesOfActivities(db, onlyUuids(ids), page), (row) => row.activityId)),
    ),
    /** Closes forgotten check-outs once per request, before attendances are read. */
    forgottenCheckOutsClosed: new DataLoader<true, number>(async (keys) => {
      const closed = await closeForgottenCheckOuts(db, settings.now());
      return keys.map(() => closed);
    }),
    caseloadOfVolunteer: new DataLoader<string, CaseloadAssignmentRow[]>(async (ids) =>
      groupByKey(ids, await findCurrentAssignmentsOf(db, onlyUuids(ids)), (row) => row.volunteerId),
    ),
    lastVisitOfAssignment: new DataLoader<string, Date | null>(async (ids) =>
      byKey(ids, await findLastVisits(db, onlyUuids(ids)), (row) => row.assignmentId).map((row) => row?.at ?? null),
    ),
    visitPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, CaseloadVisitRow[]>(async (ids) => groupByKey(ids, await findVisitPagesOfAssignments(db, onlyUuids(ids), page), (row) => row.assignmentId)),
    ),
  };
}

export type RequestsLoaders = ReturnType<typeof createLoaders>;
