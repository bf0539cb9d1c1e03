/** Per-request loaders of service projects and competitions: one statement per batch, results in key order. */
import { byIdLoader, manyOfLoader, onlyUuids, type Database } from '@lianxin/shared';
import DataLoader from 'dataloader';
import {
  findActivityLinks,
  findCompetitionsByIds,
  findCriteriaOfCompetitions,
  findEntriesOfCompetitions,
  findEntriesOfProjects,
  findJudgesOfCompetitions,
  findProjectResults,
  findProjectsByIds,
  findRecordLinks,
  findResults,
  findStagesOfCompetitions,
  type ProjectResults,
} from './store.js';

export function competitionLoaders(db: Database) {
  return {
    serviceProjectById: byIdLoader(findProjectsByIds, db),
    competitionById: byIdLoader(findCompetitionsByIds, db),
    criteriaOfCompetition: manyOfLoader(findCriteriaOfCompetitions, 'competitionId', db),
    stagesOfCompetition: manyOfLoader(findStagesOfCompetitions, 'competitionId', db),
    entriesOfCompetition: manyOfLoader(findEntriesOfCompetitions, 'competitionId', db),
    judgesOfCompetition: manyOfLoader(findJudgesOfCompetitions, 'competitionId', db),
    /** Every stage's frozen results of a competition, by stage then position: a list of competitions reads them in one statement. */
    resultsOfCompetition: manyOfLoader((executor: Database, ids: readonly string[]) => findResults(executor, ids), 'competitionId', db),
    entriesOfProject: manyOfLoader(findEntriesOfProjects, 'projectId', db),
    activityLinksOfProject: manyOfLoader(findActivityLinks, 'projectId', db),
    recordLinksOfProject: manyOfLoader(findRecordLinks, 'projectId', db),
    /** A project's measured results; zeroes for a project with nothing counted. */
    resultsOfProject: new DataLoader<string, ProjectResults>(async (ids) => {
      const rows = await findProjectResults(db, onlyUuids(ids));
      const byId = new Map(rows.map((row) => [row.projectId, row]));
      return ids.map((projectId) => byId.get(projectId) ?? { projectId, minutes: 0, services: 0, volunteers: 0, activities: 0 });
    }),
  };
}
