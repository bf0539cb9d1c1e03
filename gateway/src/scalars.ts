/**
 * The graph's custom scalars at the gateway. The supergraph carries only
 * their names, so Apollo Gateway would take any value for a `DateTime` or a
 * `Points` and pass it on, and the subgraph's refusal would come back as a
 * failure of ours. The gateway instead checks every value with the same
 * implementations the subgraphs use (`scalarResolvers` of @lianxin/shared):
 * variables when it coerces them, literals in validation, where the
 * refusal can name the argument.
 */
import {
  GraphQLError,
  type GraphQLScalarType,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isScalarType,
  valueFromASTUntyped,
  type ASTVisitor,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { scalarResolvers } from '@lianxin/shared';

const CUSTOM_SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map(Object.entries(scalarResolvers));

/**
 * Gives the API schema's custom scalars the subgraphs' parsing of variables.
 * Literals are left to `scalarLiteralsRule` (which reports them with the
 * argument's name): their parsing here only hands the value on, as the
 * gateway forwards the document's text and never uses a literal itself.
 * Throws at start when the schema has a custom scalar the gateway cannot
 * check, so a new scalar cannot slip through unchecked.
 */
export function adoptScalars(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (type.name.startsWith('join__') || type.name.startsWith('link__')) continue;
    const implementation = CUSTOM_SCALARS.get(type.name);
    if (!implementation) throw new Error(`the gateway has no implementation of the scalar ${type.name}: add it to scalarResolvers`);
    type.parseValue = implementation.parseValue;
    type.parseLiteral = (node: ValueNode) => valueFromASTUntyped(node);
    type.serialize = implementation.serialize;
  }
}

/**
 * Refuses a literal that is not a valid value of a custom scalar (a
 * `DateTime` of "2024-13-45", `Points: 1.5`, a list or an object where one
 * value belongs), naming the argument and the input fields that lead to it,
 * in arguments, input objects, lists and variables' default values alike.
 */
export const scalarLiteralsRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  /** `filter.startsFrom`: the argument (or `$variable`) and the input fields leading to the value. */
  const path: string[] = [];
  const push = (name: string): void => {
    path.push(name);
  };
  const pop = (): void => {
    path.pop();
  };
  /** Returns false (skip what is inside) when it reported the value. */
  const check = (node: ValueNode): false | undefined => {
    // A list value where a list belongs: its items are checked one by one.
    if (node.kind === Kind.LIST && isListType(getNullableType(context.getParentInputType()))) return undefined;
    // TypeInfo has already stepped into a list, so the type of the list value itself is its parent's.
    const type = node.kind === Kind.LIST ? context.getParentInputType() : context.getInputType();
    const named = type ? getNamedType(type) : undefined;
    const implementation = named && isScalarType(named) ? CUSTOM_SCALARS.get(named.name) : undefined;
    if (!named || !implementation) return undefined;
    try {
      implementation.parseLiteral(node, undefined);
      return undefined;
    } catch (error) {
      const argument = path.join('.');
      const field = context.getFieldDef()?.name ?? context.getDirective()?.name;
      const where = argument.startsWith('$') ? `The default value of ${argument}` : `Argument "${argument}"${field ? ` of "${field}"` : ''}`;
      const reason = error instanceof Error ? error.message : 'it does not parse.';
      context.reportError(new GraphQLError(`${where} is not a valid ${named.name}: ${reason}`, { nodes: node, extensions: { argument: argument.replace(/^\$/, '') } }));
      return false;
    }
  };
  return {
    Argument: { enter: (node) => push(node.name.value), leave: pop },
    ObjectField: { enter: (node) => push(node.name.value), leave: pop },
    VariableDefinition: { enter: (node) => push(`$${node.variable.name.value}`), leave: pop },
    StringValue: check,
    IntValue: check,
    FloatValue: check,
    BooleanValue: check,
    EnumValue: check,
    ListValue: check,
    ObjectValue: check,
  };
};
