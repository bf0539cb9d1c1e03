/**
 * Caseloads follow people's caretaker assignments: `household.caretaker_changed`
 * (docs/events.md) is the only writer of `caseload_assignments`. A change
 * ends the household's current assignment, if it is another volunteer's, and
 * opens one for the new caretaker, if there is one; the same event applied
 * twice finds the assignment it made and changes nothing. A household's
 * events arrive in order, so the latest change is the one that stands.
 */
import { z } from 'zod';
import { UnprocessableEventError, isUuid, withPayload, type EventHandler } from '@lianxin/shared';
import { findDirectoryRegions } from '../directory/store.js';
import { endAssignment, insertAssignment, lockCurrentAssignment } from './store.js';

const id = z.string().refine((value) => isUuid(value), 'must be a UUID');
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const caretakerChanged = z.object({ householdId: id, caretakerId: id.nullable(), regionId: id, changedAt: instant, changedById: id.nullable() });

/** Handlers of people's caretaker events, by type. */
export const caseloadHandlers: Record<string, EventHandler> = {
  'household.caretaker_changed': withPayload(caretakerChanged, async (tx, { payload }) => {
    const current = await lockCurrentAssignment(tx, payload.householdId);
    if (current?.volunteerId === payload.caretakerId) return;
    if (current === null && payload.caretakerId === null) return;
    const [region] = await findDirectoryRegions(tx, [payload.regionId]);
    if (!region) throw new UnprocessableEventError(`region ${payload.regionId} is not in the directory: replay its region.created first`);
    // An end is never before the start it closes, whatever the clocks said.
    if (current) await endAssignment(tx, current.id, new Date(Math.max(payload.changedAt.getTime(), current.assignedAt.getTime())), payload.changedById);
    if (payload.caretakerId === null) return;
    await insertAssignment(tx, {
      householdId: payload.householdId,
      volunteerId: payload.caretakerId,
      regionId: region.id,
      regionPath: [...region.path, region.id],
      assignedById: payload.changedById,
      assignedAt: payload.changedAt,
    });
  }),
};
