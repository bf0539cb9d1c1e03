/**
 * The graph's nullability rule, checked on the composed supergraph (its
 * `@join__type` and `@join__field` directives say which subgraph serves what),
 * so that one subgraph that is down, or one reference that dangles, nulls only
 * its own part of a response and never the data of the others:
 *
 * 1. every root field (`Query`, `Mutation`) is nullable: a document may ask
 *    several subgraphs' root fields at once;
 * 2. a field of an entity served by a subgraph other than the entity's owner is
 *    nullable (key fields excepted: they travel in the reference itself);
 * 3. a field whose type is an entity owned by a subgraph other than the one
 *    serving the field is nullable where the entity sits: the field itself, or
 *    the items of a list of them;
 * 4. a field that `@requires` fields of its parent is nullable: what it
 *    requires comes from another subgraph, which may not answer.
 *
 * The owner of an entity is the subgraph that keeps its rows: the one named in
 * `ENTITY_OWNERS` for an entity that several subgraphs declare (the others
 * only add fields to it or refer to it), and the only subgraph that declares
 * it otherwise. The map is checked against the supergraph in both directions.
 */
import {
  Kind,
  parse,
  parseType,
  print,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';

/** Owners of the entities that more than one subgraph declares. */
export const ENTITY_OWNERS: Readonly<Record<string, string>> = {
  Account: 'points',
  Activity: 'requests',
  Alert: 'requests',
  Badge: 'recognition',
  BankUnit: 'points',
  Household: 'people',
  Organization: 'people',
  Person: 'people',
  Redemption: 'points',
  Region: 'people',
  ServiceRecord: 'requests',
  ServiceRequest: 'requests',
  Station: 'people',
  Team: 'people',
  Viewer: 'people',
};

type CompositeNode = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

interface TypeInfo {
  /** Subgraphs that declare the type. */
  graphs: string[];
  /** Subgraphs that declare it with a key that resolves it (`resolvable` not false). */
  resolvingGraphs: string[];
  /** Top-level fields of any of its keys. */
  keyFields: Set<string>;
}

function argument(directive: ConstDirectiveNode, name: string): string | boolean | null {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  if (arg.value.kind === Kind.STRING || arg.value.kind === Kind.ENUM) return arg.value.value;
  if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  return null;
}

function directives(node: { directives?: readonly ConstDirectiveNode[] | undefined }, name: string): ConstDirectiveNode[] {
  return (node.directives ?? []).filter((d) => d.name.value === name);
}

/** Top-level field names of a key's field set, e.g. `id` of `"id"`, `a, b` of `"a b { c }"`. */
function keyFieldNames(fieldSet: string): string[] {
  const operation = parse(`{ ${fieldSet} }`).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Whether the named type at the bottom of `type` is wrapped in non-null, e.g. true for `[Person!]`. */
function innermostNonNull(type: TypeNode): boolean {
  if (type.kind === Kind.NON_NULL_TYPE) return type.type.kind === Kind.NAMED_TYPE || innermostNonNull(type.type);
  return type.kind === Kind.LIST_TYPE ? innermostNonNull(type.type) : false;
}

/** The subgraph name (`people`) of each `join__Graph` value (`PEOPLE`). */
function graphNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = directives(value, 'join__graph')[0];
      const name = graph && argument(graph, 'name');
      names.set(value.name.value, typeof name === 'string' ? name : value.name.value.toLowerCase());
    }
  }
  return names;
}

function rootTypeNames(document: DocumentNode): Set<string> {
  const roots = new Set(['Query', 'Mutation', 'Subscription']);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION) continue;
    roots.clear();
    for (const operation of definition.operationTypes) roots.add(operation.type.name.value);
  }
  return roots;
}

interface Serving {
  graph: string;
  /** The field's type as that subgraph declares it. */
  type: TypeNode;
  /** Whether that subgraph `@requires` other fields to resolve it. */
  requires: boolean;
}

/**
 * The subgraphs that serve a field, each with the type it declares there: those
 * named by its non-external `@join__field`s, or every subgraph declaring the
 * parent type when it has none.
 */
