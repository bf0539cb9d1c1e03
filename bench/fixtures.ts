/**
 * What the benchmark's representative operations read, in a given database:
 * the demo data's (`npm start`) or a database `npm run bench:seed` filled.
 * The operations are the same at both sizes; only the rows they name differ,
 * so their p50 and SQL statements can be compared size against size.
 */
import type { Role } from '@lianxin/shared';

/** The claims of a token the benchmark mints for one viewer. */
export interface BenchViewer {
  /** The roles the token carries. */
  roles: Role[];
  /** The person the token speaks for, when it is a person's. */
  personId?: string | undefined;
  /** The regions a staff member or analyst is responsible for. */
  regionIds?: string[] | undefined;
}

/** The rows the representative operations name. */
export interface BenchFixtures {
  /** Which data this is, for the report: `demo` or `scale`. */
  label: string;
  /** A volunteer with an account, open tasks, service hours and badges: the dashboard's viewer. */
  volunteer: BenchViewer & { personId: string };
  /** A team with at least 20 members. */
  teamId: string;
  /** A region with children and grandchildren, read anonymously as a tree. */
  regionTreeId: string;
  /** A staff member of a station or community with open requests in scope: the request queue's viewer. */
  staff: BenchViewer;
  /** The region whose requests the staff queue lists. */
  queueRegionId: string;
  /** An analyst's claims and the region their statistic covers. */
  analyst: BenchViewer;
  /** The region an analyst's statistic is asked for. */
  statsRegionId: string;
}
