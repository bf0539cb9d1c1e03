/**
 * Custom scalars every subgraph declares in `common.graphql`. Points and
 * money are whole numbers (points; fen) within JavaScript's safe range:
 * never floats.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, DateResolver } from 'graphql-scalars';

function wholeNumberScalar(name: string, description: string): GraphQLScalarType<number, number> {
  const check = (value: unknown): number => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) {
      return Number(value);
    }
    throw new TypeError(`${name} must be a whole number`);
  };
  return new GraphQLScalarType<number, number>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral(ast) {
      if (ast.kind !== Kind.INT) throw new TypeError(`${name} must be a whole number`);
      return check(Number(ast.value));
    },
  });
}

export const PointsScalar = wholeNumberScalar('Points', 'A whole number of public-welfare-bank points.');
export const MoneyScalar = wholeNumberScalar('Money', 'An amount of money in fen (1/100 yuan), a whole number.');

/** Resolvers for the scalars in `common.graphql`, to spread into a subgraph's resolver map. */
export const scalarResolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  Points: PointsScalar,
  Money: MoneyScalar,
};
