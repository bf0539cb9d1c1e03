/**
 * Limits on what one request may ask: depth, aliases and directives (the
 * graphql-armor validation rules), tokens (graphql-js's parser), characters,
 * and an estimated cost that weighs every list by its page size. Refusals
 * carry `extensions.code = QUERY_TOO_COMPLEX` and name the limit; the
 * limit's value is shown to signed-in callers only, so an anonymous prober
 * learns no number to stay just under.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import {
  type GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { CodedError, MAX_PAGE_SIZE, isAuthenticated, sendError, type BaseContext, type Viewer } from '@lianxin/shared';
import type { QueryLimits } from './config.js';

export type LimitName = keyof QueryLimits;

const MESSAGES: Record<LimitName, string> = {
  depth: 'The query is nested too deeply.',
  aliases: 'The query uses too many aliases.',
  directives: 'The query uses too many directives.',
  tokens: 'The query is too long.',
  characters: 'The query is too long.',
  cost: 'The query asks for too much at once: ask for smaller pages or fewer fields.',
};

/** A refusal of a query over one of the limits; `maximum` is removed for anonymous callers on the way out. */
export function queryTooComplex(limit: LimitName, maximum: number): CodedError {
  return new CodedError('QUERY_TOO_COMPLEX', MESSAGES[limit], { status: 400, extensions: { limit, maximum } });
}

/** Lists without a `first` argument (e.g. a region's children) are counted at this many items. */
export const PLAIN_LIST_SIZE = 10;

/**
 * What a statistic (a field answering one of the `…Stats` types) weighs on
 * its own: it groups a whole table in one statement, so it counts as a
 * thousand fields and ten of them fill the default budget.
 */
export const STATISTIC_COST = 1_000;

/** A statistic's answer type, by the name every subgraph gives it. */
const isStatistic = (type: GraphQLNamedType): boolean => isObjectType(type) && type.name.endsWith('Stats');

/**
 * graphql-armor's rules for the limits that depend on the document alone.
 * They run in validation, whose result Apollo Server caches per document, so
 * a query seen before costs nothing to check again.
 */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const reject = (limit: LimitName) => ({
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [(context: { reportError(error: GraphQLError): void } | null) => context?.reportError(queryTooComplex(limit, limits[limit]))],
  });
  // graphql-armor types its visitors loosely; each is a graphql-js visitor.
  return [
    maxDepthRule({ n: limits.depth, ...reject('depth') }),
    maxAliasesRule({ n: limits.aliases, ...reject('aliases') }),
    maxDirectivesRule({ n: limits.directives, ...reject('directives') }),
  ] as ValidationRule[];
}

/**
 * Refuses query text longer than the character limit before anything parses
 * it. Runs after the body is read and the caller is known.
 */
export function characterLimit(maximum: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const fromBody = typeof body === 'object' && body !== null && 'query' in body ? body.query : undefined;
    const query = req.method === 'GET' ? req.query['query'] : fromBody;
    if (typeof query === 'string' && query.length > maximum) {
      const extensions = isAuthenticated(res.locals['viewer'] as Viewer) ? { limit: 'characters', maximum } : { limit: 'characters' };
      sendError(res, 400, 'QUERY_TOO_COMPLEX', MESSAGES.characters, extensions);
      return;
    }
    next();
  };
}

/** graphql-js's parser message when `maxTokens` stops it (16.x spells it "more that"). */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens/;

/**
 * Estimates how many fields a response may hold: each field counts 1, and a
 * list multiplies what is under it by its page size: `first` of the
 * connection above it (a literal, a variable, or the argument's default), or
 * `PLAIN_LIST_SIZE` for lists that are not paged. Stops counting once past
 * `ceiling`. A statistic weighs `STATISTIC_COST` more. Throws BAD_USER_INPUT for a `first` outside 0..MAX_PAGE_SIZE.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, ceiling: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A fragment spread many times is counted once per page size it appears under.
  const fragmentCosts = new Map<string, number>();

  const pageSize = (node: FieldNode, field: GraphQLField<unknown, unknown>): number | null => {
    const definition = field.args.find((argument) => argument.name === 'first');
    if (!definition) return null;
    const argument = node.arguments?.find((candidate) => candidate.name.value === 'first');
    let value: unknown = definition.defaultValue ?? null;
    if (argument) value = argument.value.kind === Kind.VARIABLE ? (variables[argument.value.name.value] ?? value) : valueFromASTUntyped(argument.value);
    // Not a number: graphql-js refuses it when it coerces the arguments, with a better message.
    if (typeof value !== 'number') return MAX_PAGE_SIZE;
    if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
      throw new CodedError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}.`, { status: 400, extensions: { argument: 'first' } });
    }
    return value;
  };

  const selectionCost = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, page: number | null): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (total > ceiling) break;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Introspection has its own policy; __typename is a field like any other.
        if (name === '__schema' || name === '__type') continue;
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
        if (!field) {
          total += 1;
          continue;
        }
        const itemCount = isListType(getNullableType(field.type)) ? (page ?? PLAIN_LIST_SIZE) : 1;
        const named = getNamedType(field.type);
        const below = selection.selectionSet && isCompositeType(named) ? selectionCost(named, selection.selectionSet, pageSize(selection, field)) : 0;
        total += itemCount * ((isStatistic(named) ? STATISTIC_COST : 1) + below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) total += selectionCost(condition, selection.selectionSet, page);
      } else {
        const key = `${selection.name.value}:${page ?? ''}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          const fragment = fragments.get(selection.name.value);
          const condition = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
          cost = fragment && condition && isCompositeType(condition) ? selectionCost(condition, fragment.selectionSet, page) : 0;
          fragmentCosts.set(key, cost);
        }
        total += cost;
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(root, operation.selectionSet, null) : 0;
}

/**
 * Checks the cost (and every `first`) once the operation and its variables
 * are known, and shapes limit refusals on the way out: validation and parse
 * errors become QUERY_TOO_COMPLEX, and anonymous callers do not see the
 * value of the limit they hit.
 */
export function limitsPlugin<TContext extends BaseContext>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  // An operation without variables costs the same every time; Apollo Server caches its document, so this is keyed by node.
  const fixedCosts = new WeakMap<OperationDefinitionNode, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const fixed = !operation.variableDefinitions?.length;
          let cost = fixed ? fixedCosts.get(operation) : undefined;
          if (cost === undefined) {
            cost = operationCost(schema, document, operation, request.variables ?? {}, limits.cost);
            if (fixed) fixedCosts.set(operation, cost);
          }
          if (cost > limits.cost) throw queryTooComplex('cost', limits.cost);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const signedIn = isAuthenticated(contextValue.viewer);
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            let extensions = error.extensions ?? {};
            let message = error.message;
            if (TOKEN_LIMIT_MESSAGE.test(message)) {
              message = MESSAGES.tokens;
              extensions = { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: limits.tokens };
            } else if (typeof extensions['limit'] === 'string' && extensions['limit'] in MESSAGES) {
              // Apollo Server files every validation error under GRAPHQL_VALIDATION_FAILED.
              extensions = { ...extensions, code: 'QUERY_TOO_COMPLEX' };
            } else {
              return error;
            }
            if (!signedIn) {
              const { maximum: _maximum, ...rest } = extensions;
              extensions = rest;
            }
            const { locations: _locations, ...withoutLocations } = error;
            return { ...withoutLocations, message, extensions };
          });
        },
      };
    },
  };
}
