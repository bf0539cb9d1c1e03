/**
 * Minors as volunteers (未成年人志愿者): a person people says is under 18
 * serves only while a guardian's consent is in force, and only in categories
 * admins marked suitable for minors. Adults are unaffected.
 */
import type { Executor } from '@lianxin/shared';
import { findCategoriesByCodes } from '../categories/store.js';
import { refuse } from '../mutation.js';
import { findGuardianship } from './store.js';

/** Refuses (NOT_ALLOWED on `field`) a minor without a guardian's consent, or in a category not suitable for minors. */
export async function refuseUnfitMinor(db: Executor, personId: string, categoryCode: string, field: string[]): Promise<void> {
  const person = await findGuardianship(db, personId);
  if (!person?.minor) return;
  if (!person.guardianConsent) refuse(field, 'NOT_ALLOWED', 'A minor volunteers only with a guardian’s recorded consent.');
  const [category] = await findCategoriesByCodes(db, [categoryCode]);
  if (!category?.suitableForMinors) refuse(field, 'NOT_ALLOWED', `The category ${categoryCode} is not suitable for minors.`);
}
