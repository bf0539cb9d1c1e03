/**
 * What activities count for beyond hours. Participants who checked in rate
 * an activity 1–5 with an optional comment, once (the attendance foreign
 * key and the primary key are the database's own rule; ratings are never
 * changed): everyone sees the average, the count and the stars; only those
 * who run the activity read the comments, and no one sees who gave which.
 * Those who run an activity record its outputs (beneficiaries served,
 * materials handed out, area covered…) once it has started, as whole
 * numbers, each kind once; a new list replaces the old.
 */
import { z } from 'zod';
import { UNIQUE_VIOLATION, userError, type Result, type Transaction } from '@lianxin/shared';
import { requirePerson } from '../access.js';
import type { RequestsContext } from '../context.js';
import type { ActivityOutputKind, ActivityRatingRow, ActivityRow } from '../db/schema.js';
import { requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { runsActivity } from '../activities/service.js';
import { lockActivity, lockAttendance } from '../activities/store.js';
import { insertRating, replaceOutputs } from './store.js';

/** An output as the graph shows it: a row, or a sum of rows of one kind. */
export interface ActivityOutputModel {
  kind: ActivityOutputKind;
  label: string | null;
  quantity: number;
  unit: string;
}

export interface ActivityRatingSummaryModel {
  average: number | null;
  count: number;
  stars: number[];
}

/** The unit of each named kind; only `other` outputs name their own. */
export const OUTPUT_UNITS: Record<Exclude<ActivityOutputKind, 'other'>, string> = {
  beneficiaries_served: '人',
  households_visited: '户',
  materials_distributed: '份',
  items_collected: '件',
  area_covered_square_metres: '平方米',
};

/** The most outputs one activity records. */
export const MAX_OUTPUTS = 20;
/** The largest quantity one output holds (the database's check). */
export const MAX_OUTPUT_QUANTITY = 1_000_000_000;

export async function ratingOf(ctx: RequestsContext, activity: ActivityRow): Promise<ActivityRatingSummaryModel> {
  const counts = await ctx.loaders.ratingCountsOfActivity.load(activity.id);
  const stars = [1, 2, 3, 4, 5].map((score) => counts.find((row) => row.score === score)?.count ?? 0);
  const count = stars.reduce((sum, n) => sum + n, 0);
  const total = stars.reduce((sum, n, index) => sum + n * (index + 1), 0);
  return { average: count > 0 ? Math.round((total / count) * 100) / 100 : null, count, stars };
}

/** The ratings with comments, for those who run the activity; null for everyone else. */
export async function reviewsOf(ctx: RequestsContext, activity: ActivityRow): Promise<ActivityRatingRow[] | null> {
  if (!runsActivity(ctx, activity)) return null;
  return ctx.loaders.ratingsOfActivity.load(activity.id);
}

export function viewerRatingOf(ctx: RequestsContext, activity: ActivityRow): Promise<ActivityRatingRow | null> | null {
  return ctx.viewer.personId === null ? null : ctx.loaders.ratingOfPerson(ctx.viewer.personId).load(activity.id);
}

export async function outputsOf(ctx: RequestsContext, activity: ActivityRow): Promise<ActivityOutputModel[]> {
  const rows = await ctx.loaders.outputsOfActivity.load(activity.id);
  return rows.map((row) => ({ kind: row.kind, label: row.label === '' ? null : row.label, quantity: row.quantity, unit: row.unit }));
}

/** Locks an activity named in the input; an unknown one is refused as not found. */
async function lockNamedActivity(tx: Transaction, id: string): Promise<ActivityRow> {
  const activity = await lockActivity(tx, id);
  if (!activity) refuse(inputField('activity'), 'NOT_FOUND', 'There is no such activity.');
  return activity;
}

const rateInput = z.object({
  activity: idInput('an activity'),
  score: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(5, 'must be at most 5.'),
  comment: textInput(500).nullish(),
});

/** Rates an activity the viewer checked in at; once. */
export async function rateActivity(ctx: RequestsContext, input: unknown): Promise<Result<ActivityRow>> {
  const me = requirePerson(ctx.viewer, 'rate an activity');
  const parsed = parseInput(rateInput, input);
  if (!parsed.ok) return parsed;
  const { activity: activityId, score, comment } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockNamedActivity(tx, activityId);
    if (!(await lockAttendance(tx, activity.id, me))) refuse(inputField('activity'), 'NOT_ALLOWED', 'Only those who checked in at the activity rate it.');
    const rating = await insertRating(tx, { activityId: activity.id, personId: me, score, comment: comment ?? null, ratedAt: ctx.settings.now() });
    if (!rating) refuse(inputField('activity'), 'ALREADY_EXISTS', 'You have rated this activity already; a rating is not changed.');
    return activity;
  });
}

const outputInput = z
  .object({
    kind: z.enum(['beneficiaries_served', 'households_visited', 'materials_distributed', 'items_collected', 'area_covered_square_metres', 'other']),
    label: textInput(50).nullish(),
    quantity: z.number().int('must be a whole number.').min(0, 'must not be negative.').max(MAX_OUTPUT_QUANTITY, `must be at most ${MAX_OUTPUT_QUANTITY}.`),
    unit: textInput(20).nullish(),
  })
  .superRefine((output, issues) => {
    if (output.kind === 'other' && !output.label) issues.addIssue({ code: 'custom', path: ['label'], message: 'names what an OTHER output is.' });
    if (output.kind !== 'other' && output.label) issues.addIssue({ code: 'custom', path: ['label'], message: 'is only for OTHER outputs.' });
    if (output.kind === 'other' && !output.unit) issues.addIssue({ code: 'custom', path: ['unit'], message: 'is needed for an OTHER output.' });
    if (output.kind !== 'other' && output.unit) issues.addIssue({ code: 'custom', path: ['unit'], message: 'is only for OTHER outputs: the named kinds have their own.' });
  });

const outputsInput = z.object({
  activity: idInput('an activity'),
  outputs: z.array(outputInput).max(MAX_OUTPUTS, `must hold at most ${MAX_OUTPUTS} outputs.`),
});

/** Records an activity's outputs, replacing what was recorded; those who run it, once it has started. */
export async function setActivityOutputs(ctx: RequestsContext, input: unknown): Promise<Result<ActivityRow>> {
  const me = requirePerson(ctx.viewer, 'record outputs');
  const parsed = parseInput(outputsInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  const rows = parsed.value.outputs.map((output) => ({
    kind: output.kind,
    label: output.label ?? '',
    quantity: output.quantity,
    unit: output.unit ?? (output.kind === 'other' ? '' : OUTPUT_UNITS[output.kind]),
  }));
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const activity = await lockNamedActivity(tx, parsed.value.activity);
      if (!runsActivity(ctx, activity)) refuse(inputField('activity'), 'NOT_ALLOWED', 'Only the organiser and admins whose scope holds the activity record its outputs.');
      if (activity.startsAt > now) refuse(inputField('activity'), 'INVALID_STATE', 'Outputs are recorded once the activity has started.');
      await replaceOutputs(
        tx,
        activity.id,
        rows.map((row) => ({ ...row, activityId: activity.id, recordedById: me, recordedAt: now })),
      );
      return activity;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'activity_outputs_one_per_kind',
        error: userError(inputField('outputs'), 'ALREADY_EXISTS', 'Each kind (and label) is recorded once; sum them into one output.'),
      },
    ],
  );
}
