/**
 * Honour titles from outside (最美志愿者, 中国好人, 道德模范): recorded on a
 * person by an admin whose scope holds the person's home (platform admins
 * anyone's), append-only, withdrawn by such an admin with a reason. Public on
 * `Person.honours` while not withdrawn, like the honour roll.
 */
import { z } from 'zod';
import { idInput, inTransaction, isPlatformAdmin, parseInput, refuseUnseen, textInput, type Result, type Transaction, type Viewer } from '@lianxin/shared';
import { administersRegion, requireStarAdmin } from '../access.js';
import type { RecognitionContext } from '../context.js';
import { refuse } from '../errors.js';
import { findHomeChains } from '../stars/store.js';
import type { HonourModel, HonourTitleModel } from './model.js';
import { beijingToday, dayOf } from './service.js';
import { findHonourTitlesByIds, insertHonourTitle, insertHonourTitleWithdrawal } from './store.js';

/** Whether the viewer administers the person's home (a person with no home on record: platform admins only). */
async function administersPerson(viewer: Viewer, tx: Transaction, personId: string): Promise<boolean> {
  if (isPlatformAdmin(viewer)) return true;
  const chain = (await findHomeChains(tx, [personId]))[0]?.chain ?? [];
  return chain.length > 0 && administersRegion(viewer, chain);
}

const recordInput = z.object({ person: idInput('a person'), title: textInput(50), source: textInput(100), awardedOn: z.union([z.string(), z.date()]) });

/** `honourTitleRecord`. */
export async function recordHonourTitle(ctx: RecognitionContext, input: unknown, now = new Date()): Promise<Result<HonourTitleModel>> {
  const by = requireStarAdmin(ctx.viewer, 'record honour titles');
  const parsed = parseInput(recordInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const personId = parsed.value.person.toLowerCase();
    if (!(await administersPerson(ctx.viewer, tx, personId))) refuse(['input', 'person'], 'NOT_ALLOWED', 'The person does not live within your scope.');
    const awardedOn = dayOf(parsed.value.awardedOn);
    if (awardedOn > beijingToday(now)) refuse(['input', 'awardedOn'], 'INVALID', 'awardedOn is in the future.');
    const row = await insertHonourTitle(tx, { personId, title: parsed.value.title, source: parsed.value.source, awardedOn, recordedBy: by });
    if (!row) refuse(['input', 'title'], 'ALREADY_EXISTS', 'This title from this source on this day is recorded already.');
    return { ...row, withdrawalReason: null };
  });
}

const withdrawInput = z.object({ title: idInput('an honour title'), reason: textInput(500) });

/** `honourTitleWithdraw`. */
export async function withdrawHonourTitle(ctx: RecognitionContext, input: unknown): Promise<Result<HonourTitleModel>> {
  const by = requireStarAdmin(ctx.viewer, 'withdraw honour titles');
  const parsed = parseInput(withdrawInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const [title] = await findHonourTitlesByIds(tx, [parsed.value.title.toLowerCase()]);
    // Titles are public, but which titles exist beyond a scope is not the question: an unknown id and one out of reach answer alike.
    if (!title) refuseUnseen(ctx.viewer, ['input', 'title'], 'honour title');
    if (!(await administersPerson(ctx.viewer, tx, title.personId))) refuse(['input', 'title'], 'NOT_ALLOWED', 'The holder does not live within your scope.');
    if (!(await insertHonourTitleWithdrawal(tx, { titleId: title.id, reason: parsed.value.reason, withdrawnBy: by })))
      refuse(['input', 'title'], 'INVALID_STATE', 'The title was withdrawn already.');
    return { ...title, withdrawalReason: parsed.value.reason };
  });
}

/** `Person.honours`: public. */
export function honoursOf(ctx: RecognitionContext, personId: string): Promise<HonourModel[]> {
  return ctx.loaders.honoursOfPerson.load(personId);
}
