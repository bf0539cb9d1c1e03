/**
 * Per-request DataLoaders of the requests subgraph: one statement per batch,
 * results in key order. Each module's loaders are listed together below;
 * `createLoaders` gathers them into the request's set.
 */
import { DataLoader, byIdLoader, byKey, groupByKey, loaderFamily, manyOfLoader, onlyUuids, oneOfLoader, type Database, type PageRequest } from '@lianxin/shared';
import {
  countSignupsOfActivities,
  findActivitiesByIds,
  findAttendancePagesOfActivities,
  findAttendancesOfPerson,
  findSignupPagesOfActivities,
  findSignupsOfPerson,
} from './activities/store.js';
import { findAlertsByIds, findAlertsOfRequests, findDevicesByIds } from './alerts/store.js';
import { findCurrentAssignmentsOf, findLastVisits, findRequestsOfVisits, findVisitPagesOfAssignments } from './caseloads/store.js';
import { findCategoriesByCodes } from './categories/store.js';
import type { CategoryRow, PriceRuleRow, ServiceRequestRow } from './db/schema.js';
import { findDirectoryRegions, findDirectoryTeams, findHouseholdsOfPersons, findTeamMembershipsOf } from './directory/store.js';
import { findPriceRulesFor, findQuotesOfRequests, findSettlementsOfRequests } from './pricing/store.js';
import {
  findOriginalRecordsOfRequests,
  findOriginalRecordsOfWishes,
  findRecordPagesOfVolunteers,
  findReplacementsOf,
  findReversalsOf,
  findServiceRecordsByIds,
  sumServiceOfVolunteers,
} from './records/store.js';
import {
  compareOpenTasks,
  countOpenTasksOf,
  countRequestsOfRequesters,
  findAssignedTaskPages,
  findDispatchedTaskPages,
  findRequestPagesOfRequesters,
  findServiceRequestsByIds,
  findTransitionsOfRequests,
} from './requests/store.js';
import { findTransitionsOfWishes, findWishesByIds } from './wishes/store.js';
import { findCarePlansByIds, findPlansOfRequests } from './plans/store.js';
import { countRatingsOfActivities, findOutputsOfActivities, findRatingsOfActivities, findRatingsOfPerson } from './outcomes/store.js';
import { findSeriesByIds } from './series/store.js';
import { countConfirmedOnShifts, findDutyPostsByIds, findDutyShiftsByIds, findSignupsOfShifts } from './duty/store.js';

/** A page of rows under each parent. */
export interface ScopedPage {
  page: PageRequest;
  /** Region subtrees the rows must lie in; null for all. */
  scope: readonly string[] | null;
}

/** Requests, their categories, history and prices. */
const requestLoaders = (db: Database) => ({
  categoryByCode: new DataLoader<string, CategoryRow | null>(async (codes) => byKey(codes, await findCategoriesByCodes(db, codes), (row) => row.code)),
  serviceRequestById: byIdLoader(findServiceRequestsByIds, db),
  requestPage: loaderFamily(({ page, scope }: ScopedPage) =>
    manyOfLoader((executor: Database, personIds) => findRequestPagesOfRequesters(executor, personIds, page, scope), 'requesterId', db),
  ),
  requestCountOfPerson: loaderFamily(
    (scope: readonly string[] | null) =>
      new DataLoader<string, number>(async (personIds) =>
        byKey(personIds, await countRequestsOfRequesters(db, onlyUuids(personIds), scope), (row) => row.requesterId).map((row) => row?.total ?? 0),
      ),
  ),
  /**
   * Each volunteer's page of open tasks: the requests dispatched to them by
   * name and those they accepted, read as two pages per volunteer (two
   * statements however many volunteers) and merged in the cursor's order.
   */
  openTaskPage: loaderFamily(
    ({ page, scope }: ScopedPage) =>
      new DataLoader<string, ServiceRequestRow[]>(async (personIds) => {
        const ids = onlyUuids(personIds);
        const dispatched = await findDispatchedTaskPages(db, ids, page, scope);
        const assigned = await findAssignedTaskPages(db, ids, page, scope);
        const holder = (row: ServiceRequestRow) => (row.status === 'dispatched' ? row.dispatchedPersonId : row.assigneeId);
        return groupByKey<string | null, ServiceRequestRow>(personIds, [...dispatched, ...assigned], holder).map((rows) => rows.sort(compareOpenTasks).slice(0, page.limit + 1));
      }),
  ),
  openTaskCountOfPerson: loaderFamily(
    (scope: readonly string[] | null) =>
      new DataLoader<string, number>(async (personIds) =>
        byKey(personIds, await countOpenTasksOf(db, onlyUuids(personIds), scope), (row) => row.personId).map((row) => row?.total ?? 0),
      ),
  ),
  transitionsOfRequest: manyOfLoader(findTransitionsOfRequests, 'requestId', db),
  quoteOfRequest: oneOfLoader(findQuotesOfRequests, 'requestId', db),
  settlementOfRequest: oneOfLoader(findSettlementsOfRequests, 'requestId', db),
  /** The rule set for a region ('' asks for the default rule); null when that region has none. */
  priceRulesAlong: new DataLoader<string, PriceRuleRow | null>(async (regionIds) =>
    byKey(regionIds, await findPriceRulesFor(db, onlyUuids(regionIds)), (row) => row.regionId ?? ''),
  ),
});

