/**
 * Rules for urban–rural pairing (城乡结对). A city savings office is paired
 * with a rural office of the same bank, and the city office's clerks redeem,
 * for the city office's customers, the products of the merchants the rural
 * office recruited (宝台红薯, 东峰剪纸). Pairings are public, like the bank
 * units they join; the bank itself (its head bank's own clerks, platform
 * admins) pairs two offices and ends a pairing. Both offices belong to one
 * head bank, which the database checks: a pairing moves no points between
 * banks, so the one bank's books stay whole.
 */
import { z } from 'zod';
import { ForbiddenError, newId, ok, refused, required, requireSignedIn, type Result } from '@lianxin/shared';
import { mayActForHeadBank, mayActForSomeHeadBank } from '../access.js';
import type { PointsContext } from '../context.js';
import type { BankUnitRow, MerchantRow, OfficePairingRow } from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { idInput, inTransaction, parseInput } from '../mutation.js';
import { endPairing, insertPairing } from './store.js';

const PAIRING_STAFF_ONLY = "Only platform admins and the head bank's own clerks pair savings offices.";

/** The gate that needs no object: a head bank's own clerk or a platform admin, else FORBIDDEN before anything is read. */
async function requirePairingStaff(ctx: PointsContext): Promise<string> {
  const subject = requireSignedIn(ctx.viewer);
  if (!(await mayActForSomeHeadBank(ctx))) throw new ForbiddenError(PAIRING_STAFF_ONLY);
  return subject;
}

const pairingCreateInput = z.object({ cityOffice: idInput('a bank unit'), ruralOffice: idInput('a bank unit') });

/** The savings office `id` names, or the user error on `field` saying why it is not one. */
async function officeAt(ctx: PointsContext, id: string, field: string[]): Promise<Result<BankUnitRow>> {
  const unit = await ctx.loaders.bankUnitById.load(id.toLowerCase());
  if (!unit) return refused(userError(field, 'NOT_FOUND', 'There is no such bank unit.'));
  if (unit.kind !== 'savings_office') return refused(userError(field, 'INVALID', 'Only savings offices are paired.'));
  return ok(unit);
}

/** `officePairingCreate`: pairs a city office with a rural one of the same bank; two offices have one active pairing at most. */
export async function createPairing(ctx: PointsContext, input: unknown): Promise<Result<OfficePairingRow>> {
  const createdBy = await requirePairingStaff(ctx);
  const parsed = parseInput(pairingCreateInput, input);
  if (!parsed.ok) return parsed;
  const city = await officeAt(ctx, parsed.value.cityOffice, ['input', 'cityOffice']);
  if (!city.ok) return city;
  const rural = await officeAt(ctx, parsed.value.ruralOffice, ['input', 'ruralOffice']);
  if (!rural.ok) return rural;
  if (city.value.id === rural.value.id) return refused(userError(['input', 'ruralOffice'], 'INVALID', 'An office is not paired with itself.'));
  // Points leave the city customer for the rural merchant in one bank's books: pairing across banks would need a settlement between banks that has no place here.
  if (city.value.bankId !== rural.value.bankId) return refused(userError(['input', 'ruralOffice'], 'INVALID', 'Paired offices belong to the same bank.'));
  if (!(await mayActForHeadBank(ctx, city.value.bankId))) return refused(userError(['input', 'cityOffice'], 'NOT_ALLOWED', PAIRING_STAFF_ONLY));
  return inTransaction(ctx, async (tx) => {
    const row = await insertPairing(tx, {
      id: newId(),
      bankId: city.value.bankId,
      cityOfficeId: city.value.id,
      ruralOfficeId: rural.value.id,
      createdBy,
      createdAt: ctx.settings.now(),
    });
    if (!row) refuse(['input', 'ruralOffice'], 'ALREADY_EXISTS', 'These two offices are already paired.');
    return row;
  });
}

const pairingEndInput = z.object({ pairing: idInput('an office pairing') });

/** `officePairingEnd`: ends an active pairing, once; from then on the city office's clerks no longer redeem the rural products. */
export async function endOfficePairing(ctx: PointsContext, input: unknown): Promise<Result<OfficePairingRow>> {
  const endedBy = await requirePairingStaff(ctx);
  const parsed = parseInput(pairingEndInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'pairing'];
  const pairing = await ctx.loaders.pairingById.load(parsed.value.pairing.toLowerCase());
  if (!pairing) return refused(userError(field, 'NOT_FOUND', 'There is no such office pairing.'));
  if (!(await mayActForHeadBank(ctx, pairing.bankId))) return refused(userError(field, 'NOT_ALLOWED', PAIRING_STAFF_ONLY));
  return inTransaction(ctx, async (tx) => {
    const ended = await endPairing(tx, pairing.id, { endedAt: ctx.settings.now(), endedBy });
    if (!ended) refuse(field, 'INVALID_STATE', 'This pairing has already ended.');
    return ended;
  });
}

/** The office's active pairings, on either side, oldest first. */
export function pairingsOf(ctx: PointsContext, unit: BankUnitRow): Promise<OfficePairingRow[]> {
  return ctx.loaders.activePairingsOfOffice.load(unit.id);
}

/** The merchants whose products the city office lists: the active merchants its rural partner recruited. */
export function ruralMerchantsOf(ctx: PointsContext, pairing: OfficePairingRow): Promise<MerchantRow[]> {
  return ctx.loaders.pairingMerchantsOfOffice.load(pairing.ruralOfficeId);
}

export async function requirePairedOffice(ctx: PointsContext, id: string): Promise<BankUnitRow> {
  return required(await ctx.loaders.bankUnitById.load(id), `office ${id} of a pairing`);
}
