/**
 * Per-request DataLoaders of the requests subgraph: one statement per batch,
 * results in key order. Each module's loader factories are listed together
 * below; `createLoaders` gathers them into one set, defined once, whose
 * loaders a request's set builds when a resolver first reads them
 * (`defineLoaders`).
 */
import {
  DataLoader,
  byIdLoader,
  byKey,
  defineLoaders,
  groupByKey,
  loaderFamily,
  manyOfLoader,
  onlyUuids,
  oneOfLoader,
  type Database,
  type LoaderFactories,
  type PageRequest,
} from '@lianxin/shared';
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
const requestLoaders = {
  categoryByCode: (db) => new DataLoader<string, CategoryRow | null>(async (codes) => byKey(codes, await findCategoriesByCodes(db, codes), (row) => row.code)),
  serviceRequestById: (db) => byIdLoader(findServiceRequestsByIds, db),
  requestPage: (db) =>
    loaderFamily(({ page, scope }: ScopedPage) =>
      manyOfLoader((executor: Database, personIds) => findRequestPagesOfRequesters(executor, personIds, page, scope), 'requesterId', db),
    ),
  requestCountOfPerson: (db) =>
    loaderFamily(
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
  openTaskPage: (db) =>
    loaderFamily(
      ({ page, scope }: ScopedPage) =>
        new DataLoader<string, ServiceRequestRow[]>(async (personIds) => {
          const ids = onlyUuids(personIds);
          const dispatched = await findDispatchedTaskPages(db, ids, page, scope);
          const assigned = await findAssignedTaskPages(db, ids, page, scope);
          const holder = (row: ServiceRequestRow) => (row.status === 'dispatched' ? row.dispatchedPersonId : row.assigneeId);
          return groupByKey<string | null, ServiceRequestRow>(personIds, [...dispatched, ...assigned], holder).map((rows) => rows.sort(compareOpenTasks).slice(0, page.limit + 1));
        }),
    ),
  openTaskCountOfPerson: (db) =>
    loaderFamily(
      (scope: readonly string[] | null) =>
        new DataLoader<string, number>(async (personIds) =>
          byKey(personIds, await countOpenTasksOf(db, onlyUuids(personIds), scope), (row) => row.personId).map((row) => row?.total ?? 0),
        ),
    ),
  transitionsOfRequest: (db) => manyOfLoader(findTransitionsOfRequests, 'requestId', db),
  quoteOfRequest: (db) => oneOfLoader(findQuotesOfRequests, 'requestId', db),
  settlementOfRequest: (db) => oneOfLoader(findSettlementsOfRequests, 'requestId', db),
  /** The rule set for a region ('' asks for the default rule); null when that region has none. */
  priceRulesAlong: (db) =>
    new DataLoader<string, PriceRuleRow | null>(async (regionIds) => byKey(regionIds, await findPriceRulesFor(db, onlyUuids(regionIds)), (row) => row.regionId ?? '')),
} satisfies LoaderFactories<Database>;

/** What the directory (the read model of people) says about persons, teams and regions. */
const directoryLoaders = {
  /** The household a person belongs to, per the directory; null when none. */
  householdOfPerson: (db) =>
    new DataLoader<string, string | null>(async (personIds) =>
      byKey(personIds, await findHouseholdsOfPersons(db, onlyUuids(personIds)), (row) => row.personId).map((row) => row?.householdId ?? null),
    ),
  teamsOfPerson: (db) => manyOfLoader(findTeamMembershipsOf, 'personId', db),
  directoryTeamById: (db) => byIdLoader(findDirectoryTeams, db),
  directoryRegionById: (db) => byIdLoader(findDirectoryRegions, db),
} satisfies LoaderFactories<Database>;

/** Service records, their reversals and the hours they add up to. */
const recordLoaders = {
  serviceRecordById: (db) => byIdLoader(findServiceRecordsByIds, db),
  recordOfRequest: (db) => oneOfLoader(findOriginalRecordsOfRequests, 'requestId', db),
  recordOfWish: (db) => oneOfLoader(findOriginalRecordsOfWishes, 'wishId', db),
  reversalOfRecord: (db) => oneOfLoader(findReversalsOf, 'reversesId', db),
  replacementOfRecord: (db) => oneOfLoader(findReplacementsOf, 'correctsId', db),
  recordPage: (db) =>
    loaderFamily(({ page, scope }: ScopedPage) =>
      manyOfLoader((executor: Database, personIds) => findRecordPagesOfVolunteers(executor, personIds, page, scope), 'volunteerId', db),
    ),
  serviceSum: (db) =>
    loaderFamily(
      ({ from, before }: { from: string | null; before: string | null }) =>
        new DataLoader<string, { minutes: number; records: number }>(async (personIds) =>
          byKey(personIds, await sumServiceOfVolunteers(db, onlyUuids(personIds), from ? new Date(from) : null, before ? new Date(before) : null), (row) => row.volunteerId).map(
            (row) => ({ minutes: row?.minutes ?? 0, records: row?.records ?? 0 }),
          ),
        ),
    ),
} satisfies LoaderFactories<Database>;

/** Alerts and the devices that raise them. */
const alertLoaders = {
  alertById: (db) => byIdLoader(findAlertsByIds, db),
  alertOfRequest: (db) => oneOfLoader(findAlertsOfRequests, 'requestId', db),
  deviceById: (db) => byIdLoader(findDevicesByIds, db),
} satisfies LoaderFactories<Database>;

/** Micro-wishes and their history. */
const wishLoaders = {
  microWishById: (db) => byIdLoader(findWishesByIds, db),
  transitionsOfWish: (db) => manyOfLoader(findTransitionsOfWishes, 'wishId', db),
} satisfies LoaderFactories<Database>;

/** Activities, their sign-ups and attendances. */
const activityLoaders = {
  activityById: (db) => byIdLoader(findActivitiesByIds, db),
  signupCountsOfActivity: (db) =>
    new DataLoader<string, { confirmed: number; waitlisted: number }>(async (ids) =>
      byKey(ids, await countSignupsOfActivities(db, onlyUuids(ids)), (row) => row.activityId).map((row) => ({
        confirmed: row?.confirmed ?? 0,
        waitlisted: row?.waitlisted ?? 0,
      })),
    ),
  signupOfPerson: (db) =>
    loaderFamily((personId: string) => oneOfLoader((executor: Database, activityIds) => findSignupsOfPerson(executor, personId, activityIds), 'activityId', db)),
  signupPage: (db) =>
    loaderFamily(({ page, includeCancelled }: { page: PageRequest; includeCancelled: boolean }) =>
      manyOfLoader((executor: Database, ids) => findSignupPagesOfActivities(executor, ids, page, includeCancelled), 'activityId', db),
    ),
  attendanceOfPerson: (db) =>
    loaderFamily((personId: string) => oneOfLoader((executor: Database, activityIds) => findAttendancesOfPerson(executor, personId, activityIds), 'activityId', db)),
  attendancePage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findAttendancePagesOfActivities(executor, ids, page), 'activityId', db)),
  seriesById: (db) => byIdLoader(findSeriesByIds, db),
  ratingCountsOfActivity: (db) => manyOfLoader(countRatingsOfActivities, 'activityId', db),
  ratingsOfActivity: (db) => manyOfLoader(findRatingsOfActivities, 'activityId', db),
  ratingOfPerson: (db) =>
    loaderFamily((personId: string) => oneOfLoader((executor: Database, activityIds) => findRatingsOfPerson(executor, personId, activityIds), 'activityId', db)),
  outputsOfActivity: (db) => manyOfLoader(findOutputsOfActivities, 'activityId', db),
} satisfies LoaderFactories<Database>;

