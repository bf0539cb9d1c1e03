/**
 * GraphQL enum values are SCREAMING_CASE, Postgres enum labels lower_case.
 * Resolvers never convert between them: each enum a subgraph defines gets
 * internal values, the lower-case labels, so a row's `'low_income'` goes out
 * as `LOW_INCOME` and an argument `LOW_INCOME` comes in as `'low_income'`.
 * `npm run codegen` (codegen.ts) computes the values here, types resolvers
 * with them and writes the map Apollo Server applies, so the types, the
 * values and the schema cannot drift apart.
 */
import {
  Kind,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  valueFromAST,
  type EnumTypeDefinitionNode,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLSchema,
} from 'graphql';

/** Per enum type, per GraphQL value name, the internal value resolvers and the database use. */
export type EnumValueMap = Record<string, Record<string, string>>;

export interface EnumValueOptions {
  /**
   * Enums whose internal values are their GraphQL names: values that never
   * pass through the enum, such as fields of another subgraph's entity that
   * arrive raw in a representation (`@requires`).
   */
  keepNames?: readonly string[];
  /** Values that are not the name in lower case, per enum type and value name. */
  overrides?: EnumValueMap;
}

/**
 * The internal values of every enum the SDL defines (extensions of enums
 * defined elsewhere, such as the common `UserErrorCode`, are not its own
 * and keep their names).
 */
export function enumInternalValues(sdl: string, options: EnumValueOptions = {}): EnumValueMap {
  const enums = parse(sdl).definitions.filter((definition): definition is EnumTypeDefinitionNode => definition.kind === Kind.ENUM_TYPE_DEFINITION);
  const defined = (type: string) => enums.find((definition) => definition.name.value === type);
  // A kept name or an override the schema no longer has would hide a rename.
  for (const type of options.keepNames ?? []) {
    if (!defined(type)) throw new Error(`enum ${type}, kept by name, is not defined in the schema`);
  }
  for (const [type, overrides] of Object.entries(options.overrides ?? {})) {
    for (const name of Object.keys(overrides)) {
      if (!defined(type)?.values?.some((value) => value.name.value === name)) throw new Error(`enum value override ${type}.${name} names no value of the schema`);
    }
  }
  const values: EnumValueMap = {};
  for (const definition of enums) {
    const type = definition.name.value;
    if (options.keepNames?.includes(type)) continue;
    const overrides = options.overrides?.[type] ?? {};
    values[type] = Object.fromEntries((definition.values ?? []).map(({ name }) => [name.value, overrides[name.value] ?? name.value.toLowerCase()]));
  }
  return values;
}

/**
 * Coerces every default value written in the SDL again, with the types as
 * they now are. `buildSubgraphSchema` reads a default such as
 * `kind: MerchantKind = ALLIANCE` while building the schema, before the
 * enum's internal values (and the custom scalars' parsers) are applied, so
 * the argument would arrive as `'ALLIANCE'` where every other value of the
 * enum arrives as `'alliance'`.
 */
export function withCoercedDefaults(schema: GraphQLSchema): GraphQLSchema {
  const recoerce = (input: GraphQLArgument | GraphQLInputField): void => {
    const written = input.astNode?.defaultValue;
    if (written) input.defaultValue = valueFromAST(written, input.type);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) field.args.forEach(recoerce);
    } else if (isInputObjectType(type)) {
      Object.values(type.getFields()).forEach(recoerce);
    }
  }
  return schema;
}
