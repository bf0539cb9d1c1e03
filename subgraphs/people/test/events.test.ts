/**
 * The events people publishes: each mutation docs/events.md lists writes
 * its event(s) in its own transaction, with the documented aggregate, sequence
 * and payload (compared whole, so no field slips in); a refused mutation
 * writes none; no payload carries personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { envelopeOf, rowsOf, type EventColumns, type EventEnvelope, type Viewer } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS, DEMO_REGIONS, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { persons, regions, teamMembers } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';
import { createdId, runMutation, type MutationPayload } from './support.js';

let people: SubgraphHarness<PeopleContext>;

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle] }),
  zimingAdmin: viewerOf({ roles: ['community_admin'], regionIds: [ziming] }),
  volunteer: viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[9]!.id }),
};

type Payload = MutationPayload;

const mutate = (name: string, selection: string, input: Record<string, unknown>, viewer?: Viewer): Promise<Payload> => runMutation(people, name, selection, input, viewer);
const created = (name: string, field: string, input: Record<string, unknown>, viewer: Viewer): Promise<string> => createdId(people, name, field, input, viewer);

/**
 * Every event in people's outbox, in the order written. Read from the table
 * itself rather than through a transport: a transport waits for the oldest
 * transaction in the whole cluster, which other test files share.
 */
async function outbox(): Promise<EventEnvelope[]> {
  const rows = await rowsOf<EventColumns & { id: string }>(
    people.database.db,
    sql`select id::text as id, type, aggregate_type, aggregate_id, sequence::text as sequence, payload::text as payload,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
        from people.outbox order by position`,
  );
  return rows.map((row) => envelopeOf(row.id, 'people', row));
}

/** The events `work` wrote, as type, aggregate, sequence and payload. */
async function eventsOf(work: () => Promise<unknown>): Promise<Pick<EventEnvelope, 'type' | 'aggregateType' | 'aggregateId' | 'sequence' | 'payload'>[]> {
  const before = (await outbox()).length;
  await work();
  return (await outbox()).slice(before).map(({ type, aggregateType, aggregateId, sequence, payload }) => ({ type, aggregateType, aggregateId, sequence, payload }));
}

async function pathOf(regionId: string): Promise<string[]> {
  const [row] = await people.database.db.select({ path: regions.path }).from(regions).where(eq(regions.id, regionId));
  return row!.path;
}

/** When the person's latest membership of the team began and ended, as events write instants. */
async function membershipTimes(teamId: string, personId: string): Promise<{ joinedAt: string; leftAt: string | null }> {
  const rows = await people.database.db
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.personId, personId)));
  const latest = rows.sort((a, b) => b.joinedAt.getTime() - a.joinedAt.getTime())[0]!;
  return { joinedAt: latest.joinedAt.toISOString(), leftAt: latest.leftAt?.toISOString() ?? null };
}

let serial = 800;
const freshIdNumber = (): string => demoIdNumber((serial += 1), { gender: 'female', born: '1956-03-08' });

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('the outbox', () => {
  it("holds the demo data's own announcements only: one team_member.added per membership the seed wrote, in the order they joined", async () => {
    const events = await outbox();
    const members = await people.database.db.select().from(teamMembers);
    expect(members.length).toBeGreaterThanOrEqual(100);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['team_member.added']));
    expect(events.map((event) => `${event.payload['teamId'] as string} ${event.payload['personId'] as string}`).sort()).toEqual(
      members.map((member) => `${member.teamId} ${member.personId}`).sort(),
    );
    const joined = events.map((event) => Date.parse(event.payload['joinedAt'] as string));
    expect(joined).toEqual([...joined].sort((a, b) => a - b));
    // Loading the demo again writes no second announcement.
    await peopleSubgraph.seedDemo(people.database.db, peopleSubgraph.settings(process.env));
    expect(await outbox()).toHaveLength(events.length);
  });
});

