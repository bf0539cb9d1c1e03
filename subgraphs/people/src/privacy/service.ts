/** Rules for reading the personal-data access log: platform admins only. */
import { ForbiddenError, UnauthenticatedError, isAuthenticated, optionalId, readPage, toConnection, type Connection, type ConnectionArgs, isPlatformAdmin } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { PersonalDataAccessRow } from '../db/schema.js';
import { accessCursor, findAccessPage } from './store.js';

export interface AccessFilterArgs {
  subject?: string | null | undefined;
  household?: string | null | undefined;
  viewer?: string | null | undefined;
  viewerSubject?: string | null | undefined;
  since?: Date | null | undefined;
  until?: Date | null | undefined;
}

export async function listAccesses(ctx: PeopleContext, filter: AccessFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<PersonalDataAccessRow>> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!isPlatformAdmin(ctx.viewer)) throw new ForbiddenError('Only platform admins may read the access log.');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findAccessPage(
    ctx.db,
    {
      subjectPersonId: optionalId(filter?.subject, 'filter.subject', 'a person id'),
      subjectHouseholdId: optionalId(filter?.household, 'filter.household', 'a household id'),
      viewerPersonId: optionalId(filter?.viewer, 'filter.viewer', 'a person id'),
      viewerSubject: filter?.viewerSubject ?? undefined,
      since: filter?.since ?? undefined,
      until: filter?.until ?? undefined,
    },
    page,
  );
  return toConnection(rows, page, accessCursor);
}