function servingGraphs(field: FieldDefinitionNode, parent: TypeInfo, graph: (value: string) => string): Serving[] {
  const joins = directives(field, 'join__field');
  if (joins.length === 0) return parent.graphs.map((g) => ({ graph: g, type: field.type, requires: false }));
  return joins.flatMap((join) => {
    const value = argument(join, 'graph');
    if (typeof value !== 'string' || argument(join, 'external') === true) return [];
    const declared = argument(join, 'type');
    return [{ graph: graph(value), type: typeof declared === 'string' ? parseType(declared) : field.type, requires: typeof argument(join, 'requires') === 'string' }];
  });
}

/**
 * Every breach of the rule in a supergraph SDL, one line each, naming the field
 * and the subgraph serving it; an empty list when there is none. `owners` names
 * the owners of the entities several subgraphs declare.
 */
export function nullabilityViolations(supergraphSdl: string, owners: Readonly<Record<string, string>> = ENTITY_OWNERS): string[] {
  const document = parse(supergraphSdl);
  const names = graphNames(document);
  const graph = (value: string) => names.get(value) ?? value.toLowerCase();
  const roots = rootTypeNames(document);
  const composites = document.definitions.filter((d): d is CompositeNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION);

  const types = new Map<string, TypeInfo>();
  for (const type of composites) {
    const joins = directives(type, 'join__type');
    const info: TypeInfo = { graphs: [], resolvingGraphs: [], keyFields: new Set() };
    for (const join of joins) {
      const value = argument(join, 'graph');
      if (typeof value !== 'string') continue;
      if (!info.graphs.includes(graph(value))) info.graphs.push(graph(value));
      const key = argument(join, 'key');
      if (typeof key !== 'string') continue;
      for (const name of keyFieldNames(key)) info.keyFields.add(name);
      if (argument(join, 'resolvable') !== false) info.resolvingGraphs.push(graph(value));
    }
    types.set(type.name.value, info);
  }

  const problems: string[] = [];
  const ownerOf = new Map<string, string>();
  for (const [name, info] of types) {
    if (info.keyFields.size === 0) continue;
    const named = owners[name];
    if (named !== undefined) ownerOf.set(name, named);
    else if (info.graphs.length === 1) ownerOf.set(name, info.graphs[0]!);
    else problems.push(`${name}: an entity that ${info.graphs.join(', ')} declare has no owner in the map of owners`);
  }
  for (const [name, owner] of Object.entries(owners)) {
    const info = types.get(name);
    if (!info || info.keyFields.size === 0) problems.push(`${name}: named in the map of owners but not an entity of the supergraph`);
    else if (!info.resolvingGraphs.includes(owner)) problems.push(`${name}: its owner ${owner} does not declare it with a key that resolves it`);
  }

  for (const type of composites) {
    const parentName = type.name.value;
    const parent = types.get(parentName)!;
    const parentOwner = ownerOf.get(parentName);
    for (const field of type.fields ?? []) {
      const coordinate = `${parentName}.${field.name.value}`;
      const target = namedType(field.type);
      const targetOwner = ownerOf.get(target);
      for (const { graph: server, type: declared, requires } of servingGraphs(field, parent, graph)) {
        const shown = print(declared);
        if (roots.has(parentName) && declared.kind === Kind.NON_NULL_TYPE) {
          problems.push(`${coordinate} (${server}): a root field must be nullable, not ${shown}`);
        }
        if (parentOwner !== undefined && server !== parentOwner && !parent.keyFields.has(field.name.value) && declared.kind === Kind.NON_NULL_TYPE) {
          problems.push(`${coordinate} (${server}): ${parentName} is owned by ${parentOwner}, so a field another subgraph serves must be nullable, not ${shown}`);
        }
        if (targetOwner !== undefined && server !== targetOwner && innermostNonNull(declared)) {
          problems.push(`${coordinate} (${server}): ${target} is owned by ${targetOwner}, so a reference to it from ${server} must be nullable, not ${shown}`);
        }
        if (requires && declared.kind === Kind.NON_NULL_TYPE) {
          problems.push(`${coordinate} (${server}): a field that requires fields of another subgraph must be nullable, not ${shown}`);
        }
      }
    }
  }
  return problems;
}
