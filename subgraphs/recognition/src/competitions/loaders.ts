/** Per-request loaders of service projects and competitions: one statement per batch, results in key order; part of the recognition set (../loaders.ts). */
import { byIdLoader, manyOfLoader, onlyUuids, type Database, type LoaderFactories } from '@lianxin/shared';
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

/** The factories of service projects' and competitions' loaders, each given the database. */
export const competitionLoaders = {
  serviceProjectById: (db) => byIdLoader(findProjectsByIds, db),
  competitionById: (db) => byIdLoader(findCompetitionsByIds, db),
  criteriaOfCompetition: (db) => manyOfLoader(findCriteriaOfCompetitions, 'competitionId', db),
  stagesOfCompetition: (db) => manyOfLoader(findStagesOfCompetitions, 'competitionId', db),
  entriesOfCompetition: (db) => manyOfLoader(findEntriesOfCompetitions, 'competitionId', db),
  judgesOfCompetition: (db) => manyOfLoader(findJudgesOfCompetitions, 'competitionId', db),
  /** Every stage's frozen results of a competition, by stage then position: a list of competitions reads them in one statement. */
  resultsOfCompetition: (db) => manyOfLoader((executor: Database, ids: readonly string[]) => findResults(executor, ids), 'competitionId', db),
  entriesOfProject: (db) => manyOfLoader(findEntriesOfProjects, 'projectId', db),
  activityLinksOfProject: (db) => manyOfLoader(findActivityLinks, 'projectId', db),
  recordLinksOfProject: (db) => manyOfLoader(findRecordLinks, 'projectId', db),
  /** A project's measured results; zeroes for a project with nothing counted. */
  resultsOfProject: (db) =>
    new DataLoader<string, ProjectResults>(async (ids) => {
      const rows = await findProjectResults(db, onlyUuids(ids));
      const byId = new Map(rows.map((row) => [row.projectId, row]));
      return ids.map((projectId) => byId.get(projectId) ?? { projectId, minutes: 0, services: 0, volunteers: 0, activities: 0 });
    }),
} satisfies LoaderFactories<Database>;
