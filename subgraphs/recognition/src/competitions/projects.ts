/**
 * Service projects (服务项目): created by the owner's leaders, measured by
 * the counted services of the activities and records linked to them
 * (docs/recognition.md, "Service projects and competitions"). Projects and
 * their results are public, like the honour roll.
 */
import { z } from 'zod';
import {
  hasRole,
  idInput,
  inTransaction,
  isPlatformAdmin,
  parseInput,
  refused,
  requireRoles,
  textInput,
  UNIQUE_VIOLATION,
  type Executor,
  type Result,
  type Viewer,
} from '@lianxin/shared';
import type { CertificateModel } from '../certificates/model.js';
import type { RecognitionContext } from '../context.js';
import type { KnownTeamRow, ServiceProjectRow } from '../db/schema.js';
import { leadsOwner, PROJECT_ROLES } from './access.js';
import { refuse, userError } from '../errors.js';
import {
  activityServedByTeams,
  findKnownTeams,
  findProjectsByIds,
  findRegionChains,
  findTeamsOfOrganization,
  insertActivityLink,
  insertProject,
  insertRecordLink,
  recordOfTeams,
} from './store.js';

/** The teams on an owner's side: the owner team, or every team of the owner organisation. */
export async function ownerTeams(db: Executor, owner: { ownerTeamId: string | null; ownerOrganizationId: string | null }): Promise<KnownTeamRow[]> {
  if (owner.ownerTeamId !== null) return findKnownTeams(db, [owner.ownerTeamId]);
  if (owner.ownerOrganizationId !== null) return findTeamsOfOrganization(db, owner.ownerOrganizationId);
  return [];
}

/** Refuses with NOT_ALLOWED unless the viewer leads the owner whose teams are `teams`. */
async function checkLeads(ctx: RecognitionContext, db: Executor, teams: readonly KnownTeamRow[], field: string[]): Promise<void> {
  const chains = await findRegionChains(
    db,
    teams.map((team) => team.communityId),
  );
  if (!leadsOwner(ctx.viewer, teams, chains)) refuse(field, 'NOT_ALLOWED', 'You may act only for a team you captain or administer, or an organisation of such a team.');
}

/**
 * Whether the viewer leads the side of a team, an organisation (through its
 * teams) or a project (through its owner): a captain of one of those teams,
 * an admin whose scope holds one of their communities, a platform admin.
 * Anyone without a role that could lead is answered without reading.
 */
export async function leadsSide(viewer: Viewer, db: Executor, kind: 'team' | 'organization' | 'project', id: string): Promise<boolean> {
  if (isPlatformAdmin(viewer)) return true;
  if (!hasRole(viewer, ...PROJECT_ROLES)) return false;
  let teams: KnownTeamRow[];
  if (kind === 'team') teams = await findKnownTeams(db, [id]);
  else if (kind === 'organization') teams = await findTeamsOfOrganization(db, id);
  else {
    const [project] = await findProjectsByIds(db, [id]);
    teams = project ? await ownerTeams(db, project) : [];
  }
  const chains = await findRegionChains(
    db,
    teams.map((team) => team.communityId),
  );
  return leadsOwner(viewer, teams, chains);
}

/**
 * `ServiceProject.certificates`: the honours its awards earned, codes
 * included, for whoever leads its owner (as for linking) and platform admins;
 * null for anyone else, signed in or not.
 */
export async function certificatesOfProject(ctx: RecognitionContext, project: ServiceProjectRow): Promise<CertificateModel[] | null> {
  return (await leadsSide(ctx.viewer, ctx.db, 'project', project.id)) ? ctx.loaders.certificatesOfProject.load(project.id) : null;
}

const CATEGORY = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a category code such as elderly_care.');

const createInput = z.object({
  ownerTeam: idInput('a team').nullish(),
  ownerOrganization: idInput('an organisation').nullish(),
  name: textInput(100),
  category: CATEGORY,
  region: idInput('a region'),
  description: textInput(2000),
});

