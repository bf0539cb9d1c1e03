/**
 * The people part of the demo data set (see the @lianxin/shared demo cast).
 * Idempotent: fixed ids, and rows that exist are left as they are. Phones and
 * ID numbers are synthetic: checksum-valid numbers derived from each person's
 * place in the cast, sealed with the configured key like any other.
 */
import type { Database } from '@lianxin/shared';
import {
  DEMO_BUILDING_CAPTAINS,
  DEMO_GRID_WORKERS,
  DEMO_GRIDS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_TEAMS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_ORGANIZATIONS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_STATIONS,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  demoId,
  demoRegionId,
  type DemoPerson,
  type DemoTeamKey,
} from '@lianxin/shared/demo';
import { idNumberCheckCharacter } from '../persons/id-number.js';
import { idNumberLookup, sealIdNumber } from '../privacy/crypto.js';
import { maskIdNumber } from '../privacy/masks.js';
import type { PeopleSettings } from '../settings.js';
import {
  buildingCaptains,
  gridRegions,
  grids,
  hardshipChanges,
  householdMembers,
  households,
  organizations,
  persons,
  regions,
  stations,
  teamCategories,
  teamMembers,
  teamRegions,
  teams,
  volunteerProfiles,
} from './schema.js';

/** Gender and birth of the seed's first cast, who predate these columns in the shared cast. */
const FIRST_CAST: Record<string, Pick<DemoPerson, 'gender' | 'born'>> = {
  王建国: { gender: 'male', born: '1956-03-12' },
  张秀英: { gender: 'female', born: '1960-07-01' },
  刘志强: { gender: 'male', born: '1958-11-23' },
  陈桂兰: { gender: 'female', born: '1962-02-14' },
  杨明: { gender: 'male', born: '1975-05-30' },
  赵磊: { gender: 'male', born: '1983-09-09' },
  黄伟: { gender: 'male', born: '1979-12-02' },
  周静: { gender: 'female', born: '1988-04-18' },
  吴强: { gender: 'male', born: '1966-08-08' },
  徐丽: { gender: 'female', born: '1971-10-10' },
  孙海: { gender: 'male', born: '1969-01-21' },
  马军: { gender: 'male', born: '1963-06-16' },
  刘桂芳: { gender: 'female', born: '1941-09-03' },
  何德顺: { gender: 'male', born: '1958-12-20' },
  郑小红: { gender: 'female', born: '1985-03-08' },
  林晓: { gender: 'female', born: '1988-11-11' },
};

