/**
 * A subgraph's resolvers come from its modules, each a map typed by the
 * generated `Resolvers`; `mergeResolvers` joins them type by type, since
 * `Query`, `Mutation` and an entity such as `Person` gather fields from
 * several modules.
 */

/** What resolvers receive for an entity another subgraph owns: its key alone (the owner resolves the rest). */
export interface EntityReference {
  id: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * The maps merged type by type. A field two maps resolve is refused at start:
 * one of the two would otherwise win in silence, depending on the order of
 * the list. A scalar (a `GraphQLScalarType`, not a map of fields) is taken
 * whole, and may be given once.
 */
export function mergeResolvers<R extends object>(...maps: readonly R[]): R {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [type, resolvers] of Object.entries(map) as [string, unknown][]) {
      if (resolvers === undefined) continue;
      const existing = merged[type];
      if (existing === undefined) {
        merged[type] = isPlainObject(resolvers) ? { ...resolvers } : resolvers;
        continue;
      }
      if (!isPlainObject(existing) || !isPlainObject(resolvers)) throw new Error(`${type} is given twice in the resolvers`);
      for (const [field, resolver] of Object.entries(resolvers)) {
        if (field in existing) throw new Error(`${type}.${field} is resolved twice`);
        existing[field] = resolver;
      }
    }
  }
  return merged as R;
}
