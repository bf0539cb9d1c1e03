/**
 * Custom scalars every subgraph declares in `common.graphql`, and the
 * gateway too (gateway/src/scalars.ts), so a bad value is the caller's
 * mistake wherever it arrives: a value that does not parse is refused with
 * a reason before any resolver or SQL statement sees it.
 *
 * - `DateTime`: an RFC 3339 string with an offset; `Date`: a `YYYY-MM-DD`
 *   calendar date. Both between the years 1000 and 9999, so every accepted
 *   value is one PostgreSQL and JavaScript both hold. Numbers (Unix times)
 *   are refused: the contract is text.
 * - `Points` and `Money`: whole numbers (points; fen) within JavaScript's
 *   safe range: never floats, never text.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

/**
 * Why a value is not one of these scalars. A plain Error on purpose:
 * graphql-js then reports it with the value's location (a literal) or the
 * variable's name (a variable), as a client error.
 */
export class ScalarValueError extends TypeError {
  override readonly name = 'ScalarValueError';
}

/** The earliest and latest instants accepted (UTC): years 1000 to 9999. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(10000, 0, 1) - 1;

const quoted = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : String(value));

function instant(parse: (value: string) => Date, value: unknown, what: string, example: string): Date {
  // A Date object arrives only from a caller in the same process (tests calling a subgraph directly); JSON holds text.
  if (value instanceof Date) return within(value, Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
  if (typeof value !== 'string') throw new ScalarValueError(`${what} must be text such as "${example}", not ${value === null ? 'null' : typeof value}.`);
  let parsed: Date;
  try {
    parsed = parse(value);
  } catch {
    throw new ScalarValueError(`${quoted(value)} is not a valid ${what}: write it as "${example}".`);
  }
  return within(parsed, value);
}

function within(parsed: Date, value: string): Date {
  const time = parsed.getTime();
  if (!Number.isFinite(time) || time < EARLIEST || time > LATEST) throw new ScalarValueError(`${quoted(value)} lies outside the years 1000 to 9999.`);
  return parsed;
}

const parseDateTime = (value: unknown): Date => instant((text) => DateTimeResolver.parseValue(text), value, 'DateTime (RFC 3339 with an offset)', '2024-05-01T09:30:00+08:00');
const parseDate = (value: unknown): Date => instant((text) => DateResolver.parseValue(text), value, 'Date (YYYY-MM-DD)', '2024-05-01');

/** A string scalar checked by `parse`, serialised as graphql-scalars does. */
function textScalar(base: GraphQLScalarType, parse: (value: unknown) => Date): GraphQLScalarType {
  return new GraphQLScalarType({
    name: base.name,
    description: base.description,
    serialize: base.serialize,
    parseValue: parse,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING) throw new ScalarValueError(`${base.name} must be a string literal.`);
      return parse(ast.value);
    },
  });
}

function wholeNumberScalar(name: string, description: string): GraphQLScalarType<number, number> {
  const check = (value: unknown): number => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) {
      return Number(value);
    }
    throw new ScalarValueError(`${name} must be a whole number between -9007199254740991 and 9007199254740991, not ${quoted(value)}.`);
  };
  return new GraphQLScalarType<number, number>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral(ast) {
      if (ast.kind !== Kind.INT) throw new ScalarValueError(`${name} must be a whole number literal, not ${ast.kind === Kind.STRING ? 'a string' : 'a fraction or other value'}.`);
      return check(Number(ast.value));
    },
  });
}

export const DateTimeScalar = textScalar(DateTimeResolver, parseDateTime);
export const DateScalar = textScalar(DateResolver, parseDate);
export const PointsScalar = wholeNumberScalar('Points', 'A whole number of public-welfare-bank points.');
export const MoneyScalar = wholeNumberScalar('Money', 'An amount of money in fen (1/100 yuan), a whole number.');

/** Resolvers for the scalars in `common.graphql`, to spread into a subgraph's resolver map. */
export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Points: PointsScalar,
  Money: MoneyScalar,
};