/** A checksum-valid synthetic ID number: Xincheng's region code, the birth date, a sequence of the right parity. */
export function demoIdNumber(index: number, person: Pick<DemoPerson, 'gender' | 'born'>): string {
  const sequence = (index * 2 + (person.gender === 'male' ? 1 : 0)) % 1000;
  const first17 = `610102${person.born.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** A valid-looking, unique mobile number. */
export function demoPhone(index: number): string {
  return `1${['38', '39', '58', '86', '35'][index % 5]}0029${String(index).padStart(4, '0')}`;
}

const SKILLS: Record<DemoTeamKey, string[]> = {
  lexiujiang: ['水电维修', '家电维修', '管道疏通'],
  qiseguang: ['陪伴聊天', '代购代办', '助老服务'],
  jiankang: ['健康咨询', '慢病随访', '康复指导'],
  shangshan: ['课业辅导', '看护儿童', '手工'],
};

const CATEGORIES: Record<DemoTeamKey, string[]> = {
  lexiujiang: ['home_repair'],
  qiseguang: ['buying_daily_necessities', 'companionship', 'hospital_escort', 'psychological_support'],
  jiankang: ['hospital_escort', 'urgent_medicine', 'psychological_support'],
  shangshan: ['tutoring', 'companionship'],
};

export async function seedPeopleDemo(db: Database, settings: PeopleSettings): Promise<void> {
  await db.transaction(async (tx) => {
    // Parents are listed before children, so foreign keys and the path trigger hold row by row.
    const regionRows = [
      ...Object.values(DEMO_REGIONS).map((region) => ({
        id: region.id,
        parentId: region.parent ? DEMO_REGIONS[region.parent].id : null,
        kind: region.kind,
        name: region.name,
        code: region.code,
      })),
      ...Object.values(DEMO_XINCHENG_REGIONS).map((region) => ({
        id: region.id,
        parentId: demoRegionId(region.parent),
        kind: region.kind,
        name: region.name,
        code: region.code,
      })),
    ];
    for (const row of regionRows) await tx.insert(regions).values(row).onConflictDoNothing();

    const firstCast = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF].map((person) => ({
      id: person.id,
      name: person.name,
      home: person.home,
      ...(FIRST_CAST[person.name] ?? { gender: 'male' as const, born: '1970-01-01' }),
    }));
    const everyone: DemoPerson[] = [...firstCast, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
    const unitOf = new Map(DEMO_HOUSEHOLDS.flatMap((household) => household.members.map((member) => [member.personId, household.unit] as const)));
    // Registration times a minute apart keep the demo's listing order stable.
    const base = Date.UTC(2022, 0, 10, 1, 0, 0);
    await tx
      .insert(persons)
      .values(
        everyone.map((person, index) => {
          const idNumber = demoIdNumber(index, person);
          return {
            id: person.id,
            name: person.name,
            homeRegionId: demoRegionId(person.home),
            registeredAt: new Date(base + index * 60_000),
            phone: demoPhone(index),
            idNumberSealed: sealIdNumber(settings.dataKey, person.id, idNumber),
            idNumberLookup: idNumberLookup(settings.lookupKey, idNumber),
            idNumberMasked: maskIdNumber(idNumber),
            gender: person.gender,
            birthDate: person.born,
            homeUnit: unitOf.get(person.id) ?? `${(index % 3) + 1}单元${(index % 6) + 1}0${(index % 4) + 1}`,
            registeredBy: 'demo',
          };
        }),
      )
      .onConflictDoNothing();

    const volunteers: { id: string; team: DemoTeamKey }[] = [...DEMO_VOLUNTEERS.map((volunteer) => ({ id: volunteer.id, team: 'lexiujiang' as const })), ...DEMO_MORE_VOLUNTEERS];
    await tx
      .insert(volunteerProfiles)
      .values(
        volunteers.map((volunteer, index) => ({
          personId: volunteer.id,
          skills: SKILLS[volunteer.team].filter((_, k) => (index + k) % 3 !== 2),
          partyMember: index % 3 === 0,
          // A few take a break or have left, so every status appears.
          status: index % 29 === 7 ? ('paused' as const) : index % 31 === 11 ? ('left' as const) : ('active' as const),
          registeredAt: new Date(base + index * 3_600_000),
        })),
      )
      .onConflictDoNothing();

    await tx
      .insert(stations)
      .values(
        DEMO_STATIONS.map((station) => ({
          id: station.id,
          kind: station.kind,
          name: station.name,
          regionId: demoRegionId(station.region),
          parentId: station.parent === null ? null : DEMO_STATIONS[station.parent]!.id,
        })),
      )
      .onConflictDoNothing();

    await tx
      .insert(organizations)
      .values(
        DEMO_ORGANIZATIONS.map((organization, index) => ({
          ...organization,
          regionId: demoRegionId(organization.region),
          contactName: everyone[index + 20]!.name,
          contactPhone: demoPhone(900 + index),
        })),
      )
      .onConflictDoNothing();

    await tx
      .insert(grids)
      .values(DEMO_GRIDS.map((grid) => ({ id: grid.id, name: grid.name, communityId: demoRegionId(grid.community), workerId: grid.workerId })))
      .onConflictDoNothing();
    await tx
      .insert(gridRegions)
      .values(DEMO_GRIDS.flatMap((grid) => grid.coverage.map((key) => ({ regionId: demoRegionId(key), gridId: grid.id }))))
      .onConflictDoNothing();
    await tx
      .insert(buildingCaptains)
      .values(DEMO_BUILDING_CAPTAINS.map((captain) => ({ buildingId: demoRegionId(captain.building), personId: captain.personId, assignedBy: 'demo' })))
      .onConflictDoNothing();

    const teamRows = [
      {
        id: DEMO_TEAM.id,
        name: DEMO_TEAM.name,
        communityId: DEMO_REGIONS[DEMO_TEAM.community].id,
        kind: 'repair' as const,
        organizationId: null,
        key: 'lexiujiang' as DemoTeamKey,
      },
      ...Object.entries(DEMO_MORE_TEAMS).map(([key, team]) => ({
        id: team.id,
        name: team.name,
        communityId: demoRegionId(team.community),
        kind: team.kind,
        organizationId: key === 'shangshan' ? DEMO_ORGANIZATIONS[0]!.id : key === 'jiankang' ? DEMO_ORGANIZATIONS[1]!.id : null,
        key: key as DemoTeamKey,
      })),
    ];
    await tx
      .insert(teams)
      .values(teamRows.map(({ key: _key, ...team }) => team))
      .onConflictDoNothing();
    await tx
      .insert(teamCategories)
      .values(teamRows.flatMap((team) => CATEGORIES[team.key].map((categoryCode) => ({ teamId: team.id, categoryCode }))))
      .onConflictDoNothing();
    await tx
      .insert(teamRegions)
      .values([
        ...teamRows.map((team) => ({ teamId: team.id, regionId: team.communityId })),
        ...['zimingGarden', 'zimingNorth'].map((key) => ({ teamId: DEMO_MORE_TEAMS.qiseguang.id, regionId: demoRegionId(key) })),
      ])
      .onConflictDoNothing();
    const teamIdOf = (key: DemoTeamKey): string => teamRows.find((team) => team.key === key)!.id;
    await tx
      .insert(teamMembers)
      .values([
        ...DEMO_VOLUNTEERS.map((volunteer, index) => ({
          teamId: DEMO_TEAM.id,
          personId: volunteer.id,
          role: index === 0 ? ('captain' as const) : ('member' as const),
          joinedAt: new Date(base + index * 86_400_000),
        })),
        ...DEMO_MORE_VOLUNTEERS.map((volunteer, index) => ({
          teamId: teamIdOf(volunteer.team),
          personId: volunteer.id,
          // The first recruit of each new team leads it; 乐修匠 keeps its captain.
          role: volunteer.team !== 'lexiujiang' && DEMO_MORE_VOLUNTEERS.findIndex((other) => other.team === volunteer.team) === index ? ('captain' as const) : ('member' as const),
          joinedAt: new Date(base + (20 + index) * 86_400_000),
        })),
      ])
      .onConflictDoNothing();

    // Special-needs households are each looked after by a volunteer of their community, or else its grid worker.
    const caretakerOf = (index: number, address: string): string | null => {
      const household = DEMO_HOUSEHOLDS[index]!;
      if (household.needs.length === 0) return null;
      const neighbour = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.home === address && volunteer.team !== 'shangshan');
      if (neighbour.length > 0) return neighbour[index % neighbour.length]!.id;
      return (
        DEMO_GRIDS.find((grid) =>
          grid.coverage.some((key) => DEMO_XINCHENG_REGIONS[address]?.parent === key || (DEMO_REGIONS as Record<string, { parent: string | null }>)[address]?.parent === key),
        )?.workerId ?? null
      );
    };
    await tx
      .insert(households)
      .values(
        DEMO_HOUSEHOLDS.map((household, index) => ({
          id: household.id,
          addressRegionId: demoRegionId(household.address),
          unit: household.unit,
          hardshipLevel: household.hardship,
          specialNeeds: household.needs,
          consents: household.needs.includes('living_alone')
            ? (['contact_by_volunteers', 'home_visits', 'device_monitoring'] as const).slice()
            : (['contact_by_volunteers'] as const).slice(),
          caretakerId: caretakerOf(index, household.address),
          registeredAt: new Date(base + index * 600_000),
          registeredBy: 'demo',
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(householdMembers)
      .values(
        DEMO_HOUSEHOLDS.flatMap((household, index) =>
          household.members.map((member) => ({ householdId: household.id, personId: member.personId, relation: member.relation, joinedAt: new Date(base + index * 600_000) })),
        ),
      )
      .onConflictDoNothing();
    await tx
      .insert(hardshipChanges)
      .values(
        DEMO_HOUSEHOLDS.flatMap((household, index) =>
          household.hardship === 'ordinary'
            ? []
            : [
                {
                  id: demoId(49, index + 1),
                  householdId: household.id,
                  level: household.hardship,
                  reason: '民政部门认定（演示数据）',
                  changedBy: 'demo',
                  changedAt: new Date(base + index * 600_000),
                },
              ],
        ),
      )
      .onConflictDoNothing();
  });
}
