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

/**
 * A subgraph's loaders by name, each made by a factory from what every loader
 * of a request shares (its source: the database, and for people the request's
 * waves). Declared with `satisfies LoaderFactories<Source>`, so a factory's
 * parameter is typed by the source and its loader type is inferred exactly.
 */
export type LoaderFactories<Source> = Record<string, (source: Source) => unknown>;

/** The loader set factories `F` make: each name with the exact type its factory returns. What resolvers see as `ctx.loaders`. */
export type LoadersOf<F extends LoaderFactories<never>> = { readonly [Name in keyof F]: ReturnType<F[Name]> };

/**
 * What every factory of `F` is given. A factory's parameter is contravariant,
 * so inferring it over all of them gives what satisfies them all (their
 * intersection, when they differ).
 */
export type LoaderSourceOf<F extends LoaderFactories<never>> = F extends Record<string, (source: infer Source) => unknown> ? Source : never;

/**
 * Defines a subgraph's loader set once per process, and returns what makes a
 * request's set from its source.
 *
 * A request reads a few of a subgraph's dozens of loaders, yet each request
 * (and each write, through `freshLoaders`) used to construct them all, each
 * a DataLoader with its cache, queue and closures. Here each name is a getter
 * on a prototype built once: the set a request gets holds only its source,
 * and a loader is built on first read, from the set's source, and then kept
 * as the set's own property, so every later read in the request finds the
 * same loader (the same cache, the same batches) without a getter call.
 *
 * A fresh set (after a write) shares nothing built by an earlier one, and two
 * requests' sets never share a loader: loaders belong to the set, never to
 * the prototype. `Object.keys` (and a spread, and JSON) shows only the
 * loaders the set has built so far, in the order they were first read:
 * enumerating a set builds nothing. `name in set` holds for every name.
 */
export function defineLoaders<F extends LoaderFactories<never>>(factories: F): (source: LoaderSourceOf<F>) => LoadersOf<F> {
  type Source = LoaderSourceOf<F>;
  // Each definition gets a class of its own, so that every set of one subgraph starts from one shape.
  class LoaderSet {
    // Private: not a key of the set, not copied by a spread, and not a name a loader could take.
    readonly #source: Source;
    constructor(source: Source) {
      this.#source = source;
    }
    static sourceOf(set: LoaderSet): Source {
      return set.#source;
    }
  }
  // Every factory takes the one source (LoaderSourceOf): the compiler cannot see that through F's index signature.
  for (const [name, factory] of Object.entries(factories as unknown as Record<string, (source: Source) => unknown>)) {
    Object.defineProperty(LoaderSet.prototype, name, {
      get(this: LoaderSet): unknown {
        const loader = factory(LoaderSet.sourceOf(this));
        // Kept for the rest of the set's life; read-only, as a resolver must not swap a request's loader.
        Object.defineProperty(this, name, { value: loader, enumerable: true });
        return loader;
      },
    });
  }
  // The set has each name through the prototype's getters, with the type its factory gives (LoadersOf).
  return (source) => new LoaderSet(source) as unknown as LoadersOf<F>;
}

export { DataLoader };