/** What the directory (the read model of people) says about persons, teams and regions. */
const directoryLoaders = (db: Database) => ({
  /** The household a person belongs to, per the directory; null when none. */
  householdOfPerson: new DataLoader<string, string | null>(async (personIds) =>
    byKey(personIds, await findHouseholdsOfPersons(db, onlyUuids(personIds)), (row) => row.personId).map((row) => row?.householdId ?? null),
  ),
  teamsOfPerson: manyOfLoader(findTeamMembershipsOf, 'personId', db),
  directoryTeamById: byIdLoader(findDirectoryTeams, db),
  directoryRegionById: byIdLoader(findDirectoryRegions, db),
});

/** Service records, their reversals and the hours they add up to. */
const recordLoaders = (db: Database) => ({
  serviceRecordById: byIdLoader(findServiceRecordsByIds, db),
  recordOfRequest: oneOfLoader(findOriginalRecordsOfRequests, 'requestId', db),
  recordOfWish: oneOfLoader(findOriginalRecordsOfWishes, 'wishId', db),
  reversalOfRecord: oneOfLoader(findReversalsOf, 'reversesId', db),
  replacementOfRecord: oneOfLoader(findReplacementsOf, 'correctsId', db),
  recordPage: loaderFamily(({ page, scope }: ScopedPage) =>
    manyOfLoader((executor: Database, personIds) => findRecordPagesOfVolunteers(executor, personIds, page, scope), 'volunteerId', db),
  ),
  serviceSum: loaderFamily(
    ({ from, before }: { from: string | null; before: string | null }) =>
      new DataLoader<string, { minutes: number; records: number }>(async (personIds) =>
        byKey(personIds, await sumServiceOfVolunteers(db, onlyUuids(personIds), from ? new Date(from) : null, before ? new Date(before) : null), (row) => row.volunteerId).map(
          (row) => ({ minutes: row?.minutes ?? 0, records: row?.records ?? 0 }),
        ),
      ),
  ),
});

/** Alerts and the devices that raise them. */
const alertLoaders = (db: Database) => ({
  alertById: byIdLoader(findAlertsByIds, db),
  alertOfRequest: oneOfLoader(findAlertsOfRequests, 'requestId', db),
  deviceById: byIdLoader(findDevicesByIds, db),
});

/** Micro-wishes and their history. */
const wishLoaders = (db: Database) => ({
  microWishById: byIdLoader(findWishesByIds, db),
  transitionsOfWish: manyOfLoader(findTransitionsOfWishes, 'wishId', db),
});

