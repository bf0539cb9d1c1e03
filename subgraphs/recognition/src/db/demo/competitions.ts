/**
 * The demo's service projects and a Ningbo-style project competition
 * (项目大赛: projects apply, the best reach the final, gold goes to the
 * first) on the demo's teams and organisations, run to its final with its
 * awards given. The teams are seeded in every subgraph rather than announced,
 * so their communities, organisations and captains are written here (as
 * people's demo has them); their members arrive as `team_member.added`
 * events. Projects are linked to demo activities: 尚善学苑's to the spring's
 * gate duty its parents served (subgraphs/requests/src/db/demo/duty.ts), so
 * its results are measured from those records once they are applied. The
 * stages are closed here, before the demo's service events are applied, so
 * the frozen results carry no measured minutes; the projects' own results
 * are read live. Fixed ids in group 61.
 */
import type { Transaction } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_MORE_TEAMS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_ORGANIZATIONS,
  DEMO_REGIONS,
  DEMO_STAFF,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  demoId,
  demoRegionId,
} from '@lianxin/shared/demo';
import { closeCompetitionStage } from '../../competitions/service.js';
import { findCompetitionsByIds, findCriteriaOfCompetitions, insertCompetition, insertEntry, insertJudge, insertScores } from '../../competitions/store.js';
import { knownTeams, serviceProjectActivities, serviceProjects, type CompetitionStage } from '../schema.js';

/** The demo's competition: 新城区's first volunteer service project competition. */
export const DEMO_COMPETITION_ID = demoId(61, 0x100);

const captainOf = (team: keyof typeof DEMO_MORE_TEAMS): string | null => DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === team)?.id ?? null;

const TEAMS = [
  { teamId: DEMO_TEAM.id, communityId: DEMO_REGIONS.xingle.id, organizationId: null, captainId: DEMO_VOLUNTEERS[0]!.id },
  { teamId: DEMO_MORE_TEAMS.qiseguang.id, communityId: demoRegionId(DEMO_MORE_TEAMS.qiseguang.community), organizationId: null, captainId: captainOf('qiseguang') },
  {
    teamId: DEMO_MORE_TEAMS.jiankang.id,
    communityId: demoRegionId(DEMO_MORE_TEAMS.jiankang.community),
    organizationId: DEMO_ORGANIZATIONS[1]!.id,
    captainId: captainOf('jiankang'),
  },
  {
    teamId: DEMO_MORE_TEAMS.shangshan.id,
    communityId: demoRegionId(DEMO_MORE_TEAMS.shangshan.community),
    organizationId: DEMO_ORGANIZATIONS[0]!.id,
    captainId: captainOf('shangshan'),
  },
];

/** Four projects, in the order they apply: the best placed first in the final's scores below. */
const PROJECTS = [
  {
    id: demoId(61, 1),
    ownerOrganizationId: DEMO_ORGANIZATIONS[0]!.id,
    name: '尚善学苑家长卡口守护行动',
    categoryCode: 'other',
    regionId: DEMO_REGIONS.xingle.id,
    description: '疫情期间尚善学苑的家长轮流守护兴乐社区卡口，早5点到晚5点扫码测温、登记出入。',
  },
  {
    id: demoId(61, 2),
    ownerTeamId: DEMO_TEAM.id,
    name: '乐修匠上门维修',
    categoryCode: 'home_repair',
    regionId: DEMO_REGIONS.xingle.id,
    description: '为独居老人和困难家庭上门修水电、换灯泡、通下水。',
  },
  {
    id: demoId(61, 3),
    ownerTeamId: DEMO_MORE_TEAMS.jiankang.id,
    name: '健康有约社区义诊',
    categoryCode: 'hospital_escort',
    regionId: demoRegionId(DEMO_MORE_TEAMS.jiankang.community),
    description: '大康医院的青年医护每月进社区义诊、陪诊、送药。',
  },
  {
    id: demoId(61, 4),
    ownerTeamId: DEMO_MORE_TEAMS.qiseguang.id,
    name: '七色光助残陪伴',
    categoryCode: 'companionship',
    regionId: demoRegionId(DEMO_MORE_TEAMS.qiseguang.community),
    description: '陪伴残障朋友购物、就医、参加社区活动。',
  },
];

