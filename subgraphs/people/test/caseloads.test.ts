/**
 * Caretaker assignments (包干), the one writer of caseloads: assigning,
 * replacing and ending publish `household.caretaker_changed` with ids only,
 * refused changes publish nothing; a caretaker holds no more households than
 * the cap of the region (12 unless an admin sets another), held by the
 * database even when several assignments race.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq, sql } from 'drizzle-orm';
import { envelopeOf, newId, rowsOf, type EventColumns, type EventEnvelope, type Viewer } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { households } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';
import { createdId, runMutation, type MutationPayload } from './support.js';

let people: SubgraphHarness<PeopleContext>;

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle], personId: DEMO_VOLUNTEERS[0]!.id }),
  xingleStation: viewerOf({ roles: ['station_admin'], regionIds: [xingle] }),
  zimingAdmin: viewerOf({ roles: ['community_admin'], regionIds: [ziming] }),
  volunteer: viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[9]!.id }),
};

type Payload = MutationPayload;

const mutate = (name: string, selection: string, input: Record<string, unknown>, viewer?: Viewer): Promise<Payload> => runMutation(people, name, selection, input, viewer);
const created = (name: string, field: string, input: Record<string, unknown>, viewer: Viewer): Promise<string> => createdId(people, name, field, input, viewer);

let serial = 900;
/** A new one-person household at `address`. */
async function newHousehold(address: string): Promise<string> {
  const idNumber = demoIdNumber((serial += 1), { gender: 'male', born: '1948-05-01' });
  const person = await created('personRegister', 'person', { name: `包干户${serial}`, idNumber, homeRegion: address }, as.xingleAdmin);
  return created('householdRegister', 'household', { address, members: [{ person, relation: 'HEAD' }], specialNeeds: ['LIVING_ALONE'] }, as.xingleAdmin);
}

async function caretakerEvents(): Promise<Pick<EventEnvelope, 'aggregateId' | 'payload'>[]> {
  const rows = await rowsOf<EventColumns & { id: string }>(
    people.database.db,
    sql`select id::text as id, type, aggregate_type, aggregate_id, sequence::text as sequence, payload::text as payload,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
        from people.outbox where type = 'household.caretaker_changed' order by position`,
  );
  return rows.map((row) => envelopeOf(row.id, 'people', row)).map(({ aggregateId, payload }) => ({ aggregateId, payload }));
}

async function heldBy(caretaker: string): Promise<number> {
  const [row] = await people.database.db.select({ total: count() }).from(households).where(eq(households.caretakerId, caretaker));
  return row!.total;
}

const assign = (household: string, caretaker: string, viewer: Viewer = as.xingleAdmin) =>
  mutate('householdCaretakerAssign', 'household { id caretaker { id } }', { household, caretaker }, viewer);
const setCap = (region: unknown, cap: unknown, viewer: Viewer = as.xingleAdmin) => mutate('regionCaseloadCapSet', 'region { id caseloadCap }', { region, cap }, viewer);
const capOf = async (region: string): Promise<number> => {
  const { data } = await people.execute(`query ($id: ID!) { region(id: $id) { caseloadCap } }`, { variables: { id: region }, viewer: as.xingleAdmin });
  return (data as { region: { caseloadCap: number } }).region.caseloadCap;
};

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('caretaker assignments', () => {
  it('publish household.caretaker_changed with ids only when assigned, replaced and ended; refused changes publish nothing', async () => {
    const address = DEMO_REGIONS.westBuilding1.id;
    const household = await newHousehold(address);
    const [first, second] = [DEMO_VOLUNTEERS[3]!.id, DEMO_VOLUNTEERS[4]!.id];
    const before = (await caretakerEvents()).length;
    expect(await assign(household, first)).toEqual({ household: { id: household, caretaker: { id: first } }, userErrors: [] });
    expect((await assign(household, first)).userErrors).toEqual([{ field: ['input', 'caretaker'], code: 'ALREADY_EXISTS' }]);
    expect((await assign(household, second, as.zimingAdmin)).topLevel).toBe('FORBIDDEN');
    expect((await assign(household, newId())).userErrors).toEqual([{ field: ['input', 'caretaker'], code: 'NOT_FOUND' }]);
    expect((await assign(household, 'nope')).userErrors).toEqual([{ field: ['input', 'caretaker'], code: 'INVALID' }]);
    expect((await assign(household, second)).userErrors).toEqual([]);
    const end = (target: string, viewer: Viewer = as.xingleAdmin) => mutate('householdCaretakerEnd', 'household { id caretaker { id } }', { household: target }, viewer);
    expect((await end(household, as.volunteer)).topLevel).toBe('FORBIDDEN');
    expect(await end(household)).toEqual({ household: { id: household, caretaker: null }, userErrors: [] });
    expect((await end(household)).userErrors).toEqual([{ field: ['input', 'household'], code: 'INVALID_STATE' }]);
    expect((await end('nope')).userErrors).toEqual([{ field: ['input', 'household'], code: 'INVALID' }]);

    const events = (await caretakerEvents()).slice(before);
    const changed = { aggregateId: household, payload: { householdId: household, regionId: address, changedAt: expect.any(String), changedById: DEMO_VOLUNTEERS[0]!.id } };
    expect(events).toEqual([
      { ...changed, payload: { ...changed.payload, caretakerId: first } },
      { ...changed, payload: { ...changed.payload, caretakerId: second } },
      { ...changed, payload: { ...changed.payload, caretakerId: null } },
    ]);
    for (const event of events) expect(Object.keys(event.payload).sort()).toEqual(['caretakerId', 'changedAt', 'changedById', 'householdId', 'regionId']);
  });
});