describe('persons', () => {
  it('publishes person.registered with the id, the instant, the home region and the masked display name only, in the transaction of personRegister', async () => {
    const idNumber = freshIdNumber();
    const phone = '13712345678';
    let person = '';
    const events = await eventsOf(async () => {
      person = await created('personRegister', 'person', { name: '事件新人', idNumber, phone, homeRegion: DEMO_REGIONS.eastBuilding2.id, homeUnit: '2单元302' }, as.xingleAdmin);
    });
    const [row] = await people.database.db.select({ registeredAt: persons.registeredAt }).from(persons).where(eq(persons.id, person));
    expect(events).toEqual([
      {
        type: 'person.registered',
        aggregateType: 'person',
        aggregateId: person,
        sequence: 1,
        payload: { personId: person, registeredAt: row!.registeredAt.toISOString(), homeRegionId: DEMO_REGIONS.eastBuilding2.id, displayName: '事**', minor: false },
      },
    ]);
    const published = JSON.stringify(events);
    for (const secret of [idNumber, phone, '事件新人', '2单元302']) expect(published).not.toContain(secret);
  });

  it('publishes person.leaderboard_opt_out_set with the choice and its instant when the person changes it, nothing when it stands', async () => {
    const self = DEMO_VOLUNTEERS[9]!.id;
    const events = await eventsOf(async () => {
      expect(await mutate('leaderboardOptOutSet', 'person { id leaderboardOptOut }', { optOut: true }, as.volunteer)).toEqual({
        person: { id: self, leaderboardOptOut: true },
        userErrors: [],
      });
      // The same choice again changes nothing, so announces nothing.
      expect((await mutate('leaderboardOptOutSet', 'person { leaderboardOptOut }', { optOut: true }, as.volunteer)).userErrors).toEqual([]);
    });
    const [row] = await people.database.db.select().from(persons).where(eq(persons.id, self));
    expect(row).toMatchObject({ leaderboardOptOut: true });
    expect(events).toEqual([
      {
        type: 'person.leaderboard_opt_out_set',
        aggregateType: 'person',
        aggregateId: self,
        sequence: expect.any(Number),
        payload: { personId: self, optedOut: true, changedAt: row!.leaderboardOptOutChangedAt!.toISOString() },
      },
    ]);
    // The consent is the person's own: others read null; an account that is no person cannot make it.
    const read = `query ($id: ID!) { person(id: $id) { leaderboardOptOut } }`;
    expect((await people.execute(read, { variables: { id: self }, viewer: as.volunteer })).data).toEqual({ person: { leaderboardOptOut: true } });
    expect((await people.execute(read, { variables: { id: self }, viewer: as.platformAdmin })).data).toEqual({ person: { leaderboardOptOut: null } });
    expect(await eventsOf(async () => expect((await mutate('leaderboardOptOutSet', 'person { id }', { optOut: false }, as.platformAdmin)).topLevel).toBe('FORBIDDEN'))).toEqual([]);
    const back = await eventsOf(() => mutate('leaderboardOptOutSet', 'person { id }', { optOut: false }, as.volunteer));
    expect(back.map((event) => [event.type, event.payload['optedOut']])).toEqual([['person.leaderboard_opt_out_set', false]]);
  });

  it('publishes person.home_changed when personUpdate moves the home, and nothing for other changes', async () => {
    const person = await created('personRegister', 'person', { name: '事件搬家', idNumber: freshIdNumber(), homeRegion: DEMO_REGIONS.eastBuilding2.id }, as.xingleAdmin);
    const moved = await eventsOf(async () => {
      expect((await mutate('personUpdate', 'person { id }', { person, homeRegion: DEMO_REGIONS.westBuilding1.id, homeUnit: '1单元101' }, as.xingleAdmin)).userErrors).toEqual([]);
    });
    expect(moved).toEqual([
      { type: 'person.home_changed', aggregateType: 'person', aggregateId: person, sequence: 2, payload: { personId: person, homeRegionId: DEMO_REGIONS.westBuilding1.id } },
    ]);
    expect(JSON.stringify(moved)).not.toContain('1单元101');
    const unmoved = await eventsOf(async () => {
      expect((await mutate('personUpdate', 'person { id }', { person, homeRegion: DEMO_REGIONS.westBuilding1.id, phone: '13712345679' }, as.xingleAdmin)).userErrors).toEqual([]);
    });
    expect(unmoved).toEqual([]);
  });

  it('publishes nothing for a refused registration: a duplicate ID number, a home outside the scope, a forbidden role', async () => {
    const idNumber = freshIdNumber();
    await created('personRegister', 'person', { name: '事件登记', idNumber, homeRegion: DEMO_REGIONS.eastBuilding2.id }, as.xingleAdmin);
    const refused = await eventsOf(async () => {
      expect((await mutate('personRegister', 'person { id }', { name: '重复', idNumber, homeRegion: DEMO_REGIONS.eastBuilding2.id }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'idNumber'], code: 'ALREADY_EXISTS' },
      ]);
      expect(
        (await mutate('personRegister', 'person { id }', { name: '越界', idNumber: freshIdNumber(), homeRegion: DEMO_REGIONS.eastBuilding2.id }, as.zimingAdmin)).userErrors,
      ).toEqual([{ field: ['input', 'homeRegion'], code: 'NOT_ALLOWED' }]);
      expect((await mutate('personRegister', 'person { id }', { name: '无权', idNumber: freshIdNumber(), homeRegion: DEMO_REGIONS.eastBuilding2.id }, as.volunteer)).topLevel).toBe(
        'FORBIDDEN',
      );
    });
    expect(refused).toEqual([]);
  });
});