/** Grid workers' caseloads and their visits. */
const caseloadLoaders = {
  caseloadOfVolunteer: (db) => manyOfLoader(findCurrentAssignmentsOf, 'volunteerId', db),
  lastVisitOfAssignment: (db) =>
    new DataLoader<string, Date | null>(async (ids) => byKey(ids, await findLastVisits(db, onlyUuids(ids)), (row) => row.assignmentId).map((row) => row?.at ?? null)),
  visitPage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findVisitPagesOfAssignments(executor, ids, page), 'assignmentId', db)),
  requestsOfVisit: (db) => manyOfLoader(findRequestsOfVisits, 'visitId', db),
} satisfies LoaderFactories<Database>;

/** Duty rosters: posts and shifts by id. */
const dutyLoaders = {
  dutyPostById: (db) => byIdLoader(findDutyPostsByIds, db),
  dutyShiftById: (db) => byIdLoader(findDutyShiftsByIds, db),
  /** Confirmed places taken per shift: a post's shifts counted in one statement. */
  confirmedCountOfShift: (db) =>
    new DataLoader<string, number>(async (ids) => byKey(ids, await countConfirmedOnShifts(db, onlyUuids(ids)), (row) => row.shiftId).map((row) => row?.total ?? 0)),
  /** Sign-ups per shift (withdrawn ones too when asked), in order of signing up; visibility is the service's to check. */
  signupsOfShift: (db) =>
    loaderFamily((includeWithdrawn: boolean) => manyOfLoader((executor: Database, ids: readonly string[]) => findSignupsOfShifts(executor, ids, includeWithdrawn), 'shiftId', db)),
} satisfies LoaderFactories<Database>;

/** Care plans by id, and the plan each occurrence's request belongs to. */
const planLoaders = {
  carePlanById: (db) => byIdLoader(findCarePlansByIds, db),
  carePlanIdOfRequest: (db) =>
    new DataLoader<string, string | null>(async (ids) => byKey(ids, await findPlansOfRequests(db, onlyUuids(ids)), (row) => row.requestId).map((row) => row?.planId ?? null)),
} satisfies LoaderFactories<Database>;

/** Makes a request's loader set from the database; its loaders are built when first read. */
export const createLoaders = defineLoaders({
  ...requestLoaders,
  ...directoryLoaders,
  ...recordLoaders,
  ...alertLoaders,
  ...wishLoaders,
  ...activityLoaders,
  ...caseloadLoaders,
  ...dutyLoaders,
  ...planLoaders,
} satisfies LoaderFactories<Database>);

export type RequestsLoaders = ReturnType<typeof createLoaders>;