describe('the caseload cap', () => {
  it('is 12 unless set; admins of the region set it; bad caps and outsiders are refused', async () => {
    const building = DEMO_REGIONS.eastBuilding2.id;
    expect(await capOf(building)).toBe(12);
    const expectRefused = async (region: unknown, cap: unknown, viewer: Viewer, field: string[] | null, code: string) =>
      expect({ region, cap, answer: (await setCap(region, cap, viewer)).userErrors }).toEqual({ region, cap, answer: [{ field, code }] });
    await expectRefused(building, 0, as.xingleAdmin, ['input', 'cap'], 'INVALID');
    await expectRefused(building, 101, as.xingleAdmin, ['input', 'cap'], 'INVALID');
    await expectRefused(building, -3, as.xingleAdmin, ['input', 'cap'], 'INVALID');
    await expectRefused('nope', 5, as.xingleAdmin, ['input', 'region'], 'INVALID');
    await expectRefused(newId(), 5, as.xingleAdmin, ['input', 'region'], 'NOT_FOUND');
    await expectRefused(building, 5, as.zimingAdmin, ['input', 'region'], 'NOT_ALLOWED');
    expect((await setCap(building, 5, as.xingleStation)).topLevel).toBe('FORBIDDEN');
    expect((await setCap(building, 5, as.volunteer)).topLevel).toBe('FORBIDDEN');
    expect(await capOf(building)).toBe(12);

    // Set on the community, it applies below; a building's own cap comes first.
    expect(await setCap(xingle, 8)).toEqual({ region: { id: xingle, caseloadCap: 8 }, userErrors: [] });
    expect(await capOf(building)).toBe(8);
    expect(await setCap(building, 5)).toEqual({ region: { id: building, caseloadCap: 5 }, userErrors: [] });
    expect(await capOf(building)).toBe(5);
    expect(await capOf(DEMO_REGIONS.westBuilding1.id)).toBe(8);
    expect(await setCap(xingle, 12, as.platformAdmin)).toEqual({ region: { id: xingle, caseloadCap: 12 }, userErrors: [] });
  });

  it('refuses an assignment beyond the cap, and nothing changes', async () => {
    const building = DEMO_REGIONS.eastBuilding1.id;
    const caretaker = DEMO_VOLUNTEERS[5]!.id;
    const held = await heldBy(caretaker);
    expect((await setCap(building, held + 2)).userErrors).toEqual([]);
    const [a, b, c] = [await newHousehold(building), await newHousehold(building), await newHousehold(building)];
    expect((await assign(a, caretaker)).userErrors).toEqual([]);
    expect((await assign(b, caretaker)).userErrors).toEqual([]);
    const before = (await caretakerEvents()).length;
    expect(await assign(c, caretaker)).toEqual({ household: { id: c, caretaker: null }, userErrors: [{ field: ['input', 'caretaker'], code: 'CASELOAD_FULL' }] });
    expect(await heldBy(caretaker)).toBe(held + 2);
    expect((await caretakerEvents()).length).toBe(before);
    // Ending one makes room again.
    expect((await mutate('householdCaretakerEnd', 'household { id }', { household: a }, as.xingleAdmin)).userErrors).toEqual([]);
    expect((await assign(c, caretaker)).userErrors).toEqual([]);
  });

  it('holds when several assignments to one caretaker race: exactly the cap pass', async () => {
    const building = DEMO_REGIONS.westBuilding1.id;
    const caretaker = DEMO_VOLUNTEERS[6]!.id;
    const held = await heldBy(caretaker);
    expect((await setCap(building, held + 3)).userErrors).toEqual([]);
    const candidates: string[] = [];
    for (let index = 0; index < 7; index += 1) candidates.push(await newHousehold(building));
    const answers = await Promise.all(candidates.map((household) => assign(household, caretaker)));
    const codes = answers.map((answer) => answer.userErrors.map((error) => error.code).join(',') || 'ok').sort();
    expect(codes).toEqual(['CASELOAD_FULL', 'CASELOAD_FULL', 'CASELOAD_FULL', 'CASELOAD_FULL', 'ok', 'ok', 'ok']);
    expect(await heldBy(caretaker)).toBe(held + 3);
  });
});