describe('regions', () => {
  it('publishes region.created with the stored path, then region.moved as sequence 2; descendants publish nothing', async () => {
    let compound = '';
    const creation = await eventsOf(async () => {
      compound = await created('regionCreate', 'region', { parent: xingle, kind: 'COMPOUND', name: '事件小区' }, as.xingleAdmin);
    });
    expect(creation).toEqual([
      {
        type: 'region.created',
        aggregateType: 'region',
        aggregateId: compound,
        sequence: 1,
        payload: { regionId: compound, parentId: xingle, kind: 'compound', path: [...(await pathOf(xingle)), xingle] },
      },
    ]);
    const building = await created('regionCreate', 'region', { parent: compound, kind: 'BUILDING', name: '事件1号楼' }, as.xingleAdmin);

    const move = await eventsOf(() => mutate('regionMove', 'region { id }', { region: compound, parent: ziming }, as.platformAdmin));
    const newPath = [...(await pathOf(ziming)), ziming];
    expect(await pathOf(compound)).toEqual(newPath);
    expect(move).toEqual([{ type: 'region.moved', aggregateType: 'region', aggregateId: compound, sequence: 2, payload: { regionId: compound, parentId: ziming, path: newPath } }]);
    // The building moved with it; consumers rewrite descendants from the one event.
    expect(await pathOf(building)).toEqual([...newPath, compound]);

    // Under the parent it already has, a region does not move.
    expect(await eventsOf(() => mutate('regionMove', 'region { id }', { region: compound, parent: ziming }, as.platformAdmin))).toEqual([]);
  });

  it('publishes a root province with a null parent and an empty path', async () => {
    let province = '';
    const events = await eventsOf(async () => {
      province = await created('regionCreate', 'region', { kind: 'PROVINCE', name: '事件省' }, as.platformAdmin);
    });
    expect(events).toEqual([
      { type: 'region.created', aggregateType: 'region', aggregateId: province, sequence: 1, payload: { regionId: province, parentId: null, kind: 'province', path: [] } },
    ]);
  });

  it('publishes nothing for refused region changes', async () => {
    const refused = await eventsOf(async () => {
      expect((await mutate('regionCreate', 'region { id }', { parent: ziming, kind: 'COMPOUND', name: '越界' }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'parent'], code: 'NOT_ALLOWED' },
      ]);
      expect((await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: 'x', code: '610102' }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'code'], code: 'ALREADY_EXISTS' },
      ]);
      expect((await mutate('regionMove', 'region { id }', { region: ziming, parent: ziming }, as.platformAdmin)).userErrors).toEqual([
        { field: ['input', 'parent'], code: 'INVALID' },
      ]);
      expect((await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: 'x' }, as.volunteer)).topLevel).toBe('FORBIDDEN');
    });
    expect(refused).toEqual([]);
  });
});

