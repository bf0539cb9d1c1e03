/**
 * `npm run bench:seed`: a database at the scale of a city district, for the
 * statistics' plans and timings (`npm run bench:stats`) and the benchmark at
 * scale. On the server of TEST_DATABASE_URL it (re)creates the database
 * BENCH_SCALE_DATABASE (`lianxin_scale`), applies every subgraph's migrations
 * and fills it in bulk: a region tree (district, 10 streets, 100 communities,
 * 1,000 compounds), 100k persons (30k volunteers, 35k households), teams,
 * 500k service requests over the last two years, 1M service records (requests
 * served, activity hours, 1% reversed) folded into their rollups, what the
 * other subgraphs learn of them (directories, recognition's facts and
 * tallies, points' known records) and 1M ledger transfers (deposits for the
 * records, redemptions at merchants with their lines, reversals), a charity
 * fund's statement, micro-wishes, devices and alerts.
 *
 * Everything is set-based SQL: each table is first computed into an unlogged
 * staging table (schema `seed`, dropped at the end) from `generate_series`,
 * with every attribute a hash of the row's index (md5, so two runs on the same
 * day give the same rows), then copied into the real table in batches of
 * BENCH_SEED_BATCH rows (50,000), which move the progress bars. The rows obey
 * every constraint and trigger, with two exceptions made for the load and
 * checked after it: a ledger transfer (and a fund statement line) is checked
 * row by row against the balance its account has just reached, which a bulk
 * insert of a whole passbook cannot satisfy, so those two triggers are lifted
 * while the ledger is written, and the books' own audit (`auditLedger`, every
 * invariant recomputed from the rows) plus the reversals' mirror check run
 * after it; the seed fails if either finds anything.
 *
 * BENCH_SEED_REUSE=1 keeps an existing seeded database and only prints its
 * counts; BENCH_SEED_SCALE (1) multiplies every count, for a quick try;
 * BENCH_SEED_NOW (an ISO instant, default the start of today, UTC) is the
 * moment the data ends at.
 */
