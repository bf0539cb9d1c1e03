/** Ids are UUIDs; v7 where creation order helps (keyset paging, index locality). */
import { v5 as uuidv5, v7 as uuidv7, validate as isUuid } from 'uuid';

export const newId = (): string => uuidv7();
export { isUuid };

/**
 * The UUIDv5 namespace of Lianxin's derived ids. Fixed forever: changing it
 * would give every derived id a new value and orphan what clients cached.
 */
const DERIVED_ID_NAMESPACE = '6f1c7d3e-2b8a-5d4c-9e0f-4c1a6b3d2e5f';

/**
 * A stable id for something that has no id column of its own but is
 * identified by other values (a household membership by its household,
 * person and joining instant), so a client cache can tell one from another.
 * The same namespace and parts always give the same UUIDv5; a different
 * namespace (by convention the GraphQL type's name) never collides with
 * another type's ids, and the parts are JSON-encoded so that `('a', 'bc')` and
 * `('ab', 'c')` differ.
 */
export function derivedId(namespace: string, ...parts: readonly (string | number | Date)[]): string {
  const encoded = parts.map((part) => (part instanceof Date ? part.toISOString() : part));
  return uuidv5(JSON.stringify([namespace, ...encoded]), DERIVED_ID_NAMESPACE);
}
