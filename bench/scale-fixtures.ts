/**
 * The rows the representative operations name in a database `npm run
 * bench:seed` filled (bench/fixtures.ts): typical ones, not the smallest, so
 * that an operation's p50 at scale is what most viewers would see. Every
 * choice is an order over the data with ids breaking ties, so the same
 * database always gives the same fixtures.
 */
import postgres from 'postgres';
import type { BenchFixtures } from './fixtures.js';

/** The statuses in which a request still waits for someone: what a staff member's queue lists. */
export const OPEN_REQUEST_STATUSES = ['submitted', 'approved', 'dispatched', 'accepted', 'in_service'] as const;

/** Picks the rows the representative operations name in the seeded database at `databaseUrl`. */
export async function scaleFixtures(databaseUrl: string): Promise<BenchFixtures> {
  const db = postgres(databaseUrl, { max: 1, onnotice: () => undefined, connection: { application_name: 'lianxin-bench-fixtures' } });
  try {
    // The volunteer nearest the 90th percentile of service records among those the dashboard shows whole:
    // an account, at least one open task (dispatched to them by name, or accepted and not finished) and a badge.
    const [volunteer] = await db<{ id: string; records: number }[]>`
      with counts as (
        select volunteer_id, count(*)::int as records from requests.service_records group by volunteer_id
      ), ranked as (
        select volunteer_id, records, percent_rank() over (order by records) as rank from counts
      )
      select r.volunteer_id as id, r.records from ranked r
       where exists (select 1 from points.accounts a where a.holder_id = r.volunteer_id and a.kind = 'customer')
         and exists (select 1 from requests.service_requests q
                      where (q.status = 'dispatched' and q.dispatched_person_id = r.volunteer_id)
                         or (q.status in ('accepted', 'in_service') and q.assignee_id = r.volunteer_id))
         and exists (select 1 from recognition.badge_awards b where b.holder_id = r.volunteer_id
                      and not exists (select 1 from recognition.badge_revocations v where v.award_id = b.id))
       order by abs(r.rank - 0.9), r.volunteer_id
       limit 1`;
    if (!volunteer) throw new Error('no volunteer with an account, open tasks and badges: fill the database with npm run bench:seed');

    // The team of at least 20 members with the most members, the first by id among equals.
    const [team] = await db<{ id: string }[]>`
      select team_id as id from people.team_members group by team_id having count(*) >= 20 order by count(*) desc, team_id limit 1`;
    if (!team) throw new Error('no team of 20 members or more');

    // A street with communities and their compounds under it: the first by name.
    const [street] = await db<{ id: string }[]>`
      select s.id from people.regions s
       where s.kind = 'street'
         and exists (select 1 from people.regions c join people.regions g on g.parent_id = c.id where c.parent_id = s.id)
       order by s.name, s.id
       limit 1`;
    if (!street) throw new Error('no street with children and grandchildren');

    // The community whose queue is the median among communities with open requests: a typical staff member's.
    const [queue] = await db<{ id: string }[]>`
      with open as (
        select c.id, count(*) as requests
          from people.regions c
          join requests.service_requests q on q.region_path @> array[c.id] and q.status = any(${[...OPEN_REQUEST_STATUSES]}::requests.request_status[])
         where c.kind = 'community'
         group by c.id
      )
      select id from open order by requests, id offset (select count(*) / 2 from open) limit 1`;
    if (!queue) throw new Error('no community with open requests');

    return {
      label: 'scale',
      volunteer: { roles: ['volunteer'], personId: volunteer.id },
      teamId: team.id,
      regionTreeId: street.id,
      staff: { roles: ['community_admin'], regionIds: [queue.id] },
      queueRegionId: queue.id,
      analyst: { roles: ['analyst'] },
      // The street of the region tree: a statistic for one street, as an analyst asks of a district.
      statsRegionId: street.id,
    };
  } finally {
    await db.end({ timeout: 5 });
  }
}