/** Activities, their sign-ups and attendances. */
const activityLoaders = (db: Database) => ({
  activityById: byIdLoader(findActivitiesByIds, db),
  signupCountsOfActivity: new DataLoader<string, { confirmed: number; waitlisted: number }>(async (ids) =>
    byKey(ids, await countSignupsOfActivities(db, onlyUuids(ids)), (row) => row.activityId).map((row) => ({
      confirmed: row?.confirmed ?? 0,
      waitlisted: row?.waitlisted ?? 0,
    })),
  ),
  signupOfPerson: loaderFamily((personId: string) => oneOfLoader((executor: Database, activityIds) => findSignupsOfPerson(executor, personId, activityIds), 'activityId', db)),
  signupPage: loaderFamily(({ page, includeCancelled }: { page: PageRequest; includeCancelled: boolean }) =>
    manyOfLoader((executor: Database, ids) => findSignupPagesOfActivities(executor, ids, page, includeCancelled), 'activityId', db),
  ),
  attendanceOfPerson: loaderFamily((personId: string) =>
    oneOfLoader((executor: Database, activityIds) => findAttendancesOfPerson(executor, personId, activityIds), 'activityId', db),
  ),
  attendancePage: loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findAttendancePagesOfActivities(executor, ids, page), 'activityId', db)),
  seriesById: byIdLoader(findSeriesByIds, db),
  ratingCountsOfActivity: manyOfLoader(countRatingsOfActivities, 'activityId', db),
  ratingsOfActivity: manyOfLoader(findRatingsOfActivities, 'activityId', db),
  ratingOfPerson: loaderFamily((personId: string) => oneOfLoader((executor: Database, activityIds) => findRatingsOfPerson(executor, personId, activityIds), 'activityId', db)),
  outputsOfActivity: manyOfLoader(findOutputsOfActivities, 'activityId', db),
});

/** Grid workers' caseloads and their visits. */
const caseloadLoaders = (db: Database) => ({
  caseloadOfVolunteer: manyOfLoader(findCurrentAssignmentsOf, 'volunteerId', db),
  lastVisitOfAssignment: new DataLoader<string, Date | null>(async (ids) =>
    byKey(ids, await findLastVisits(db, onlyUuids(ids)), (row) => row.assignmentId).map((row) => row?.at ?? null),
  ),
  visitPage: loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findVisitPagesOfAssignments(executor, ids, page), 'assignmentId', db)),
  requestsOfVisit: manyOfLoader(findRequestsOfVisits, 'visitId', db),
});

/** Duty rosters: posts and shifts by id. */
const dutyLoaders = (db: Database) => ({
  dutyPostById: byIdLoader(findDutyPostsByIds, db),
  dutyShiftById: byIdLoader(findDutyShiftsByIds, db),
  /** Confirmed places taken per shift: a post's shifts counted in one statement. */
  confirmedCountOfShift: new DataLoader<string, number>(async (ids) =>
    byKey(ids, await countConfirmedOnShifts(db, onlyUuids(ids)), (row) => row.shiftId).map((row) => row?.total ?? 0),
  ),
  /** Sign-ups per shift (withdrawn ones too when asked), in order of signing up; visibility is the service's to check. */
  signupsOfShift: loaderFamily((includeWithdrawn: boolean) =>
    manyOfLoader((executor: Database, ids: readonly string[]) => findSignupsOfShifts(executor, ids, includeWithdrawn), 'shiftId', db),
  ),
});

/** Care plans by id, and the plan each occurrence's request belongs to. */
const planLoaders = (db: Database) => ({
  carePlanById: byIdLoader(findCarePlansByIds, db),
  carePlanIdOfRequest: new DataLoader<string, string | null>(async (ids) =>
    byKey(ids, await findPlansOfRequests(db, onlyUuids(ids)), (row) => row.requestId).map((row) => row?.planId ?? null),
  ),
});

export function createLoaders(db: Database) {
  return {
    ...requestLoaders(db),
    ...directoryLoaders(db),
    ...recordLoaders(db),
    ...alertLoaders(db),
    ...wishLoaders(db),
    ...activityLoaders(db),
    ...caseloadLoaders(db),
    ...dutyLoaders(db),
    ...planLoaders(db),
  };
}

export type RequestsLoaders = ReturnType<typeof createLoaders>;
