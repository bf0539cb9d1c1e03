/**
 * What the benchmark's representative operations read, in a given database:
 * the demo data's (`npm start`) or a database `npm run bench:seed` filled.
 * The operations are the same at both sizes; only the rows they name differ,
 * so their p50 and SQL statements can be compared size against size.
 */
import type { Role } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';

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

/**
 * The demo data's rows (`DEMO_DATA=true`, as `npm start` seeds them): 王建国
 * of the 乐修匠 repair team (30 members), the 兴乐 community's tree (compounds,
 * then buildings) and its queue as seen by its community admin, and an
 * analyst's statistic for the 新城 district.
 */
export function demoFixtures(): BenchFixtures {
  const admin = DEMO_STAFF[0]!;
  return {
    label: 'demo',
    volunteer: { roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID },
    teamId: DEMO_TEAM.id,
    regionTreeId: DEMO_REGIONS.xingle.id,
    staff: { roles: [admin.role], personId: admin.id, regionIds: [DEMO_REGIONS.xingle.id] },
    queueRegionId: DEMO_REGIONS.xingle.id,
    analyst: { roles: ['analyst'] },
    statsRegionId: DEMO_REGIONS.xincheng.id,
  };
}
