/**
 * Helpers for per-request DataLoaders: results in the order of the keys
 * asked, a missing key failing (or null-ing) only itself, and keys that
 * cannot be ids kept away from SQL.
 */
import DataLoader from 'dataloader';
import { isUuid } from './ids.js';
import type { WaveScheduler } from './waves.js';

/** Orders `rows` by `keys`; a key with no row gets null. */
export function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map<K, V>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups `rows` under `keys`, in key order; a key with no rows gets []. */
export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const index = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = index.get(key);
    if (group) group.push(row);
    else index.set(key, [row]);
  }
  return keys.map((key) => index.get(key) ?? []);
}

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
export const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

/** Makes a DataLoader from a batch function; a subgraph picks one for all its loaders. */
export type LoaderFactory = <K, V>(batch: (keys: readonly K[]) => Promise<V[]>) => DataLoader<K, V>;

/** DataLoader as it comes: each batch dispatched on the next tick. */
export const plainLoader: LoaderFactory = (batch) => new DataLoader(batch);

/** Loaders whose batches go out in the request's waves (waves.ts): the statement count follows the query's shape, not timing. */
export function waveLoader(waves: WaveScheduler): LoaderFactory {
  return (batch) => new DataLoader((keys) => waves.track(batch(keys)), { batchScheduleFn: (dispatch) => waves.schedule(dispatch) });
}

/** A store query over a list of ids (of the rows, or of their parents). */
export type FindByIds<D, V> = (db: D, ids: string[]) => Promise<V[]>;

/** Rows by their id; null for an unknown or malformed id. */
export function byIdLoader<D, V extends { id: string }>(find: FindByIds<D, V>, db: D, make: LoaderFactory = plainLoader): DataLoader<string, V | null> {
  return make(async (ids) => byKey(ids, await find(db, onlyUuids(ids)), (row) => row.id));
}

/** The keys of a row whose values are ids (or null): the parent a row can be found under. */
export type IdKey<V> = { [K in keyof V]-?: V[K] extends string | null ? K : never }[keyof V];

/** The one row of each parent, found by the parent's id the row holds under `parentKey`; null for a parent with none. */
export function oneOfLoader<D, V>(find: FindByIds<D, V>, parentKey: IdKey<V>, db: D, make: LoaderFactory = plainLoader): DataLoader<string, V | null> {
  // Keyed by string | null: a row without a parent answers no key (not even '', which is no id).
  return make(async (ids) => byKey<string | null, V>(ids, await find(db, onlyUuids(ids)), parentOf(parentKey)));
}

/** The rows of each parent, in the order the store returns them; [] for a parent with none. */
export function manyOfLoader<D, V>(find: FindByIds<D, V>, parentKey: IdKey<V>, db: D, make: LoaderFactory = plainLoader): DataLoader<string, V[]> {
  return make(async (ids) => groupByKey<string | null, V>(ids, await find(db, onlyUuids(ids)), parentOf(parentKey)));
}

// IdKey<V> picks keys whose values are string | null, which the compiler cannot see through an index.
const parentOf =
  <V>(key: IdKey<V>) =>
  (row: V): string | null =>
    row[key] as string | null;

/**
 * One DataLoader per distinct argument set. A list field with arguments
 * (`requests(first: 5)`) resolved for many parents still costs one batch
 * per argument set, not one query per parent.
 */
export function loaderFamily<A, K, V>(create: (args: A) => DataLoader<K, V>): (args: A) => DataLoader<K, V> {
  const loaders = new Map<string, DataLoader<K, V>>();
  return (args) => {
    const id = JSON.stringify(args);
    let loader = loaders.get(id);
    if (!loader) {
      loader = create(args);
      loaders.set(id, loader);
    }
    return loader;
  };
}

export { DataLoader };
