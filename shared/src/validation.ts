/** Validation rules every Apollo Server of the graph adds to graphql-js's own. */
import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * An operation whose type the schema has no root for (`subscription { … }`
 * on a graph without subscriptions) is a mistake in the document, refused in
 * validation like an unknown field. graphql-js 16 leaves it to execution,
 * where Apollo Gateway fails with an error of its own.
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(`This graph serves no ${node.operation} operations: send a query or a mutation.`, {
        nodes: node,
        extensions: { operationType: node.operation },
      }),
    );
  },
});