/** `serviceProjectCreate`. */
export async function createProject(ctx: RecognitionContext, input: unknown): Promise<Result<ServiceProjectRow>> {
  const by = requireRoles(ctx.viewer, PROJECT_ROLES, 'create service projects');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { ownerTeam, ownerOrganization, name, category, region, description } = parsed.value;
  if (((ownerTeam ?? null) === null) === ((ownerOrganization ?? null) === null)) {
    return refused(userError(['input', 'ownerTeam'], 'INVALID', 'Name exactly one owner: a team or an organisation.'));
  }
  const owner = { ownerTeamId: ownerTeam?.toLowerCase() ?? null, ownerOrganizationId: ownerOrganization?.toLowerCase() ?? null };
  const ownerField = ['input', owner.ownerTeamId !== null ? 'ownerTeam' : 'ownerOrganization'];
  return inTransaction(
    ctx,
    async (tx) => {
      const teams = await ownerTeams(tx, owner);
      if (teams.length === 0) refuse(ownerField, 'NOT_FOUND', owner.ownerTeamId !== null ? 'There is no such team.' : 'No team of this organisation is known.');
      await checkLeads(ctx, tx, teams, ownerField);
      if (!(await findRegionChains(tx, [region.toLowerCase()])).has(region.toLowerCase())) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
      const row = await insertProject(tx, { ...owner, name, categoryCode: category, regionId: region.toLowerCase(), description, createdBy: by });
      if (!row) refuse(['input', 'name'], 'ALREADY_EXISTS', 'The region has a project of this name.');
      return row;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'service_projects_region_name_unique',
        error: userError(['input', 'name'], 'ALREADY_EXISTS', 'The region has a project of this name.'),
      },
    ],
  );
}

/** The project a link names, and the viewer's authority over it; returns its owner's teams. */
async function projectToLink(ctx: RecognitionContext, tx: Executor, projectId: string): Promise<{ project: ServiceProjectRow; teamIds: string[] }> {
  const [project] = await findProjectsByIds(tx, [projectId]);
  if (!project) return refuse(['input', 'project'], 'NOT_FOUND', 'There is no such project.');
  const teams = await ownerTeams(tx, project);
  await checkLeads(ctx, tx, teams, ['input', 'project']);
  return { project, teamIds: teams.map((team) => team.teamId) };
}

const activityLinkInput = z.object({ project: idInput('a project'), activity: idInput('an activity') });

/** `serviceProjectActivityLink`. */
export async function linkActivity(ctx: RecognitionContext, input: unknown): Promise<Result<ServiceProjectRow>> {
  const by = requireRoles(ctx.viewer, PROJECT_ROLES, 'link activities to service projects');
  const parsed = parseInput(activityLinkInput, input);
  if (!parsed.ok) return parsed;
  const activityId = parsed.value.activity.toLowerCase();
  return inTransaction(ctx, async (tx) => {
    const { project, teamIds } = await projectToLink(ctx, tx, parsed.value.project.toLowerCase());
    if (!(await activityServedByTeams(tx, activityId, teamIds))) {
      refuse(['input', 'activity'], 'NOT_FOUND', "No counted service at this activity by a member of the owner's teams.");
    }
    if (!(await insertActivityLink(tx, { projectId: project.id, activityId, linkedBy: by }))) refuse(['input', 'activity'], 'ALREADY_EXISTS', 'The activity is linked already.');
    return project;
  });
}

const recordLinkInput = z.object({ project: idInput('a project'), serviceRecord: idInput('a service record') });

/** `serviceProjectRecordLink`. */
export async function linkRecord(ctx: RecognitionContext, input: unknown): Promise<Result<ServiceProjectRow>> {
  const by = requireRoles(ctx.viewer, PROJECT_ROLES, 'link service records to service projects');
  const parsed = parseInput(recordLinkInput, input);
  if (!parsed.ok) return parsed;
  const serviceRecordId = parsed.value.serviceRecord.toLowerCase();
  return inTransaction(ctx, async (tx) => {
    const { project, teamIds } = await projectToLink(ctx, tx, parsed.value.project.toLowerCase());
    if (!(await recordOfTeams(tx, serviceRecordId, teamIds))) {
      refuse(['input', 'serviceRecord'], 'NOT_FOUND', "No counted, unreversed service record of the owner's teams has this id.");
    }
    if (!(await insertRecordLink(tx, { projectId: project.id, serviceRecordId, linkedBy: by })))
      refuse(['input', 'serviceRecord'], 'ALREADY_EXISTS', 'The record is linked already.');
    return project;
  });
}
