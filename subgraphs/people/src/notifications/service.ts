/**
 * The viewer's notification inbox: who they are (`me`), their notifications
 * newest first, how many are unread, and marking them read. A notification
 * is its recipient's alone: nobody else reads or marks it, and an id of
 * someone else's answers as one that names nothing.
 */
import { z } from 'zod';
import { readPage, refused, toConnection, userError, type Connection, type ConnectionArgs, type Result, requireSignedIn } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { NotificationRow } from '../db/schema.js';
import type { SignedInViewer } from '../viewer/service.js';
import { idInput, inTransaction, parseInput, refuse } from '../mutation.js';
import { countUnread, findNotificationPage, findOwnNotificationIds, markNotificationsRead, notificationCursor } from './store.js';

export const NOTIFICATION_CURSOR = ['timestamp', 'uuid'] as const;

const EMPTY: Connection<NotificationRow> = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };

/** The person whose inbox `viewer` opens: theirs only while they are the one asking. */
function ownerOf(ctx: PeopleContext, viewer: SignedInViewer): string | null {
  return viewer.subject === ctx.viewer.subject ? viewer.personId : null;
}

export async function notificationsOf(ctx: PeopleContext, viewer: SignedInViewer, args: ConnectionArgs & { unreadOnly?: boolean | null }): Promise<Connection<NotificationRow>> {
  const page = readPage(args, NOTIFICATION_CURSOR);
  const owner = ownerOf(ctx, viewer);
  if (owner === null) return EMPTY;
  const rows = await findNotificationPage(ctx.db, owner, page, args.unreadOnly === true);
  return toConnection(rows, page, notificationCursor);
}

export async function unreadCountOf(ctx: PeopleContext, viewer: SignedInViewer): Promise<number> {
  const owner = ownerOf(ctx, viewer);
  return owner === null ? 0 : countUnread(ctx.db, owner);
}

const MAX_IDS = 100;
const markReadInput = z.object({
  ids: z.array(idInput('a notification')).max(MAX_IDS, `must hold at most ${MAX_IDS} ids.`).nullish(),
  all: z.boolean().nullish(),
});

/**
 * Marks the viewer's notifications read (`ids`, or `all`) and returns how
 * many stay unread. Every id must name a notification of the viewer's; one
 * that does not (someone else's, or none) refuses the whole call as
 * NOT_FOUND, so nobody learns whether another person's id exists.
 */
export async function markNotificationsReadFor(ctx: PeopleContext, input: unknown): Promise<Result<number>> {
  requireSignedIn(ctx.viewer, 'read notifications');
  const parsed = parseInput(markReadInput, input);
  if (!parsed.ok) return parsed;
  const { ids, all } = parsed.value;
  if ((all === true) === (ids !== null && ids !== undefined)) {
    return refused(userError(['input', 'ids'], 'INVALID', 'Give either the ids to mark read or all: true, not both and not neither.'));
  }
  const owner = ctx.viewer.personId;
  const wanted = ids ? [...new Set(ids.map((id) => id.toLowerCase()))] : null;
  if (owner === null) {
    // An account that is no person has no inbox: nothing of its own to name.
    return wanted && wanted.length > 0 ? refused(userError(['input', 'ids', '0'], 'NOT_FOUND', 'There is no such notification of yours.')) : { ok: true, value: 0 };
  }
  return inTransaction(ctx, async (tx) => {
    if (wanted) {
      const own = new Set(await findOwnNotificationIds(tx, owner, wanted));
      const missing = (ids ?? []).findIndex((id) => !own.has(id.toLowerCase()));
      if (missing >= 0) refuse(['input', 'ids', String(missing)], 'NOT_FOUND', 'There is no such notification of yours.');
    }
    await markNotificationsRead(tx, owner, wanted);
    return countUnread(tx, owner);
  });
}