describe('building captains', () => {
  it('publishes building_captain.assigned on the building’s region aggregate, and nothing when refused', async () => {
    const building = DEMO_REGIONS.eastBuilding1.id;
    const captain = DEMO_VOLUNTEERS[4]!.id;
    const events = await eventsOf(() => mutate('buildingCaptainAssign', 'building { id }', { building, captain }, as.xingleAdmin));
    // Demo regions were seeded without events, so this is the building's first.
    expect(events).toEqual([
      { type: 'building_captain.assigned', aggregateType: 'region', aggregateId: building, sequence: 1, payload: { buildingId: building, personId: captain } },
    ]);
    const refused = await eventsOf(async () => {
      expect((await mutate('buildingCaptainAssign', 'building { id }', { building: DEMO_REGIONS.xingleCompoundEast.id, captain }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'building'], code: 'INVALID' },
      ]);
      expect((await mutate('buildingCaptainAssign', 'building { id }', { building, captain }, as.zimingAdmin)).userErrors).toEqual([
        { field: ['input', 'building'], code: 'NOT_ALLOWED' },
      ]);
    });
    expect(refused).toEqual([]);
  });
});

describe('teams', () => {
  const [first, second, third] = [DEMO_VOLUNTEERS[1]!.id, DEMO_VOLUNTEERS[2]!.id, DEMO_VOLUNTEERS[3]!.id];

  it('numbers two changes to one team 1 and 2, in order: team.created, then team_member.added', async () => {
    let team = '';
    const founding = await eventsOf(async () => {
      team = await created('teamCreate', 'team', { name: '事件服务队', kind: 'HEALTH', community: xingle }, as.xingleAdmin);
    });
    expect(founding).toEqual([
      {
        type: 'team.created',
        aggregateType: 'team',
        aggregateId: team,
        sequence: 1,
        payload: { teamId: team, communityId: xingle, organizationId: null, name: '事件服务队', kind: 'health' },
      },
    ]);
    const joining = await eventsOf(() => mutate('teamMemberAdd', 'team { id }', { team, person: first }, as.xingleAdmin));
    const { joinedAt } = await membershipTimes(team, first);
    expect(joining).toEqual([
      {
        type: 'team_member.added',
        aggregateType: 'team',
        aggregateId: team,
        sequence: 2,
        payload: { teamId: team, personId: first, role: 'member', joinedAt, communityId: xingle },
      },
    ]);
  });

  it('names the team’s organisation in team.created, for recognition to know whose side a project or a judge is on', async () => {
    let team = '';
    const organization = DEMO_ORGANIZATIONS[0]!.id;
    const founding = await eventsOf(async () => {
      team = await created('teamCreate', 'team', { name: '事件机构队', kind: 'GENERAL', community: xingle, organization }, as.xingleAdmin);
    });
    expect(founding).toEqual([
      {
        type: 'team.created',
        aggregateType: 'team',
        aggregateId: team,
        sequence: 1,
        payload: { teamId: team, communityId: xingle, organizationId: organization, name: '事件机构队', kind: 'general' },
      },
    ]);
  });

  it('publishes a founding captain as the team’s first member, then captain changes and departures', async () => {
    let team = '';
    const founding = await eventsOf(async () => {
      team = await created('teamCreate', 'team', { name: '事件巾帼队', kind: 'WOMEN', community: xingle, captain: first }, as.xingleAdmin);
    });
    expect(founding).toEqual([
      {
        type: 'team.created',
        aggregateType: 'team',
        aggregateId: team,
        sequence: 1,
        payload: { teamId: team, communityId: xingle, organizationId: null, name: '事件巾帼队', kind: 'women' },
      },
      {
        type: 'team_member.added',
        aggregateType: 'team',
        aggregateId: team,
        sequence: 2,
        payload: { teamId: team, personId: first, role: 'captain', joinedAt: (await membershipTimes(team, first)).joinedAt, communityId: xingle },
      },
    ]);

    const captain = viewerOf({ roles: ['volunteer', 'team_captain'], personId: first });
    expect((await eventsOf(() => mutate('teamMemberAdd', 'team { id }', { team, person: second }, captain))).map((event) => [event.type, event.sequence])).toEqual([
      ['team_member.added', 3],
    ]);

    const handover = await eventsOf(() => mutate('teamCaptainSet', 'team { id }', { team, captain: second }, as.xingleAdmin));
    expect(handover).toEqual([
      { type: 'team.captain_changed', aggregateType: 'team', aggregateId: team, sequence: 4, payload: { teamId: team, captainId: second, previousCaptainId: first } },
    ]);
    // Naming the captain again changes nothing.
    expect(await eventsOf(() => mutate('teamCaptainSet', 'team { id }', { team, captain: second }, as.xingleAdmin))).toEqual([]);

    const leaving = await eventsOf(() => mutate('teamMemberRemove', 'team { id }', { team, person: first }, viewerOf({ roles: ['volunteer'], personId: first })));
    const { leftAt } = await membershipTimes(team, first);
    expect(leftAt).not.toBeNull();
    expect(leaving).toEqual([{ type: 'team_member.removed', aggregateType: 'team', aggregateId: team, sequence: 5, payload: { teamId: team, personId: first, leftAt } }]);

    // A team founded without a captain gets its first one from null.
    const plain = await created('teamCreate', 'team', { name: '事件无队长队', community: xingle }, as.xingleAdmin);
    await mutate('teamMemberAdd', 'team { id }', { team: plain, person: third }, as.xingleAdmin);
    expect(await eventsOf(() => mutate('teamCaptainSet', 'team { id }', { team: plain, captain: third }, as.xingleAdmin))).toEqual([
      { type: 'team.captain_changed', aggregateType: 'team', aggregateId: plain, sequence: 3, payload: { teamId: plain, captainId: third, previousCaptainId: null } },
    ]);
  });

  it('publishes nothing for refused team changes: a member added twice, a stranger, a captain who is not a member, a forbidden role', async () => {
    const team = await created('teamCreate', 'team', { name: '事件拒绝队', community: xingle, captain: first }, as.xingleAdmin);
    await mutate('teamMemberAdd', 'team { id }', { team, person: second }, as.xingleAdmin);
    const refused = await eventsOf(async () => {
      expect((await mutate('teamMemberAdd', 'team { id }', { team, person: second }, as.xingleAdmin)).userErrors).toEqual([{ field: ['input', 'person'], code: 'ALREADY_EXISTS' }]);
      expect((await mutate('teamMemberAdd', 'team { id }', { team, person: third }, as.volunteer)).userErrors).toEqual([{ field: ['input', 'team'], code: 'NOT_ALLOWED' }]);
      expect((await mutate('teamMemberRemove', 'team { id }', { team, person: first }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'person'], code: 'INVALID_STATE' },
      ]);
      expect((await mutate('teamCaptainSet', 'team { id }', { team, captain: third }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'captain'], code: 'INVALID_STATE' },
      ]);
      expect((await mutate('teamCaptainSet', 'team { id }', { team, captain: second }, as.volunteer)).topLevel).toBe('FORBIDDEN');
      expect((await mutate('teamCreate', 'team { id }', { name: '事件拒绝队', community: xingle }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'name'], code: 'ALREADY_EXISTS' },
      ]);
      expect((await mutate('teamCreate', 'team { id }', { name: '越界队', community: ziming }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'community'], code: 'NOT_ALLOWED' },
      ]);
    });
    expect(refused).toEqual([]);
  });
});

