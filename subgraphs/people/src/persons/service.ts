/**
 * Rules for reading persons. A person's name and home are visible to any
 * signed-in viewer; the list of everyone is a staff tool.
 */
import {
  BadInputError,
  ForbiddenError,
  STAFF_ROLES,
  UnauthenticatedError,
  hasRole,
  isAuthenticated,
  isUuid,
  readPage,
  toConnection,
  type Connection,
  type ConnectionArgs,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { PersonRow } from '../db/schema.js';
import { countPersons, findPersonPage, personCursor } from './store.js';

export async function getPerson(ctx: PeopleContext, id: string): Promise<PersonRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!isUuid(id)) throw new BadInputError('id is not a person id.', 'id');
  return ctx.loaders.personById.load(id);
}

export async function listPersons(ctx: PeopleContext, args: ConnectionArgs): Promise<Connection<PersonRow>> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!hasRole(ctx.viewer, ...STAFF_ROLES)) throw new ForbiddenError('Only staff may list everyone.');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findPersonPage(ctx.db, page);
  return toConnection(rows, page, personCursor, () => countPersons(ctx.db));
}
