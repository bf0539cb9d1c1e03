/** Who may add an activity to a series: shared by attaching and by creating an activity in one. */
import type { Transaction } from '@lianxin/shared';
import { administers } from '../access.js';
import type { RequestsContext } from '../context.js';
import type { ActivityRow } from '../db/schema.js';
import { inputField, refuse } from '../mutation.js';
import { findSeriesByIds } from './store.js';

/** The series an activity may join: one the viewer runs, of the activity's region or above it. */
export async function requireSeriesFor(ctx: RequestsContext, tx: Transaction, seriesId: string, activity: Pick<ActivityRow, 'regionPath'>): Promise<void> {
  const [series] = await findSeriesByIds(tx, [seriesId]);
  if (!series) refuse(inputField('series'), 'NOT_FOUND', 'There is no such series.');
  if (series.organiserId !== ctx.viewer.personId && !administers(ctx.viewer, series.regionPath))
    refuse(inputField('series'), 'NOT_ALLOWED', 'Only its organiser and admins of its region add to a series.');
  if (!activity.regionPath.includes(series.regionId)) refuse(inputField('series'), 'NOT_ALLOWED', 'The activity lies outside the series’ region.');
}
