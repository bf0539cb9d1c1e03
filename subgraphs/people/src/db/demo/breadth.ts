/**
 * What the district holds beyond its communities: district-level professional
 * teams for special-needs care, a 学雷锋志愿服务联盟 alliance of them and
 * 乐修匠, a trade union and a government department, a compound without
 * property management, and a minor (小小文明引导员) volunteering with her
 * mother's recorded consent.
 */
import { eq } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_TEAM, demoId } from '@lianxin/shared/demo';
import { teamMemberAdded } from '../../events/publish.js';
import { idNumberLookup, sealIdNumber } from '../../privacy/crypto.js';
import { maskIdNumber } from '../../privacy/masks.js';
import type { PeopleSettings } from '../../settings.js';
import { allianceTeams, alliances, guardianConsents, organizations, persons, regions, teamMembers, teams } from '../schema.js';
import { DEMO_START, demoIdNumber } from './cast.js';

/** The minor of the demo; requests' demo signs her up for a flyer-clearing activity. */
export const DEMO_MINOR = { id: demoId(87, 30), name: '李小雨', gender: 'female' as const, born: '2014-05-01' };

const DISTRICT_TEAMS = ['新城区特殊需求关爱专业一队', '新城区特殊需求关爱专业二队', '新城区特殊需求关爱专业三队'].map((name, index) => ({
  id: demoId(87, index + 1),
  name,
  kind: 'special_needs' as const,
  communityId: DEMO_REGIONS.xincheng.id,
  organizationId: null,
  createdAt: new Date(DEMO_START + index * 60_000),
}));

const ALLIANCE = {
  id: demoId(87, 10),
  name: '新城区学雷锋志愿服务联盟',
  regionId: DEMO_REGIONS.xincheng.id,
  description: '区级专业队伍与社区服务队结成联盟，学雷锋日一同上门服务。',
  createdBy: 'demo',
};

async function seedMinor(tx: Transaction, settings: PeopleSettings): Promise<void> {
  const idNumber = demoIdNumber(950, DEMO_MINOR);
  await tx
    .insert(persons)
    .values({
      id: DEMO_MINOR.id,
      name: DEMO_MINOR.name,
      homeRegionId: DEMO_REGIONS.westBuilding1.id,
      registeredAt: new Date(DEMO_START),
      idNumberSealed: sealIdNumber(settings.dataKey, DEMO_MINOR.id, idNumber),
      idNumberLookup: idNumberLookup(settings.lookupKey, idNumber),
      idNumberMasked: maskIdNumber(idNumber),
      gender: DEMO_MINOR.gender,
      birthDate: DEMO_MINOR.born,
      homeUnit: '1单元202',
      registeredBy: 'demo',
    })
    .onConflictDoNothing();
  await tx
    .insert(guardianConsents)
    .values({ id: demoId(87, 31), minorId: DEMO_MINOR.id, guardianName: '李梅', relationship: '母亲', recordedBy: 'demo', recordedAt: new Date(DEMO_START) })
    .onConflictDoNothing();
}

export async function seedBreadth(tx: Transaction, settings: PeopleSettings): Promise<void> {
  await tx.insert(teams).values(DISTRICT_TEAMS).onConflictDoNothing();
  // Each led by a volunteer of the health team, who serves in both; they join after the seed's other members, announced as teamMemberAdd would.
  const captains = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'jiankang');
  const joined = await tx
    .insert(teamMembers)
    .values(
      DISTRICT_TEAMS.map((team, index) => ({
        teamId: team.id,
        personId: captains[index]!.id,
        role: 'captain' as const,
        joinedAt: new Date(DEMO_START + (20 + DEMO_MORE_VOLUNTEERS.length + index) * 86_400_000),
      })),
    )
    .onConflictDoNothing()
    .returning();
  for (const member of joined)
    await teamMemberAdded(
      tx,
      DISTRICT_TEAMS.find((team) => team.id === member.teamId)!,
      member,
    );
  await tx.insert(alliances).values(ALLIANCE).onConflictDoNothing();
  await tx
    .insert(allianceTeams)
    .values([...DISTRICT_TEAMS.map((team) => team.id), DEMO_TEAM.id].map((teamId) => ({ allianceId: ALLIANCE.id, teamId, addedBy: 'demo' })))
    .onConflictDoNothing();
  await tx
    .insert(organizations)
    .values([
      { id: demoId(87, 20), name: '新城区总工会', kind: 'trade_union' as const, regionId: DEMO_REGIONS.xincheng.id },
      { id: demoId(87, 21), name: '新城区民政局', kind: 'government_department' as const, regionId: DEMO_REGIONS.xincheng.id },
    ])
    .onConflictDoNothing();
  await tx.update(regions).set({ noPropertyManagement: true }).where(eq(regions.id, DEMO_REGIONS.xingleCompoundWest.id));
  await seedMinor(tx, settings);
}
