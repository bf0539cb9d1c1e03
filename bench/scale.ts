/**
 * The database `npm run bench:seed` fills and `npm run bench:stats` reads: on
 * the server of TEST_DATABASE_URL, named by BENCH_SCALE_DATABASE
 * (`lianxin_scale` unless set).
 */
import postgres from 'postgres';
import { TEST_DATABASE_URL } from '@lianxin/shared/testing';

export const SCALE_DATABASE = process.env['BENCH_SCALE_DATABASE'] || 'lianxin_scale';

if (!/^[a-z_][a-z0-9_]{0,62}$/.test(SCALE_DATABASE)) throw new Error(`BENCH_SCALE_DATABASE must be a plain lower-case name, not ${SCALE_DATABASE}`);

/** The URL of database `name` on the server of TEST_DATABASE_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Whether the scale database exists on the server. */
export async function scaleDatabaseExists(): Promise<boolean> {
  const admin = postgres(databaseUrl('postgres'), { max: 1, onnotice: () => undefined });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${SCALE_DATABASE}`;
    return rows.length > 0;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Rows in the tables the statistics read, by table, for the reports. */
export async function rowCounts(client: postgres.Sql): Promise<{ table: string; rows: number }[]> {
  const tables = [
    'people.regions',
    'people.persons',
    'people.volunteer_profiles',
    'people.households',
    'people.teams',
    'requests.service_requests',
    'requests.service_records',
    'requests.activities',
    'requests.activity_attendances',
    'requests.micro_wishes',
    'requests.alerts',
    'points.accounts',
    'points.transfers',
    'points.deposits',
    'points.redemptions',
    'points.redemption_lines',
    'points.fund_entries',
    'recognition.service_facts',
    'recognition.rating_facts',
    'recognition.badge_awards',
  ];
  const counts: { table: string; rows: number }[] = [];
  for (const table of tables) {
    const [row] = await client.unsafe<{ rows: string }[]>(`select count(*)::text as rows from ${table}`);
    counts.push({ table, rows: Number(row?.rows ?? 0) });
  }
  return counts;
}