describe('households', () => {
  const address = DEMO_REGIONS.westBuilding1.id;

  it('publishes one household_member.added per registered member, and nothing personal', async () => {
    const phone = '13987654321';
    const idNumbers = [freshIdNumber(), freshIdNumber()];
    const [head, spouse] = [
      await created('personRegister', 'person', { name: '事件户主', idNumber: idNumbers[0], phone, homeRegion: address }, as.xingleAdmin),
      await created('personRegister', 'person', { name: '事件配偶', idNumber: idNumbers[1], homeRegion: address }, as.xingleAdmin),
    ];
    let household = '';
    const events = await eventsOf(async () => {
      household = await created(
        'householdRegister',
        'household',
        {
          address,
          unit: '3单元601',
          members: [
            { person: head, relation: 'HEAD' },
            { person: spouse, relation: 'SPOUSE' },
          ],
          hardshipLevel: 'SPECIAL_HARDSHIP',
          specialNeeds: ['DISABLED'],
          consents: ['HOME_VISITS'],
        },
        as.xingleAdmin,
      );
    });
    expect(events).toEqual([
      { type: 'household_member.added', aggregateType: 'household', aggregateId: household, sequence: 1, payload: { householdId: household, personId: head } },
      { type: 'household_member.added', aggregateType: 'household', aggregateId: household, sequence: 2, payload: { householdId: household, personId: spouse } },
    ]);
    // Every event people has written so far, not just these: none carries a name, phone, ID number, hardship, need or home.
    const published = JSON.stringify(await outbox());
    for (const secret of [
      phone,
      ...idNumbers,
      '事件户主',
      '事件配偶',
      '3单元601',
      'special_hardship',
      'SPECIAL_HARDSHIP',
      'disabled',
      'home_visits',
      'hardship',
      'phone',
      'idNumber',
    ]) {
      expect(published).not.toContain(secret);
    }
  });

  it('publishes household members added and removed later, and nothing for refused changes', async () => {
    const person = await created('personRegister', 'person', { name: '事件独居', idNumber: freshIdNumber(), homeRegion: address }, as.xingleAdmin);
    const household = await created('householdRegister', 'household', { address, members: [{ person, relation: 'HEAD' }] }, as.xingleAdmin);
    const child = await created('personRegister', 'person', { name: '事件子女', idNumber: freshIdNumber(), homeRegion: address }, as.xingleAdmin);

    const added = await eventsOf(() => mutate('householdMemberAdd', 'household { id }', { household, person: child, relation: 'CHILD' }, as.xingleAdmin));
    expect(added).toEqual([
      { type: 'household_member.added', aggregateType: 'household', aggregateId: household, sequence: 2, payload: { householdId: household, personId: child } },
    ]);
    const refused = await eventsOf(async () => {
      expect((await mutate('householdMemberAdd', 'household { id }', { household, person: child, relation: 'CHILD' }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'person'], code: 'ALREADY_EXISTS' },
      ]);
      expect((await mutate('householdRegister', 'household { id }', { address, members: [{ person: child, relation: 'HEAD' }] }, as.xingleAdmin)).userErrors).toEqual([
        { field: ['input', 'members', '0', 'person'], code: 'ALREADY_EXISTS' },
      ]);
      expect((await mutate('householdMemberRemove', 'household { id }', { household, person: child }, as.zimingAdmin)).topLevel).toBe('FORBIDDEN');
      expect((await mutate('householdMemberRemove', 'household { id }', { household, person: child }, as.volunteer)).topLevel).toBe('FORBIDDEN');
    });
    expect(refused).toEqual([]);

    const removed = await eventsOf(() => mutate('householdMemberRemove', 'household { id }', { household, person: child }, as.xingleAdmin));
    expect(removed).toEqual([
      { type: 'household_member.removed', aggregateType: 'household', aggregateId: household, sequence: 3, payload: { householdId: household, personId: child } },
    ]);
    expect(
      await eventsOf(async () => {
        expect((await mutate('householdMemberRemove', 'household { id }', { household, person: child }, as.xingleAdmin)).userErrors).toEqual([
          { field: ['input', 'person'], code: 'NOT_FOUND' },
        ]);
      }),
    ).toEqual([]);
  });
});
