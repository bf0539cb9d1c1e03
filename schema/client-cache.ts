/**
 * Generates client/apollo-cache.ts from schema/supergraph.graphql: what an
 * Apollo Client `InMemoryCache` needs to know about this graph and cannot
 * learn without introspection (which production keeps off).
 *
 * - `possibleTypes` for every interface and union, so fragments on them match.
 * - `typePolicies`: Relay-style pagination for every connection field, keyed
 *   by its non-paging arguments (so `requests(status: OPEN)` and
 *   `requests(status: DONE)` are separate lists, while `first`/`after` pages
 *   merge into one); and `keyFields: false` (with `merge: true`, except for
 *   connections and edges, which their paging policy merges) for every object
 *   type without an `id` (value objects, documented in docs/front-end.md,
 *   "Caching"), which live inside their parent and are merged into it rather
 *   than replaced, so a second screen asking other fields of them loses nothing.
 */
import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { buildASTSchema, getNamedType, isInterfaceType, isObjectType, isUnionType, parse, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { SUPERGRAPH_FILE } from './composition.js';

/** Where the generated file is published. */
export const CLIENT_CACHE_FILE = new URL('../client/apollo-cache.ts', import.meta.url);

/** The arguments that page a connection; every other argument names a different list. */
const PAGING_ARGUMENTS = new Set(['first', 'after', 'last', 'before']);

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Federation's own definitions in the supergraph, not part of the API a client sees. */
const isFederationType = (type: GraphQLNamedType): boolean => type.name.startsWith('join__') || type.name.startsWith('link__') || type.name.startsWith('__');

/** The supergraph as the API schema a client sees (the join/link directives are ignored). */
export function readApiSchema(sdl: string = readFileSync(SUPERGRAPH_FILE, 'utf8')): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/** Object types a client may receive, in name order. */
export function apiObjectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !isFederationType(type) && !ROOT_TYPES.has(type.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Object types with no `id`: value objects, kept inside their parent by the cache. */
export function valueObjectTypes(schema: GraphQLSchema): string[] {
  return apiObjectTypes(schema)
    .filter((type) => !('id' in type.getFields()))
    .map((type) => type.name);
}

/** A connection is a type named `…Connection` with `edges` and `pageInfo`, as in the Relay spec. */
const isConnection = (type: GraphQLNamedType): boolean => isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields() && 'pageInfo' in type.getFields();

export interface ClientCacheModel {
  possibleTypes: Record<string, string[]>;
  /** Type name → field name → its key arguments (false when none). */
  connections: Record<string, Record<string, string[] | false>>;
  valueObjects: string[];
}

export function clientCacheModel(schema: GraphQLSchema): ClientCacheModel {
  const possibleTypes: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (isFederationType(type)) continue;
    if (isInterfaceType(type) || isUnionType(type)) {
      const members = schema
        .getPossibleTypes(type)
        .map((member) => member.name)
        .sort();
      possibleTypes[type.name] = members;
    }
  }
  const connections: Record<string, Record<string, string[] | false>> = {};
  const parents = [schema.getQueryType(), ...apiObjectTypes(schema)].filter((type): type is GraphQLObjectType => type !== null && type !== undefined);
  for (const parent of parents) {
    for (const field of Object.values(parent.getFields())) {
      if (!isConnection(getNamedType(field.type))) continue;
      const keyArgs = field.args.map((arg) => arg.name).filter((name) => !PAGING_ARGUMENTS.has(name));
      (connections[parent.name] ??= {})[field.name] = keyArgs.length > 0 ? keyArgs : false;
    }
  }
  return { possibleTypes, connections, valueObjects: valueObjectTypes(schema) };
}

/** The source of client/apollo-cache.ts. */
export function generateClientCache(schema: GraphQLSchema = readApiSchema()): string {
  const model = clientCacheModel(schema);
  const lines: string[] = [];
  lines.push(
    '/**',
    ' * Apollo Client cache configuration for the Lianxin graph. Generated from',
    ' * schema/supergraph.graphql by `npm run client:generate`; do not edit.',
    ' *',
    ' *     new InMemoryCache({ possibleTypes, typePolicies })',
    ' *',
    ' * Every object type with an `id` is normalised by it (the default). Value',
    ' * objects (no `id`; see docs/front-end.md, "Caching") stay inside their parent',
    ' * and are merged into it. Connection fields page Relay-style: `fetchMore` with',
    ' * `after` appends to the list kept for the same non-paging arguments.',
    ' */',
    "import type { PossibleTypesMap, TypePolicies } from '@apollo/client';",
    "import { relayStylePagination } from '@apollo/client/utilities/index.js';",
    '',
    '/** The object types of every interface and union. */',
    `export const possibleTypes: PossibleTypesMap = ${JSON.stringify(model.possibleTypes, null, 2)};`,
    '',
    '/** Recommended type policies. */',
    'export const typePolicies: TypePolicies = {',
  );
  const names = [...new Set([...Object.keys(model.connections), ...model.valueObjects])].sort((a, b) => a.localeCompare(b));
  for (const name of names) {
    lines.push(`  ${name}: {`);
    if (model.valueObjects.includes(name)) {
      lines.push('    keyFields: false,');
      // Connections and their edges are merged by the paging field policy of the field that returns them.
      if (!/(Connection|Edge)$/.test(name)) lines.push('    merge: true,');
    }
    const fields = model.connections[name];
    if (fields) {
      lines.push('    fields: {');
      for (const [field, keyArgs] of Object.entries(fields)) lines.push(`      ${field}: relayStylePagination(${JSON.stringify(keyArgs)}),`);
      lines.push('    },');
    }
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The generated source as prettier writes it, so `format:check` and `client:check` agree. */
export async function formattedClientCache(): Promise<string> {
  const options = await resolveConfig(CLIENT_CACHE_FILE);
  return format(generateClientCache(), { ...options, filepath: CLIENT_CACHE_FILE.pathname });
}
