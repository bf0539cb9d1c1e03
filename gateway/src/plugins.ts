/** Apollo Server plugins of the gateway: who may introspect, and what the request log says about the operation. */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { hasRole, type BaseContext, type RequestRecord, type Role } from '@lianxin/shared';

/**
 * Roles that may introspect the schema in production: analysts explore the
 * graph with their own tools, platform admins operate it. Everyone may in
 * development.
 */
export const INTROSPECTION_ROLES: readonly Role[] = ['analyst', 'platform_admin'];

/** Whether the operation selects `__schema` or `__type`, which exist only on the query root. */
function introspects(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === '__schema' || selection.name.value === '__type';
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment ? visit(fragment.selectionSet) : false;
    });
  return visit(operation.selectionSet);
}

/**
 * Introspection in production for INTROSPECTION_ROLES only. Apollo Server's
 * own switch is all or nothing, so it stays on and this plugin refuses
 * everyone else, with the same words whoever asks.
 */
export function introspectionPolicy<TContext extends BaseContext>({ production }: { production: boolean }): ApolloServerPlugin<TContext> {
  // Documents are cached by Apollo Server, so each is inspected once.
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();
  return {
    async requestDidStart() {
      if (!production) return;
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (!operation) return;
          let introspecting = verdicts.get(operation);
          if (introspecting === undefined) {
            introspecting = introspects(operation, document);
            verdicts.set(operation, introspecting);
          }
          if (introspecting && !hasRole(contextValue.viewer, ...INTROSPECTION_ROLES)) {
            throw new GraphQLError('Introspection is not available.', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/**
 * An `operationName` the document does not define is the client's mistake:
 * a 400 naming it, where the gateway's executor would fail with a 500.
 */
export function operationResolution<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `The document has no operation named "${request.operationName.slice(0, 100)}".`
            : 'The document holds several operations: say which one to run with operationName.';
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}

/** Fills in the request log's operation name, type and error codes. */
export function requestRecordPlugin<TContext extends BaseContext & { request: RequestRecord }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation, contextValue }) {
          contextValue.request.operationName = operationName;
          if (operation) contextValue.request.operationType = operation.operation;
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          contextValue.request.errorCodes = response.body.singleResult.errors.map((error) => {
            const code = error.extensions?.['code'];
            return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
          });
        },
      };
    },
  };
}