import { performance } from 'node:perf_hooks';
import { SingleBar, Presets } from 'cli-progress';
import postgres from 'postgres';
import { peopleSubgraph } from '@lianxin/people';
import { auditLedger, pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { openDatabase } from '@lianxin/shared';
import { SCALE_DATABASE, databaseUrl, rowCounts, scaleDatabaseExists } from './scale.js';

const scale = Number(process.env['BENCH_SEED_SCALE'] ?? 1);
const batch = Number(process.env['BENCH_SEED_BATCH'] ?? 50_000);
const reuse = ['1', 'true'].includes(process.env['BENCH_SEED_REUSE'] ?? '');
const anchor = process.env['BENCH_SEED_NOW'] ? new Date(process.env['BENCH_SEED_NOW']) : new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
if (!(scale > 0) || !(batch > 0) || Number.isNaN(anchor.getTime())) throw new Error('BENCH_SEED_SCALE and BENCH_SEED_BATCH must be positive, BENCH_SEED_NOW an instant');

const count = (n: number): number => Math.max(1, Math.round(n * scale));
/** The sizes asked for by issue 22: 100k persons, 500k requests, 1M service records, 1M transfers. */
const PERSONS = count(100_000);
const VOLUNTEERS = Math.max(20, Math.round(PERSONS * 0.3));
const HOUSEHOLDS = Math.floor((PERSONS - VOLUNTEERS) / 2);
const REQUESTS = count(500_000);
const RECORDS = count(1_000_000);
const TRANSFERS = count(1_000_000);
const WISHES = count(20_000);
const DEVICES = Math.min(count(2_000), HOUSEHOLDS);
const ALERTS = count(20_000);
const CONTRIBUTIONS = count(2_000);
const ATTENDEES = 25;
const MERCHANTS = 100;
const ITEMS = 5;
const TEAMS = 200;
const TEAM_SIZE = 20;
const DAYS = 730;

const now = anchor.toISOString();
const start = new Date(anchor.getTime() - DAYS * 86_400_000).toISOString();
/** Seconds the data spans, as a literal for the SQL. */
const span = DAYS * 86_400;

const url = databaseUrl(SCALE_DATABASE);
const began = performance.now();
const timings: { phase: string; rows: number; seconds: number }[] = [];

// Database and migrations
// ---------------------------------------------------------------------------

if (reuse && (await scaleDatabaseExists())) {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  const counts = await rowCounts(client);
  // The staging schema goes last: while it is there, a seed stopped before its indexes, audit and statistics.
  const [staging] = await client<{ present: boolean }[]>`select exists (select 1 from pg_namespace where nspname = 'seed') as present`;
  await client.end();
  if ((counts.find((entry) => entry.table === 'points.transfers')?.rows ?? 0) > 0 && !staging?.present) {
    process.stdout.write(`Reusing ${SCALE_DATABASE} (BENCH_SEED_REUSE):\n`);
    for (const entry of counts) process.stdout.write(`  ${entry.table.padEnd(32)} ${entry.rows.toLocaleString('en')}\n`);
    process.exit(0);
  }
}

process.stdout.write(`Seeding database ${SCALE_DATABASE} on ${new URL(url).host}, data up to ${now}\n`);
const admin = postgres(databaseUrl('postgres'), { max: 1, onnotice: () => undefined });
await admin.unsafe(`drop database if exists "${SCALE_DATABASE}" with (force)`);
await admin.unsafe(`create database "${SCALE_DATABASE}"`);
await admin.end();

await phase('migrations', 4, async (bar) => {
  for (const module of [peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph]) {
    const database = await openDatabase({ url, applicationName: 'lianxin-seed' });
    try {
      await database.migrate({ folder: module.migrationsFolder, schema: module.dbSchema });
    } finally {
      await database.close();
    }
    bar.increment();
  }
});

// One connection: the staging helpers and settings are per session.
const db = postgres(url, { max: 1, onnotice: () => undefined, connection: { application_name: 'lianxin-seed' } });

try {
  await db.unsafe(`set synchronous_commit = off; set work_mem = '256MB'; set maintenance_work_mem = '512MB'`);
  await db.unsafe(`
    create schema seed;
    -- The helpers below are single expressions of immutable functions, so the planner inlines them into each
    -- statement instead of calling a SQL function per row (about three times faster). That is why n is cast to
    -- text explicitly: text || bigint is only stable, and a stable body would not be inlined.
    -- A deterministic pseudo-random number in 0 .. 2^32-1 for row n (what random() would give, repeatably).
    create function seed.h(salt text, n bigint) returns bigint language sql immutable parallel safe as
      $$ select ('x' || substr(md5(salt || ':' || n::text), 1, 8))::bit(32)::bigint $$;
    -- A deterministic id for row n of a kind: an RFC 9562 version 8 (custom) UUID made of an md5, its version
    -- digit set to 8 and its variant digit to 8, 9, a or b (the md5's own digit there, modulo 4).
    create function seed.uid(kind text, n bigint) returns uuid language sql immutable parallel safe as $$
      select overlay(overlay(md5('lianxin-seed:' || kind || ':' || n::text) placing '8' from 13 for 1)
                     placing translate(substr(md5('lianxin-seed:' || kind || ':' || n::text), 17, 1), '0123456789abcdef', '89ab89ab89ab89ab') from 17 for 1)::uuid $$;
    -- A Chinese name for person n: a common surname and two given characters.
    create function seed.name(n bigint) returns text language sql immutable parallel safe as $$
      select (array['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','胡','朱','高','林','何','郭','马','罗'])[1 + seed.h('surname', n) % 20]
          || (array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平','刚','桂','英','华','玉','兰','建','国','志','红'])[1 + seed.h('given1', n) % 30]
          || (array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平','刚','桂','英','华','玉','兰','建','国','志','红'])[1 + seed.h('given2', n) % 30] $$;
    -- A passbook number: the 11-digit serial and its Luhn check digit (points/src/accounts/passbook.ts).
    create function seed.passbook(serial bigint) returns text language sql immutable parallel safe as $$
      select lpad(serial::text, 11, '0') || ((10 - (select sum(case when i % 2 = 1 then (d * 2) / 10 + (d * 2) % 10 else d end)
        from (select i, substr(reverse(lpad(serial::text, 11, '0')), i, 1)::int as d from generate_series(1, 11) as i) as digits) % 10) % 10)::text $$;
    -- The Beijing calendar day of an instant.
    create function seed.beijing_day(at timestamptz) returns date language sql immutable parallel safe as
      $$ select (at at time zone 'Asia/Shanghai')::date $$;
  `);

  // Secondary indexes are built once over the loaded rows, not maintained row by row through the load: several
  // times faster, GIN most of all. Unique and primary-key indexes and those of constraints stay, so every row is
  // still checked as it is written; each index dropped is recreated from its own definition before the audit.
  const deferred = await db.unsafe<{ name: string; definition: string }[]>(`
    select format('%I.%I', n.nspname, c.relname) as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('people', 'requests', 'points', 'recognition') and not i.indisunique and not i.indisprimary
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
     order by n.nspname, c.relname`);
  for (const index of deferred) await db.unsafe(`drop index ${index.name}`);

  // Places
  // -------------------------------------------------------------------------
  await phase('regions', 1 + 10 + 100 + 1000, async (bar) => {
    await db.unsafe(`
      create unlogged table seed.regions as
        select 0 as n, seed.uid('region', 0) as id, null::uuid as parent_id, 'district'::people.region_kind as kind, '滨河区' as name, 0 as level
        union all select s, seed.uid('region', s), seed.uid('region', 0), 'street', '滨河第' || s || '街道', 1 from generate_series(1, 10) as s
        union all select 100 + c, seed.uid('region', 100 + c), seed.uid('region', 1 + c / 10), 'community', '滨河' || (1 + c / 10) || '-' || (1 + c % 10) || '社区', 2
          from generate_series(0, 99) as c
        union all select 1000 + q, seed.uid('region', 1000 + q), seed.uid('region', 100 + q / 10), 'compound', '滨河' || (1 + q / 100) || '-' || (1 + q / 10 % 10) || '-' || (1 + q % 10) || '小区', 3
          from generate_series(0, 999) as q`);
    // Level by level: the trigger derives each path from the parent's.
    for (let level = 0; level <= 3; level += 1) {
      const inserted = await db.unsafe(
        `insert into people.regions (id, parent_id, kind, name, created_at) select id, parent_id, kind, name, '${start}'::timestamptz - interval '400 days' from seed.regions where level = ${level} order by n`,
      );
      bar.increment(inserted.count);
    }
    // Compound q (0..999): its community (q / 10), street (q / 100), and its place path (ancestors, then itself).
    await db.unsafe(`
      create unlogged table seed.compounds as
        select q, r.id, r.path || r.id as place, seed.uid('region', 100 + q / 10) as community_id, q / 10 as community
          from generate_series(0, 999) as q join people.regions r on r.id = seed.uid('region', 1000 + q);
      create unique index on seed.compounds (q);
      create unlogged table seed.communities as
        select c, r.id, r.path || r.id as place from generate_series(0, 99) as c join people.regions r on r.id = seed.uid('region', 100 + c);
      create unique index on seed.communities (c);
      insert into requests.directory_regions (id, parent_id, kind, path) select id, parent_id, kind::text, path from people.regions;
      insert into recognition.region_levels (region_id, kind) select id, kind::text from people.regions;
      -- Stations: the district's practice centre, an institute per street, a station per community.
      insert into people.stations (id, kind, name, region_id, parent_id)
        select seed.uid('station', n), case level when 0 then 'practice_centre' when 1 then 'institute' else 'station' end::people.station_kind,
               name || case level when 0 then '新时代文明实践中心' when 1 then '新时代文明实践所' else '新时代文明实践站' end, id,
               case level when 0 then null when 1 then seed.uid('station', 0) else seed.uid('station', n / 10 - 9) end
          from seed.regions where level < 3 order by level, n;`);
  });

  // People
  // -------------------------------------------------------------------------
  // Persons 1..V are volunteers, each with a home of their own; the others live two to a household (V+1 and V+2
  // in household 1, …), registered in the year before the data starts.
  await db.unsafe(`
    create unlogged table seed.persons as
      select n, seed.uid('person', n) as id, seed.name(n) as name,
             (case when n <= ${VOLUNTEERS} then seed.h('vhome', n) else seed.h('home', (n - ${VOLUNTEERS} + 1) / 2) end % 1000)::int as home,
             '${start}'::timestamptz - interval '365 days' + (n * 365.0 / ${PERSONS}) * interval '1 day' as registered_at,
             '1' || (3 + seed.h('phone', n) % 7) || lpad(n::text, 9, '0') as phone,
             case when seed.h('gender', n) % 2 = 0 then 'male' else 'female' end::people.gender as gender,
             date '1940-01-01' + (seed.h('birth', n) % 25000)::int as birth_date
        from generate_series(1, ${PERSONS}) as n;
    create unique index on seed.persons (n);`);
  await batched('persons', PERSONS, (from, to) => [
    `insert into people.persons (id, name, home_region_id, registered_at, phone, gender, birth_date, registered_by)
       select p.id, p.name, c.id, p.registered_at, p.phone, p.gender, p.birth_date, 'seed' from seed.persons p join seed.compounds c on c.q = p.home where p.n between ${from} and ${to}`,
    `insert into requests.directory_persons (id, registered_at) select id, registered_at from seed.persons where n between ${from} and ${to}`,
    `insert into points.directory_persons (person_id, registered_at, learned_at) select id, registered_at, registered_at from seed.persons where n between ${from} and ${to}`,
  ]);
  await batched('volunteers', VOLUNTEERS, (from, to) => [
    `insert into people.volunteer_profiles (person_id, skills, party_member, status, registered_at, updated_at)
       select id, array[(array['维修','医护','心理','理发','辅导','陪伴'])[1 + seed.h('skill', n) % 6]], seed.h('party', n) % 5 = 0,
              case when seed.h('vstatus', n) % 100 < 90 then 'active' when seed.h('vstatus', n) % 100 < 96 then 'paused' else 'left' end::people.volunteer_status,
              registered_at + interval '1 day', registered_at + interval '1 day'
         from seed.persons where n between ${from} and ${to}`,
  ]);
  await batched('households', HOUSEHOLDS, (from, to) => [
    `insert into people.households (id, address_region_id, unit, hardship_level, registered_at, registered_by)
       select seed.uid('household', k), p.home_id, (1 + k % 6) || '单元' || (101 + k % 20) || '室',
              case when seed.h('hardship', k) % 100 < 80 then 'ordinary' when seed.h('hardship', k) % 100 < 95 then 'low_income' else 'special_hardship' end::people.hardship_level,
              p.registered_at, 'seed'
         from generate_series(${from}, ${to}) as k
         join lateral (select c.id as home_id, s.registered_at from seed.persons s join seed.compounds c on c.q = s.home where s.n = ${VOLUNTEERS} + 2 * k - 1) p on true`,
    `insert into people.household_members (household_id, person_id, relation, joined_at)
       select seed.uid('household', k), s.id, case when s.n % 2 = (${VOLUNTEERS} + 1) % 2 then 'head' else 'spouse' end::people.household_relation, s.registered_at
         from generate_series(${from}, ${to}) as k join seed.persons s on s.n in (${VOLUNTEERS} + 2 * k - 1, ${VOLUNTEERS} + 2 * k)`,
    `insert into requests.directory_household_members (household_id, person_id)
       select seed.uid('household', k), seed.uid('person', m) from generate_series(${from}, ${to}) as k, lateral (values (${VOLUNTEERS} + 2 * k - 1), (${VOLUNTEERS} + 2 * k)) as v(m)`,
  ]);
  // Two teams per community, twenty volunteers each (team t's member k is volunteer (20t + k) mod V + 1; k = 0 captains).
  await phase('teams', TEAMS * (TEAM_SIZE + 1), async (bar) => {
    const teams = await db.unsafe(`
      insert into people.teams (id, name, community_id, kind, created_at)
        select seed.uid('team', t), '滨河' || (1 + t / 20) || '-' || (1 + t / 2 % 10) || (array['维修服务队','关爱服务队'])[1 + t % 2],
               seed.uid('region', 100 + t / 2), (array['repair','special_needs'])[1 + t % 2]::people.team_kind, '${start}'::timestamptz - interval '300 days'
          from generate_series(0, ${TEAMS - 1}) as t`);
    await db.unsafe(`
      insert into people.team_members (team_id, person_id, role, joined_at)
        select seed.uid('team', t), seed.uid('person', (${TEAM_SIZE} * t + k) % ${VOLUNTEERS} + 1), case when k = 0 then 'captain' else 'member' end::people.team_role,
               '${start}'::timestamptz - interval '300 days'
          from generate_series(0, ${TEAMS - 1}) as t, generate_series(0, ${TEAM_SIZE - 1}) as k;
      insert into requests.directory_teams (id, community_id) select id, community_id from people.teams;
      insert into requests.directory_team_members (team_id, person_id, role) select team_id, person_id, role::text::requests.team_role from people.team_members;
      insert into people.team_categories (team_id, category_code)
        select seed.uid('team', t), unnest(case when t % 2 = 0 then array['home_repair'] else array['companionship','cleaning'] end) from generate_series(0, ${TEAMS - 1}) as t;`);
    bar.increment(teams.count * (TEAM_SIZE + 1));
  });

  // Service requests
  // -------------------------------------------------------------------------
  // Filed evenly over the two years by residents (non-volunteers) at home. A week or more old, a request is closed
  // (rated 45%, completed 40%, cancelled 10%, rejected 5%); younger, it may be anywhere on its way. A third go to
  // a team of the community (one of its members accepts), the rest to a volunteer.
  await phase('requests: staging', 1, async (bar) => {
    await db.unsafe(`
      create unlogged table seed.requests as
        with base as (
          select n, seed.uid('request', n) as id,
                 ${VOLUNTEERS} + 1 + seed.h('requester', n) % ${PERSONS - VOLUNTEERS} as requester,
                 (array['buying_daily_necessities','hospital_escort','urgent_medicine','psychological_support','home_repair','cleaning','haircut','tutoring','companionship','other'])[1 + seed.h('category', n) % 10] as category,
                 (array['app','mini_program','phone','walk_in','grid_worker'])[1 + seed.h('channel', n) % 5]::requests.request_channel as channel,
                 '${start}'::timestamptz + ((n - 1) * ${span}.0 / ${REQUESTS} + seed.h('filed', n) % 3600) * interval '1 second' as created_at,
                 seed.h('status', n) % 100 as s, seed.h('team', n) % 3 = 0 as by_team
            from generate_series(1, ${REQUESTS}) as n
        ), placed as (
          select b.*, p.home, c.id as region_id, c.place as region_path, c.community,
                 case when b.created_at < '${now}'::timestamptz - interval '7 days' then
                   case when s < 45 then 'rated' when s < 85 then 'completed' when s < 95 then 'cancelled' else 'rejected' end
                 else (array['submitted','approved','dispatched','accepted','in_service','completed'])[1 + s % 6] end::requests.request_status as status
            from base b join seed.persons p on p.n = b.requester join seed.compounds c on c.q = p.home
        ), timed as (
          select pl.*, 2 * pl.community + seed.h('which', n) % 2 as team,
                 created_at + (600 + seed.h('accept', n) % 28800) * interval '1 second' as accepted,
                 (30 + seed.h('minutes', n) % 211)::int as minutes
            from placed pl
        )
        select t.*, accepted + (1800 + seed.h('start', n) % 86400) * interval '1 second' as started,
               case when by_team then (${TEAM_SIZE} * team + seed.h('member', n) % ${TEAM_SIZE}) % ${VOLUNTEERS} + 1 else 1 + seed.h('assignee', n) % ${VOLUNTEERS} end as assignee
          from timed t;
      create unique index on seed.requests (n);`);
    bar.increment();
  });
  await batched('requests', REQUESTS, (from, to) => [
    `insert into requests.service_requests (id, requester_id, category_code, description, channel, status, filed_by, created_at, region_id, region_path,
        dispatched_team_id, dispatched_person_id, assignee_id, accepted_at, started_at, completed_at, completion_note, rating, rating_comment, rated_by, rated_at, updated_at)
       select id, seed.uid('person', requester), category, '请帮忙：' || category || ' #' || n, channel, status,
              case when channel in ('phone', 'walk_in', 'grid_worker') then seed.uid('person', 1 + seed.h('filer', n) % ${VOLUNTEERS}) end,
              created_at, region_id, region_path,
              case when accepted_at is not null or status = 'dispatched' then case when by_team then seed.uid('team', team) end end,
              case when accepted_at is not null or status = 'dispatched' then case when not by_team then seed.uid('person', assignee) end end,
              case when accepted_at is not null then seed.uid('person', assignee) end,
              accepted_at, started_at, completed_at, case when completed_at is not null then '已完成' end,
              case when status = 'rated' then rating end, case when status = 'rated' then '服务很好' end,
              case when status = 'rated' then seed.uid('person', requester) end, case when status = 'rated' then completed_at + interval '1 day' end,
              coalesce(completed_at, accepted_at, created_at)
         from (select r.*, case when status in ('accepted','in_service','completed','rated') then accepted end as accepted_at,
                      case when status in ('in_service','completed','rated') then started end as started_at,
                      case when status in ('completed','rated') then started + minutes * interval '1 minute' end as completed_at,
                      (3 + seed.h('rating', n) % 3)::smallint as rating
                 from seed.requests r where n between ${from} and ${to}) as r`,
    `insert into requests.request_transitions (id, request_id, from_status, to_status, actor_kind, actor_id, at)
       select seed.uid('transition', n), id, null, 'submitted', 'person', seed.uid('person', requester), created_at from seed.requests where n between ${from} and ${to}`,
  ]);

  // Service records
  // -------------------------------------------------------------------------
  // One per request served (by its assignee, when it completed); the rest are activity hours: activities of the
  // communities spread over the two years, 25 volunteers each; then 1% of all reversed.
  const [served] = await db.unsafe<{ n: string }[]>(`select count(*)::text as n from seed.requests where status in ('completed', 'rated')`);
  const requestRecords = Number(served?.n ?? 0);
  const reversals = Math.round(RECORDS / 101);
  const activities = Math.max(1, Math.ceil((RECORDS - reversals - requestRecords) / ATTENDEES));
  await phase('activities: staging', 1, async (bar) => {
    await db.unsafe(`
      create unlogged table seed.activities as
        select a, seed.uid('activity', a) as id, 1 + seed.h('organiser', a) % ${VOLUNTEERS} as organiser,
               (array['buying_daily_necessities','cleaning','haircut','tutoring','companionship','other'])[1 + seed.h('acategory', a) % 6] as category,
               (seed.h('acommunity', a) % 100)::int as community,
               date_trunc('hour', '${start}'::timestamptz + ((a - 1) * ${span - 86_400}.0 / ${activities}) * interval '1 second') + interval '1 hour' as starts_at
          from generate_series(1, ${activities}) as a;
      create unique index on seed.activities (a);
      create unlogged table seed.records as
        select row_number() over (order by served_at, id) as n, * from (
          select seed.uid('record', r.n) as id, seed.uid('person', r.assignee) as volunteer_id, r.category, r.minutes,
                 r.started + r.minutes * interval '1 minute' as served_at, r.id as request_id, null::uuid as activity_id, r.region_id, r.region_path,
                 r.started + r.minutes * interval '1 minute' + interval '10 minutes' as created_at
            from seed.requests r where r.status in ('completed', 'rated')
          union all
          select seed.uid('arecord', a.a * ${ATTENDEES} + k), seed.uid('person', ((a.a * ${ATTENDEES} + k)::bigint * 7919) % ${VOLUNTEERS} + 1), a.category,
                 (60 + seed.h('aminutes', a.a * ${ATTENDEES} + k) % 121)::int, a.starts_at, null, a.id, c.id, c.place,
                 a.starts_at + interval '1 day'
            from seed.activities a join seed.communities c on c.c = a.community, generate_series(0, ${ATTENDEES - 1}) as k
        ) as records;
      create unique index on seed.records (n);
      create unlogged table seed.reversals as
        select row_number() over (order by n) as n, seed.uid('reversal', n) as id, id as reverses_id, n as original
          from seed.records where seed.h('reversed', n) % 100 = 0 order by n limit ${reversals};
      create unique index on seed.reversals (n);
      create index on seed.reversals (original);`);
    bar.increment();
  });
  await batched('activities', activities, (from, to) => [
    `insert into requests.activities (id, organiser_id, title, description, category_code, region_id, region_path, starts_at, ends_at, capacity, created_at)
       select a.id, seed.uid('person', a.organiser), '社区志愿活动 #' || a.a, '', a.category, c.id, c.place, a.starts_at, a.starts_at + interval '4 hours', 30, a.starts_at - interval '7 days'
         from seed.activities a join seed.communities c on c.c = a.community where a.a between ${from} and ${to}`,
    `insert into requests.activity_signups (activity_id, person_id, status, signed_up_at, changed_at)
       select a.id, seed.uid('person', ((a.a * ${ATTENDEES} + k)::bigint * 7919) % ${VOLUNTEERS} + 1), 'confirmed', a.starts_at - interval '3 days', a.starts_at - interval '3 days'
         from seed.activities a, generate_series(0, ${ATTENDEES - 1}) as k where a.a between ${from} and ${to}`,
  ]);
  await batched('service records', requestRecords + activities * ATTENDEES, (from, to) => [
    `insert into requests.service_records (id, kind, volunteer_id, category_code, minutes, served_at, request_id, activity_id, region_id, region_path, description, created_at)
       select id, 'service', volunteer_id, category, minutes, served_at, request_id, activity_id, region_id, region_path,
              case when request_id is not null then '上门服务' else '参加社区活动' end, created_at
         from seed.records where n between ${from} and ${to}`,
  ]);
  await batched('attendances', requestRecords + activities * ATTENDEES, (from, to) => [
    `insert into requests.activity_attendances (activity_id, person_id, checked_in_at, checked_out_at, minutes, approved_minutes, approved_by, approved_at, service_record_id)
       select r.activity_id, r.volunteer_id, r.served_at, r.served_at + r.minutes * interval '1 minute', r.minutes, r.minutes, seed.uid('person', a.organiser),
              r.served_at + interval '1 day', r.id
         from seed.records r join seed.activities a on a.id = r.activity_id
        where r.n between ${from} and ${to} and r.activity_id is not null`,
  ]);
  await batched('reversals', reversals, (from, to) => [
    `insert into requests.service_records (id, kind, volunteer_id, category_code, minutes, served_at, request_id, activity_id, region_id, region_path, description, reverses_id, reason, created_at)
       select v.id, 'reversal', r.volunteer_id, r.category, -r.minutes, r.served_at, r.request_id, r.activity_id, r.region_id, r.region_path, '冲正', r.id, '记录有误，冲正', r.created_at + interval '2 days'
         from seed.reversals v join seed.records r on r.n = v.original where v.n between ${from} and ${to}`,
  ]);

  // Every record written is queued for the service-hour rollups (migration 0017 of requests); folded here as the
  // subgraph's job would, so the statistics at scale read the rollups as a running graph's would.
  await phase('service-hour rollups', requestRecords + activities * ATTENDEES + reversals, async (bar) => {
    for (;;) {
      const [row] = await db.unsafe<{ folded: number }[]>(`select requests.fold_service_hours(${batch}) as folded`);
      if (!row?.folded) break;
      bar.increment(row.folded);
    }
  });

  // What recognition learnt of them
  // -------------------------------------------------------------------------
  await batched('recognition facts', requestRecords + activities * ATTENDEES, (from, to) => [
    `insert into recognition.service_facts (service_record_id, reverses_id, volunteer_id, minutes, served_on, region_path, category_code, recorded_at)
       select id, null, volunteer_id, minutes, seed.beijing_day(served_at), region_path, category, created_at from seed.records where n between ${from} and ${to}`,
    `insert into recognition.service_facts (service_record_id, reverses_id, volunteer_id, minutes, served_on, region_path, category_code, recorded_at)
       select v.id, r.id, r.volunteer_id, -r.minutes, seed.beijing_day(r.served_at), r.region_path, r.category, r.created_at + interval '2 days'
         from seed.reversals v join seed.records r on r.n = v.original where r.n between ${from} and ${to}`,
    `insert into recognition.rating_facts (request_id, volunteer_id, score, rated_on, region_path, category_code, recorded_at)
       select q.id, q.assignee_id, q.rating, seed.beijing_day(q.rated_at), q.region_path, q.category_code, q.rated_at
         from seed.records r join requests.service_requests q on q.id = r.request_id where r.n between ${from} and ${to} and q.status = 'rated'`,
  ]);
  await phase('recognition tallies', VOLUNTEERS, async (bar) => {
    const tallies = await db.unsafe(`
      insert into recognition.person_tallies (person_id, service_minutes, services, ratings, rating_sum, first_served_at, last_served_at)
        select s.volunteer_id, s.minutes, s.services, coalesce(g.ratings, 0), coalesce(g.rating_sum, 0), s.first_served, s.last_served
          from (select volunteer_id, sum(minutes)::int as minutes, sum(case when reverses_id is null then 1 else -1 end)::int as services,
                       min(served_on)::timestamptz as first_served, max(served_on)::timestamptz as last_served
                  from recognition.service_facts group by volunteer_id) s
          left join (select volunteer_id, count(*)::int as ratings, sum(score)::int as rating_sum from recognition.rating_facts group by volunteer_id) g
            on g.volunteer_id = s.volunteer_id`);
    bar.increment(tallies.count);
  });
  // Badges, as the migration's three rules award them (recognition/src/badges/rules.ts): a team member who served
  // a request dispatched to their team (once), four services or more in a Beijing month (each such month), an
  // average rating of 4.5 or more over ten ratings or more (once). Each is awarded when the fact that earned it
  // was recorded, with the figures compared.
  await phase('badges', TEAMS * TEAM_SIZE + 3, async (bar) => {
    const members = await db.unsafe(`insert into recognition.team_memberships (team_id, person_id, joined_at) select team_id, person_id, joined_at from people.team_members`);
    bar.increment(members.count);
    for (const statement of [
      `insert into recognition.badge_awards (id, badge_code, holder_id, awarded_at, rule_id, period_start, tally)
        select seed.uid('team_badge', row_number() over (order by assignee_id)), 'team_served', assignee_id, first_at, '0197a000-0000-7000-8000-000000000001', null,
               jsonb_build_object('teamId', team_id, 'services', services)
          from (select q.assignee_id, min(q.dispatched_team_id::text)::uuid as team_id, count(*)::int as services, min(r.created_at) as first_at
                  from requests.service_records r join requests.service_requests q on q.id = r.request_id
                  join people.team_members m on m.team_id = q.dispatched_team_id and m.person_id = q.assignee_id
                 where r.kind = 'service' group by q.assignee_id) as served`,
      `insert into recognition.badge_awards (id, badge_code, holder_id, awarded_at, rule_id, period_start, tally)
        select seed.uid('active_badge', row_number() over (order by volunteer_id, month)), 'active_volunteer', volunteer_id, fourth_at,
               '0197a000-0000-7000-8000-000000000002', month, jsonb_build_object('services', services)
          from (select volunteer_id, month, (count(*) filter (where reverses_id is null) - count(*) filter (where reverses_id is not null))::int as services,
                       min(recorded_at) filter (where rank = 4) as fourth_at
                  from (select volunteer_id, reverses_id, recorded_at, date_trunc('month', served_on)::date as month,
                               row_number() over (partition by volunteer_id, date_trunc('month', served_on) order by recorded_at, service_record_id) as rank
                          from recognition.service_facts) as facts
                 group by volunteer_id, month) as months
         where services >= 4 and fourth_at is not null`,
      `insert into recognition.badge_awards (id, badge_code, holder_id, awarded_at, rule_id, period_start, tally)
        select seed.uid('rated_badge', row_number() over (order by volunteer_id)), 'well_rated', volunteer_id, last_at, '0197a000-0000-7000-8000-000000000003', null,
               jsonb_build_object('ratings', ratings, 'ratingSum', rating_sum)
          from (select volunteer_id, count(*)::int as ratings, sum(score)::int as rating_sum, max(recorded_at) as last_at
                  from recognition.rating_facts where volunteer_id is not null group by volunteer_id) as rated
         where ratings >= 10 and rating_sum * 100 >= 450 * ratings`,
    ]) {
      await db.unsafe(statement);
      bar.increment();
    }
  });

  // The bank
  // -------------------------------------------------------------------------
  // A head bank for the district, a branch per street, a savings office per community (at its station), a merchant
  // per ten compounds' worth of shops (the first is the central exchange), five goods each; deposits at 60 points an
  // hour for every category but companionship and "other" (their records are decided `no_rule`).
  await phase('bank', 1 + 10 + 100 + MERCHANTS * (2 + ITEMS) + VOLUNTEERS, async (bar) => {
    await db.unsafe(`
      insert into points.bank_units (id, kind, name, parent_id, parent_kind, bank_id, region_id, station_id, redemption_window, is_default_office, created_by)
        select seed.uid('bank', 0), 'head_bank', '滨河区公益银行', null, null, seed.uid('bank', 0), seed.uid('region', 0), null, 'always_open', false, 'seed';
      insert into points.bank_units (id, kind, name, parent_id, parent_kind, bank_id, region_id, station_id, redemption_window, is_default_office, created_by)
        select seed.uid('bank', n), 'branch', name || '分行', seed.uid('bank', 0), 'head_bank', seed.uid('bank', 0), id, null, null, false, 'seed' from seed.regions where level = 1;
      insert into points.bank_units (id, kind, name, parent_id, parent_kind, bank_id, region_id, station_id, redemption_window, is_default_office, created_by)
        select seed.uid('bank', 100 + c), 'savings_office', r.name || '储蓄所', seed.uid('bank', 1 + c / 10), 'branch', seed.uid('bank', 0), r.id, seed.uid('station', 100 + c), null, c = 0, 'seed'
          from generate_series(0, 99) as c join seed.regions r on r.n = 100 + c;
      insert into points.deposit_rules (bank_id, category_code, points_per_hour, updated_by)
        select seed.uid('bank', 0), code, 60, 'seed' from requests.categories where code not in ('companionship', 'other');
      insert into people.organizations (id, name, kind, region_id)
        select seed.uid('organization', m), '滨河' || m || '号爱心超市', 'supermarket', seed.uid('region', 100 + m % 100) from generate_series(2, ${MERCHANTS}) as m;
      insert into points.merchants (id, kind, name, organization_id, bank_id, always_open, created_by)
        select seed.uid('merchant', m), case when m = 1 then 'central_exchange' else 'alliance' end::points.merchant_kind,
               case when m = 1 then '滨河区积分兑换中心' else '滨河' || m || '号爱心超市' end, case when m > 1 then seed.uid('organization', m) end, seed.uid('bank', 0), true, 'seed'
          from generate_series(1, ${MERCHANTS}) as m;
      insert into points.catalog_items (id, merchant_id, name, price_points, stock)
        select seed.uid('item', m * 10 + k), seed.uid('merchant', m), (array['大米','食用油','洗衣液','毛巾','香皂'])[1 + k], 5 + 2 * k, 1000000
          from generate_series(1, ${MERCHANTS}) as m, generate_series(0, ${ITEMS - 1}) as k;
      insert into points.accounts (id, kind, holder_id, passbook_number, merchant_id, opened_at, opened_by)
        select seed.uid('maccount', m), case when m = 1 then 'exchange' else 'merchant' end::points.account_kind, null, seed.passbook(${VOLUNTEERS} + m), seed.uid('merchant', m),
               '${start}'::timestamptz - interval '300 days', 'seed'
          from generate_series(1, ${MERCHANTS}) as m;
      -- A volunteer's account is opened at the savings office of their home's community, before their first service.
      insert into points.accounts (id, kind, holder_id, passbook_number, office_id, opened_at, opened_by)
        select seed.uid('account', p.n), 'customer', p.id, seed.passbook(p.n), seed.uid('bank', 100 + c.community), p.registered_at + interval '2 days', 'seed'
          from seed.persons p join seed.compounds c on c.q = p.home where p.n <= ${VOLUNTEERS};
      select setval('points.passbook_seq', ${VOLUNTEERS + MERCHANTS + 1});`);
    bar.increment(1 + 10 + 100 + MERCHANTS * (2 + ITEMS) + VOLUNTEERS);
  });

  // The ledger, computed whole: a deposit for each record with a rule (a minute after requests announced it), a
  // reversal of the deposit of each reversed record, and, to make the transfers up to TRANSFERS, redemptions, each
  // paid from the points of one deposit that was not reversed (so no passbook ever runs below zero), 1–30 days after it.
  await phase('ledger: staging', 1, async (bar) => {
    await db.unsafe(`
      create unlogged table seed.deposits as
        select r.n, r.id as record_id, r.volunteer_id, r.category, r.minutes, seed.uid('deposit', r.n) as id, seed.uid('dtransfer', r.n) as transfer_id,
               a.id as account_id, r.created_at + interval '1 minute' as created_at, v.id as reversal_id, r.created_at + interval '2 days 1 minute' as reversed_at
          from seed.records r
          join points.accounts a on a.holder_id = r.volunteer_id and a.kind = 'customer'
          left join seed.reversals v on v.original = r.n
         where r.category not in ('companionship', 'other');
      create unique index on seed.deposits (n);`);
    const [sizes] = await db.unsafe<{ deposits: string; reversed: string }[]>(`select count(*)::text as deposits, count(reversal_id)::text as reversed from seed.deposits`);
    const redemptions = Math.max(0, TRANSFERS - Number(sizes?.deposits ?? 0) - Number(sizes?.reversed ?? 0));
    await db.unsafe(`
      create unlogged table seed.redemptions as
        select row_number() over (order by created_at, id) as n, * from (
          select seed.uid('redemption', d.n) as id, seed.uid('ptransfer', d.n) as transfer_id, d.account_id,
                 1 + seed.h('merchant', d.n) % ${MERCHANTS} as merchant, seed.h('item', d.n) % ${ITEMS} as item, 1 + seed.h('quantity', d.n) % 2 as quantity,
                 least(d.created_at + (1 + seed.h('spent', d.n) % 30) * interval '1 day', '${now}'::timestamptz - interval '1 hour') as created_at
            from seed.deposits d where d.reversal_id is null order by seed.h('redeems', d.n) limit ${redemptions}
        ) as chosen;
      create unique index on seed.redemptions (n);
      create unlogged table seed.moves as
        select transfer_id as id, '00000000-0000-7000-8020-000000000000'::uuid as debit, account_id as credit, minutes::bigint as amount, 'service_record'::points.transfer_cause as cause,
               record_id::text as reference, null::uuid as reverses_id, null::text as note, created_at
          from seed.deposits
        union all
        select seed.uid('rtransfer', n), account_id, '00000000-0000-7000-8020-000000000000', minutes, 'reversal', record_id::text, transfer_id,
               'Service record ' || record_id || ' was reversed by record ' || reversal_id || '.', reversed_at
          from seed.deposits where reversal_id is not null
        union all
        select r.transfer_id, r.account_id, seed.uid('maccount', r.merchant), (5 + 2 * r.item) * r.quantity, 'redemption', r.id::text, null, null, r.created_at
          from seed.redemptions r;
      -- Passbook lines: each account's transfers in the order they were written, numbered, with the running balance.
      create unlogged table seed.transfers as
        with sides as (
          select id, debit as account_id, -amount as delta, created_at, true as debit from seed.moves
          union all select id, credit, amount, created_at, false from seed.moves
        ), numbered as (
          select id, debit, row_number() over passbook as line, sum(delta) over passbook as balance_after
            from sides window passbook as (partition by account_id order by created_at, id rows between unbounded preceding and current row)
        )
        select row_number() over (order by m.created_at, m.id) as n, m.*, d.line as debit_line, d.balance_after as debit_balance_after,
               c.line as credit_line, c.balance_after as credit_balance_after
          from seed.moves m join numbered d on d.id = m.id and d.debit join numbered c on c.id = m.id and not c.debit;
      create unique index on seed.transfers (n);`);
    bar.increment();
  });
  const [moved] = await db.unsafe<{ n: string }[]>(`select count(*)::text as n from seed.transfers`);
  const transfers = Number(moved?.n ?? 0);
  // The two row-by-row ledger checks are lifted for the load only (see the top of this file); the audit follows.
  await db.unsafe(`alter table points.transfers disable trigger transfers_check; alter table points.fund_entries disable trigger fund_entries_check`);
  try {
    await batched('transfers', transfers, (from, to) => [
      `insert into points.transfers (id, debit_account_id, credit_account_id, amount, cause, reference, created_at, created_by, note, reverses_id,
          debit_line, credit_line, debit_balance_after, credit_balance_after)
         select id, debit, credit, amount, cause, reference, created_at, 'seed', note, reverses_id, debit_line, credit_line, debit_balance_after, credit_balance_after
           from seed.transfers where n between ${from} and ${to}`,
    ]);
    const [redeemed] = await db.unsafe<{ n: string }[]>(`select count(*)::text as n from seed.redemptions`);
    await batched('redemptions', Number(redeemed?.n ?? 0), (from, to) => [
      `insert into points.redemptions (id, merchant_id, account_id, status, total_points, item_count, transfer_id, created_at, created_by, resolved_at, resolved_by)
         select id, seed.uid('merchant', merchant), account_id, 'captured', (5 + 2 * item) * quantity, quantity, transfer_id, created_at, 'seed', created_at, 'seed'
           from seed.redemptions where n between ${from} and ${to}`,
      `insert into points.redemption_lines (redemption_id, item_id, name, quantity, unit_points)
         select id, seed.uid('item', merchant * 10 + item), (array['大米','食用油','洗衣液','毛巾','香皂'])[1 + item], quantity, 5 + 2 * item
           from seed.redemptions where n between ${from} and ${to}`,
    ]);
    await batched('known records, deposits', requestRecords + activities * ATTENDEES, (from, to) => [
      `insert into points.service_records (id, volunteer_id, category_code, minutes, place, learned_at)
         select id, volunteer_id, category, minutes, region_path, created_at from seed.records where n between ${from} and ${to}`,
      `insert into points.deposits (id, service_record_id, account_id, person_id, category_code, minutes, points_per_hour, amount, transfer_id, created_at, created_by)
         select id, record_id, account_id, volunteer_id, category, minutes, 60, minutes, transfer_id, created_at, 'seed' from seed.deposits where n between ${from} and ${to}`,
      `insert into points.deposit_decisions (id, service_record_id, status, reason, decided_at, decided_by)
         select seed.uid('no_rule', n), id, 'no_rule'::points.deposit_decision_status, 'No deposit rule of the bank covers category ' || category || '.', created_at + interval '1 minute', 'seed'
           from seed.records where n between ${from} and ${to} and category in ('companionship', 'other')
         union all
         select seed.uid('reversed', r.n), r.id, 'reversed',
                case when r.category in ('companionship', 'other') then 'This service record was reversed: it earns no points.'
                     else 'This service record was reversed: it earns no points, and the ' || r.minutes || ' points deposited for it were taken back.' end,
                r.created_at + interval '2 days 1 minute', 'seed'
           from seed.reversals v join seed.records r on r.n = v.original where r.n between ${from} and ${to}`,
    ]);
    // The charity fund: gifts from the four sources (四个一点) through the two years, the first before anything is
    // paid, and a payment for one in four home repairs rated (requests keeps its fund charge).
    await phase('fund', 1, async (bar) => {
      await db.unsafe(`
        insert into points.funds (id, name, bank_id, created_by, created_at) values (seed.uid('fund', 0), '滨河区慈善基金', seed.uid('bank', 0), 'seed', '${start}'::timestamptz - interval '30 days');
        create unlogged table seed.fund_moves as
          select seed.uid('contribution', k) as id, 'contribution'::points.fund_entry_kind as kind, (100000 + seed.h('gift', k) % 900000)::bigint as amount,
                 (array['sponsoring_unit','company','public','residents'])[1 + seed.h('source', k) % 4]::points.contribution_source as source,
                 null::uuid as request_id, null::uuid as region_id, null::uuid[] as region_path,
                 '${start}'::timestamptz - interval '1 day' + ((k - 1) * ${span}.0 / ${CONTRIBUTIONS}) * interval '1 second' as created_at
            from generate_series(1, ${CONTRIBUTIONS}) as k
          union all
          select seed.uid('disbursement', r.n), 'disbursement', (2000 + seed.h('repair', r.n) % 18000)::bigint, null, r.id, r.region_id, r.region_path, r.started + interval '2 days'
            from seed.requests r where r.category = 'home_repair' and r.status = 'rated' and seed.h('funded', r.n) % 4 = 0;
        insert into points.fund_entries (id, fund_id, line, kind, amount, balance_after, source, contributor, service_request_id, memo, created_at, created_by)
          select id, seed.uid('fund', 0), row_number() over statement, kind, amount, sum(case when kind = 'contribution' then amount else -amount end) over statement,
                 source, case when kind = 'contribution' then '捐赠人' end, request_id, null, created_at, 'seed'
            from seed.fund_moves window statement as (order by created_at, id rows between unbounded preceding and current row);
        update points.funds f set balance = s.balance, entries = s.entries
          from (select sum(case when kind = 'contribution' then amount else -amount end) as balance, count(*) as entries from points.fund_entries) s where f.id = seed.uid('fund', 0);
        insert into requests.fund_charges (id, request_id, amount_fen, region_id, region_path, created_at)
          select id, request_id, amount, region_id, region_path, created_at - interval '1 minute' from seed.fund_moves where kind = 'disbursement';`);
      bar.increment();
    });
    await phase('balances', VOLUNTEERS + MERCHANTS + 1, async (bar) => {
      const updated = await db.unsafe(`
        update points.accounts a set balance = s.balance, lines = s.lines
          from (select account_id, sum(delta) as balance, count(*) as lines
                  from (select debit_account_id as account_id, -amount as delta from points.transfers union all select credit_account_id, amount from points.transfers) as sides
                 group by account_id) s
         where s.account_id = a.id`);
      bar.increment(updated.count);
    });
  } finally {
    await db.unsafe(`alter table points.transfers enable trigger transfers_check; alter table points.fund_entries enable trigger fund_entries_check`);
  }
  await db.unsafe(`
    insert into recognition.office_indicators (office_id, bank_id, accounts_opened, redemptions, points_redeemed, service_minutes)
      select o.id, o.bank_id, count(a.id)::int, coalesce(sum(r.redemptions), 0)::int, coalesce(sum(r.points), 0), coalesce(sum(d.minutes), 0)::int
        from points.bank_units o left join points.accounts a on a.office_id = o.id
        left join (select account_id, count(*) as redemptions, sum(total_points) as points from points.redemptions group by account_id) r on r.account_id = a.id
        left join (select account_id, sum(minutes) as minutes from points.deposits group by account_id) d on d.account_id = a.id
       where o.kind = 'savings_office' group by o.id, o.bank_id;
    insert into recognition.customer_offices (person_id, office_id, account_id, opened_at)
      select holder_id, office_id, id, opened_at from points.accounts where kind = 'customer';`);

  // Micro-wishes, devices and alerts
  // -------------------------------------------------------------------------
  await batched('micro-wishes', WISHES, (from, to) => [
    `insert into requests.micro_wishes (id, wisher_id, posted_by, title, story, region_id, region_path, status, claimant_id, claimed_at, fulfilled_at, thanks, thanked_at, created_at)
       select seed.uid('wish', w.n), p.id, seed.uid('person', 1 + seed.h('poster', w.n) % ${VOLUNTEERS}), '微心愿 #' || w.n, '希望得到一点帮助', c.id, c.place, w.status,
              case when w.status in ('claimed','fulfilled','thanked') then seed.uid('person', 1 + seed.h('claimant', w.n) % ${VOLUNTEERS}) end,
              case when w.status in ('claimed','fulfilled','thanked') then w.created_at + interval '2 days' end,
              case when w.status in ('fulfilled','thanked') then w.created_at + interval '9 days' end,
              case when w.status = 'thanked' then '谢谢！' end, case when w.status = 'thanked' then w.created_at + interval '10 days' end, w.created_at
         from (select n, '${start}'::timestamptz + ((n - 1) * ${span - 864_000}.0 / ${WISHES}) * interval '1 second' as created_at,
                      (case when seed.h('wstatus', n) % 100 < 10 then 'posted' when seed.h('wstatus', n) % 100 < 20 then 'published' when seed.h('wstatus', n) % 100 < 35 then 'claimed'
                            when seed.h('wstatus', n) % 100 < 70 then 'fulfilled' when seed.h('wstatus', n) % 100 < 90 then 'thanked' else 'withdrawn' end)::requests.wish_status as status
                 from generate_series(${from}, ${to}) as n) as w
         join seed.persons p on p.n = ${VOLUNTEERS} + 1 + seed.h('wisher', w.n) % ${PERSONS - VOLUNTEERS} join seed.compounds c on c.q = p.home`,
  ]);
  await phase('devices and alerts', DEVICES + ALERTS, async (bar) => {
    const devices = await db.unsafe(`
      insert into requests.devices (id, platform, external_id, household_id, resident_id, notify_person_id, region_id, region_path, registered_by, registered_at)
        select seed.uid('device', k), 'seedlink', 'device-' || k, seed.uid('household', k), seed.uid('person', ${VOLUNTEERS} + 2 * k - 1),
               seed.uid('person', 1 + seed.h('notify', k) % ${VOLUNTEERS}), c.id, c.place, seed.uid('person', 1 + seed.h('notify', k) % ${VOLUNTEERS}), '${start}'::timestamptz - interval '10 days'
          from generate_series(1, ${DEVICES}) as k join seed.persons p on p.n = ${VOLUNTEERS} + 2 * k - 1 join seed.compounds c on c.q = p.home`);
    const alerts = await db.unsafe(`
      insert into requests.alerts (id, kind, device_id, household_id, resident_id, notify_person_id, region_id, region_path, raised_at, acknowledged_at, acknowledged_by, acknowledgement_note)
        select seed.uid('alert', n), 'inactivity', d.id, d.household_id, d.resident_id, d.notify_person_id, d.region_id, d.region_path, x.raised_at,
               x.raised_at + (5 + seed.h('ack', n) % 115) * interval '1 minute', d.notify_person_id, '已上门查看，一切正常'
          from (select n, 1 + seed.h('device', n) % ${DEVICES} as device, '${start}'::timestamptz + ((n - 1) * ${span}.0 / ${ALERTS}) * interval '1 second' as raised_at
                  from generate_series(1, ${ALERTS}) as n) x
          join requests.devices d on d.id = seed.uid('device', x.device)`);
    bar.increment(devices.count + alerts.count);
  });

  // Checks and statistics
  // -------------------------------------------------------------------------
  await phase('indexes', deferred.length, async (bar) => {
    for (const index of deferred) {
      await db.unsafe(index.definition);
      bar.increment();
    }
  });
  await phase('audit', 1, async (bar) => {
    const ledger = await openDatabase({ url, applicationName: 'lianxin-seed' });
    try {
      const findings = await auditLedger(ledger.db);
      const [mirrors] = await db.unsafe<{ n: string }[]>(`
        select count(*)::text as n from points.transfers t join points.transfers o on o.id = t.reverses_id
         where o.cause = 'reversal' or o.debit_account_id <> t.credit_account_id or o.credit_account_id <> t.debit_account_id or o.amount <> t.amount`);
      if (Number(mirrors?.n ?? 0) > 0) findings.push(`${mirrors?.n} reversals do not mirror the transfer they reverse`);
      if (findings.length > 0) throw new Error(`the seeded books do not balance:\n${findings.slice(0, 20).join('\n')}`);
    } finally {
      await ledger.close();
    }
    bar.increment();
  });
  await phase('analyze', 1, async (bar) => {
    await db.unsafe(`drop schema seed cascade`);
    await db.unsafe(`vacuum analyze`);
    bar.increment();
  });

  process.stdout.write(`\nRows:\n`);
  for (const entry of await rowCounts(db)) process.stdout.write(`  ${entry.table.padEnd(32)} ${entry.rows.toLocaleString('en')}\n`);
  process.stdout.write(`\nPhases:\n`);
  for (const entry of timings) process.stdout.write(`  ${entry.phase.padEnd(32)} ${entry.seconds.toFixed(1).padStart(7)} s  ${entry.rows.toLocaleString('en')} rows\n`);
  process.stdout.write(`\nSeeded ${SCALE_DATABASE} in ${((performance.now() - began) / 1000).toFixed(1)} s (kept; drop it with: dropdb ${SCALE_DATABASE})\n`);
} finally {
  await db.end({ timeout: 5 });
}

// Progress
// ---------------------------------------------------------------------------

/** Runs one phase of `rows` rows under a progress bar showing rows per second; records how long it took. */
async function phase(name: string, rows: number, work: (bar: SingleBar) => Promise<void>): Promise<void> {
  const bar = new SingleBar(
    {
      format: `${name.padEnd(24)} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | {duration_formatted}`,
      hideCursor: true,
      etaBuffer: 20,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  const phaseBegan = performance.now();
  bar.start(rows, 0, { speed: 0 });
  const timer = setInterval(() => bar.update({ speed: Math.round((bar.getProgress() * rows) / ((performance.now() - phaseBegan) / 1000)) }), 500);
  try {
    await work(bar);
  } finally {
    clearInterval(timer);
    const seconds = (performance.now() - phaseBegan) / 1000;
    bar.update({ speed: Math.round(rows / Math.max(seconds, 0.001)) });
    bar.stop();
    timings.push({ phase: name, rows, seconds });
  }
}

/** A phase over rows 1..total of a staging table (or a plain series), `batch` rows per round of `statements`. */
async function batched(name: string, total: number, statements: (from: number, to: number) => string[]): Promise<void> {
  await phase(name, total, async (bar) => {
    for (let from = 1; from <= total; from += batch) {
      const to = Math.min(total, from + batch - 1);
      for (const statement of statements(from, to)) await db.unsafe(statement);
      bar.increment(to - from + 1);
    }
  });
}
