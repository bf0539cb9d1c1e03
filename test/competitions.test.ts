/**
 * A project competition end to end through the gateway, on the demo's teams:
 * two teams' captains create projects, a district admin creates the
 * competition, the projects apply, judges are assigned and score, a judge of
 * one team is refused on its project (CONFLICT_OF_INTEREST, from the
 * database), the preliminary advances the best, and the final gives gold.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_GRID_WORKERS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_VOLUNTEERS, DEMO_TEAM, demoRegionId, DEMO_MORE_TEAMS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const { ok, must } = operationsOn(() => graph);

const qiseguangCaptain = DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === 'qiseguang')!;
/** A member of 乐修匠 (not its captain): on the side of 乐修匠's project. */
const lexiujiangMember = DEMO_VOLUNTEERS[1]!;
const neutralJudge = DEMO_GRID_WORKERS[1]!;

interface Result {
  project: { name: string };
  position: number;
  advanced: boolean;
  award: string | null;
}

describe('a project competition through the gateway', () => {
  it('runs from creation to gold: apply, judge, score, advance, final, award', async () => {
    const districtAdmin = await graph.token({ roles: ['station_admin'], personId: DEMO_GRID_WORKERS[4]!.id, regionIds: [DEMO_REGIONS.xincheng.id] });
    const lexiujiang = await graph.token({ roles: ['team_captain'], personId: DEMO_VOLUNTEERS[0]!.id });
    const qiseguang = await graph.token({ roles: ['team_captain'], personId: qiseguangCaptain.id });
    const conflicted = await graph.token({ roles: ['volunteer'], personId: lexiujiangMember.id });
    const judge = await graph.token({ roles: ['volunteer'], personId: neutralJudge.id });

    const repair = await must<{ serviceProject: { id: string } }>(
      'serviceProjectCreate',
      'serviceProject { id }',
      { ownerTeam: DEMO_TEAM.id, name: '端到端维修项目', category: 'home_repair', region: DEMO_REGIONS.xingle.id, description: '上门维修' },
      lexiujiang,
    );
    const company = await must<{ serviceProject: { id: string } }>(
      'serviceProjectCreate',
      'serviceProject { id }',
      { ownerTeam: DEMO_MORE_TEAMS.qiseguang.id, name: '端到端助残项目', category: 'companionship', region: demoRegionId('ziming'), description: '陪伴' },
      qiseguang,
    );
    const created = await must<{ competition: { id: string; criteria: { id: string }[] } }>(
      'competitionCreate',
      'competition { id criteria { id } }',
      {
        title: '端到端项目大赛',
        region: DEMO_REGIONS.xincheng.id,
        criteria: [
          { name: '成效', weight: 70 },
          { name: '创新', weight: 30 },
        ],
        finalQuota: 1,
        awards: [{ level: 'GOLD', count: 1 }],
      },
      districtAdmin,
    );
    const competition = created.competition.id;
    const [impact, novelty] = created.competition.criteria.map((criterion) => criterion.id) as [string, string];
    await must('competitionApply', 'competition { id }', { competition, project: repair.serviceProject.id }, lexiujiang);
    await must('competitionApply', 'competition { id }', { competition, project: company.serviceProject.id }, qiseguang);
    for (const [stage, person] of [
      ['PRELIMINARY', lexiujiangMember.id],
      ['PRELIMINARY', neutralJudge.id],
      ['FINAL', neutralJudge.id],
    ] as const) {
      await must('competitionJudgeAssign', 'competition { id }', { competition, stage, judge: person }, districtAdmin);
    }
    await must('competitionStageClose', 'alreadyClosed', { competition, stage: 'APPLICATION' }, districtAdmin);

    const score = (token: string, stage: string, project: string, values: [number, number]) =>
      ok<{ competitionScore: { userErrors: { field: string[]; code: string }[] } }>(
        'mutation ($input: CompetitionScoreInput!) { competitionScore(input: $input) { userErrors { field code } } }',
        token,
        {
          input: {
            competition,
            stage,
            project,
            scores: [
              { criterion: impact, score: values[0] },
              { criterion: novelty, score: values[1] },
            ],
          },
        },
      );
    // A member of 乐修匠 may not score 乐修匠's project: the database refuses it.
    expect((await score(conflicted, 'PRELIMINARY', repair.serviceProject.id, [100, 100])).competitionScore.userErrors).toEqual([
      { field: ['input', 'project'], code: 'CONFLICT_OF_INTEREST' },
    ]);
    expect((await score(conflicted, 'PRELIMINARY', company.serviceProject.id, [60, 60])).competitionScore.userErrors).toEqual([]);
    expect((await score(judge, 'PRELIMINARY', repair.serviceProject.id, [90, 80])).competitionScore.userErrors).toEqual([]);
    expect((await score(judge, 'PRELIMINARY', company.serviceProject.id, [70, 70])).competitionScore.userErrors).toEqual([]);
    const preliminary = await must<{ results: Result[] }>(
      'competitionStageClose',
      'results { project { name } position advanced award }',
      { competition, stage: 'PRELIMINARY' },
      districtAdmin,
    );
    expect(preliminary.results).toEqual([
      { project: { name: '端到端维修项目' }, position: 1, advanced: true, award: null },
      { project: { name: '端到端助残项目' }, position: 2, advanced: false, award: null },
    ]);

    expect((await score(judge, 'FINAL', repair.serviceProject.id, [95, 90])).competitionScore.userErrors).toEqual([]);
    const final = await must<{ results: Result[] }>(
      'competitionStageClose',
      'results { project { name } position advanced award }',
      { competition, stage: 'FINAL' },
      districtAdmin,
    );
    expect(final.results).toEqual([{ project: { name: '端到端维修项目' }, position: 1, advanced: false, award: 'GOLD' }]);

    // Awards are public: an anonymous caller sees them, and the project lists its competition.
    const response = await graph.query<{ competition: { status: string; awards: { award: string; project: { name: string; competitions: { id: string }[] } }[] } }>(
      'query ($id: ID!) { competition(id: $id) { status awards { award project { name competitions { id } } } } }',
      { variables: { id: competition } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ competition: { status: 'AWARDED', awards: [{ award: 'GOLD', project: { name: '端到端维修项目', competitions: [{ id: competition }] } }] } });
  });
});
