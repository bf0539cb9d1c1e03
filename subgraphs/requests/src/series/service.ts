/**
 * Activity series (活动系列): a named campaign, such as "1+10+N", set up by
 * station or community admins for a region, grouping activities held in it
 * or below it (the database checks the region). Anyone signed in reads a
 * series, its activities and its totals: activities, distinct participants,
 * minutes recorded and outputs summed.
 */
import { z } from 'zod';
import { BadInputError, isUuid, readPage, requireRoles, UNIQUE_VIOLATION, userError, toConnection, type Connection, type ConnectionArgs, type Result } from '@lianxin/shared';
import { administers, requirePerson, requireReader, REGION_ADMIN_ROLES } from '../access.js';
import type { RequestsContext } from '../context.js';
import type { ActivityRow, ActivitySeriesRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { runsActivity } from '../activities/service.js';
import { activityCursor, countActivities, findActivityPage, lockActivity } from '../activities/store.js';
import type { ActivityOutputModel } from '../outcomes/service.js';
import { requireSeriesFor } from './access.js';
import { insertSeries, setSeriesOfActivity, sumOutputsOfSeries, sumSeries } from './store.js';

export interface ActivitySeriesTotalsModel {
  activities: number;
  participants: number;
  minutes: number;
  outputs: ActivityOutputModel[];
}

export async function getSeries(ctx: RequestsContext, id: string): Promise<ActivitySeriesRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not an activity series id.', 'id');
  return ctx.loaders.seriesById.load(id);
}

export async function resolveSeriesReference(ctx: RequestsContext, id: string | null): Promise<ActivitySeriesRow | null> {
  requireReader(ctx.viewer);
  return id === null ? null : ctx.loaders.seriesById.load(id);
}

export async function listActivitiesOfSeries(ctx: RequestsContext, series: ActivitySeriesRow, args: ConnectionArgs): Promise<Connection<ActivityRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findActivityPage(ctx.db, { series: series.id }, page);
  for (const row of rows) ctx.loaders.activityById.prime(row.id, row);
  return toConnection(rows, page, activityCursor, () => countActivities(ctx.db, { series: series.id }));
}

export async function totalsOfSeries(ctx: RequestsContext, series: ActivitySeriesRow): Promise<ActivitySeriesTotalsModel> {
  const [sums, outputs] = await Promise.all([sumSeries(ctx.db, series.id), sumOutputsOfSeries(ctx.db, series.id)]);
  return { ...sums, outputs: outputs.map((row) => ({ ...row, label: row.label === '' ? null : row.label })) };
}

const createInput = z.object({ name: textInput(100), description: z.string().max(2000, 'must be at most 2000 characters.').nullish(), place: idInput('a region') });

export async function createSeries(ctx: RequestsContext, input: unknown): Promise<Result<ActivitySeriesRow>> {
  const me = requirePerson(ctx.viewer, 'set up a series');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'set up a series of activities');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { name, description, place: placeId } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const place = await placeOf(tx, placeId, inputField('place'));
      if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
      return insertSeries(tx, { name, description: description ?? '', regionId: place.id, regionPath: place.path, organiserId: me, createdAt: ctx.settings.now() });
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'activity_series_name_per_region',
        error: userError(inputField('name'), 'ALREADY_EXISTS', 'The region has a series of this name already.'),
      },
    ],
  );
}

const attachInput = z.object({ activity: idInput('an activity'), series: idInput('a series').nullish() });

/** Attaches an activity to a series (or takes it out): whoever runs the activity, when they run the series too. */
export async function attachToSeries(ctx: RequestsContext, input: unknown): Promise<Result<ActivityRow>> {
  const me = requirePerson(ctx.viewer, 'attach an activity to a series');
  const parsed = parseInput(attachInput, input);
  if (!parsed.ok) return parsed;
  const seriesId = parsed.value.series ?? null;
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, parsed.value.activity);
    if (!activity) refuse(inputField('activity'), 'NOT_FOUND', 'There is no such activity.');
    if (!runsActivity(ctx, activity)) refuse(inputField('activity'), 'NOT_ALLOWED', 'Only the organiser and admins whose scope holds the activity attach it to a series.');
    if (seriesId !== null) await requireSeriesFor(ctx, tx, seriesId, activity);
    await setSeriesOfActivity(tx, activity.id, seriesId);
    return { ...activity, seriesId };
  });
}
