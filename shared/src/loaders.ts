/**
 * Helpers for per-request DataLoaders: results in the order of the keys
 * asked, a missing key failing (or null-ing) only itself.
 */
import DataLoader from 'dataloader';

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
