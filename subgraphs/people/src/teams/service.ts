/** Rules for reading teams. Team names and members are public: residents choose whom to ask. */
import { BadInputError, isUuid, readPage, toConnection, type Connection, type ConnectionArgs } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { TeamMemberRow, TeamRow } from '../db/schema.js';
import { memberCursor } from './store.js';

export async function getTeam(ctx: PeopleContext, id: string): Promise<TeamRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a team id.', 'id');
  return ctx.loaders.teamById.load(id);
}

export async function listMembers(ctx: PeopleContext, teamId: string, args: ConnectionArgs): Promise<Connection<TeamMemberRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.memberPage(page).load(teamId);
  return toConnection(rows, page, memberCursor);
}
