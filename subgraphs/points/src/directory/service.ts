/**
 * The persons points acts for. People owns persons; points learns of each
 * from people's `person.registered` event and refuses every write that names
 * or acts for a person it has not learnt of (opening an account, depositing,
 * adjusting, naming a clerk), so no account or ledger line hangs off a person
 * nobody registered. A person registered a moment ago whose event has not
 * arrived yet is refused the same way: the answer is to try again shortly.
 */
import { isUuid, userError, type Executor, type Transaction, type UserError } from '@lianxin/shared';
import { findKnownPersons, insertKnownPersons } from './store.js';

/** Whether points has learnt of `personId` from people. */
export async function isKnownPerson(db: Executor, personId: string): Promise<boolean> {
  if (!isUuid(personId)) return false;
  return (await findKnownPersons(db, [personId.toLowerCase()])).has(personId.toLowerCase());
}

/** The refusal for a person points has not learnt of, on the input `field` that names them. */
export const unknownPerson = (field: string[]): UserError =>
  userError(field, 'NOT_FOUND', 'This person is not known to the bank: people has not registered them, or their registration has not reached the bank yet.');

/** The refusal for a viewer whose own person points has not learnt of (no input names them: field null). */
export const unknownViewer = (): UserError =>
  userError(null, 'NOT_FOUND', 'You are not known to the bank: people has not registered you, or your registration has not reached the bank yet.');

/** `person.registered`: the person joins the directory, once. */
export async function learnPerson(tx: Transaction, person: { personId: string; registeredAt: Date }): Promise<void> {
  await insertKnownPersons(tx, [person]);
}