/** The gate duty's days (requests' demo activities 13/0x100 + day) and the community clean-up (13/1). */
const ACTIVITY_LINKS = [
  ...Array.from({ length: 84 }, (_, day) => ({ projectId: PROJECTS[0]!.id, activityId: demoId(13, 0x100 + day) })),
  { projectId: PROJECTS[1]!.id, activityId: demoId(13, 1) },
];

/** Judges: 林晓 and two grid workers, members of no team, so on no project's side. */
const JUDGES = [DEMO_STAFF[0]!.id, DEMO_GRID_WORKERS[0]!.id, DEMO_GRID_WORKERS[2]!.id];

/** Each judge's scores of each project on the three criteria, per stage (projects in PROJECTS' order). */
const SCORES: Record<'preliminary' | 'final', number[][][]> = {
  preliminary: [
    [
      [95, 90, 92],
      [88, 85, 90],
      [80, 82, 78],
      [70, 75, 72],
    ],
    [
      [93, 88, 90],
      [90, 84, 86],
      [78, 80, 80],
      [72, 70, 74],
    ],
  ],
  final: [
    [
      [96, 92, 94],
      [90, 86, 88],
      [82, 80, 84],
    ],
    [
      [94, 90, 92],
      [88, 88, 86],
      [80, 84, 80],
    ],
    [
      [95, 91, 93],
      [89, 85, 87],
      [81, 79, 83],
    ],
  ],
};

const BY = 'demo';

/** Every judge's scores of the projects still in `stage`. */
async function scoreStage(tx: Transaction, stage: 'preliminary' | 'final', criteria: readonly string[]): Promise<void> {
  const judges = stage === 'preliminary' ? JUDGES.slice(0, 2) : JUDGES;
  for (const [j, judgeId] of judges.entries()) {
    await insertJudge(tx, { competitionId: DEMO_COMPETITION_ID, stage, judgeId, assignedBy: BY });
    const rows = SCORES[stage][j]!.flatMap((values, p) =>
      values.map((score, c) => ({ competitionId: DEMO_COMPETITION_ID, stage, judgeId, projectId: PROJECTS[p]!.id, criterionId: criteria[c]!, score })),
    );
    await insertScores(tx, rows);
  }
}

export async function seedCompetitions(tx: Transaction): Promise<void> {
  await tx.insert(knownTeams).values(TEAMS).onConflictDoNothing();
  await tx
    .insert(serviceProjects)
    .values(PROJECTS.map((project) => ({ ...project, createdBy: BY })))
    .onConflictDoNothing();
  await tx
    .insert(serviceProjectActivities)
    .values(ACTIVITY_LINKS.map((link) => ({ ...link, linkedBy: BY })))
    .onConflictDoNothing();
  if ((await findCompetitionsByIds(tx, [DEMO_COMPETITION_ID])).length > 0) return;
  const competition = await insertCompetition(
    tx,
    {
      id: DEMO_COMPETITION_ID,
      title: '新城区首届志愿服务项目大赛',
      regionId: DEMO_REGIONS.xincheng.id,
      finalQuota: 3,
      goldCount: 1,
      silverCount: 1,
      bronzeCount: 1,
      excellenceCount: 0,
      createdBy: BY,
    },
    [
      { name: '项目成效', weight: 40 },
      { name: '创新性', weight: 30 },
      { name: '可持续性', weight: 30 },
    ],
  );
  const criteria = (await findCriteriaOfCompetitions(tx, [competition.id])).map((criterion) => criterion.id);
  for (const project of PROJECTS) await insertEntry(tx, { competitionId: competition.id, projectId: project.id, appliedBy: BY });
  const close = (stage: CompetitionStage) => closeCompetitionStage(tx, competition, stage, BY, new Date());
  await close('application');
  await scoreStage(tx, 'preliminary', criteria);
  await close('preliminary');
  await scoreStage(tx, 'final', criteria);
  await close('final');
}
