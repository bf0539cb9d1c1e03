/**
 * The error policy every Apollo Server of the graph (the gateway and each
 * subgraph) runs as a plugin: whatever is not a public, coded error is
 * logged in full with the trace id and reaches the client as a bare
 * INTERNAL_SERVER_ERROR carrying that trace id; nothing an error carries
 * around the masking (an extension of the response) gets through; and in
 * production no message holds a schema hint.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { BaseContext } from './context.js';
import { MASKED_MESSAGE, isPublicCode, maskError, withoutSuggestions, type FormattedError } from './errors.js';
import type { Logger } from './logger.js';

export interface MaskingOptions {
  /** Where to log when a request has no context of its own (it failed before one was built). */
  logger: Logger;
  /** Strip "Did you mean …?" from every message (production). */
  hideSuggestions?: boolean;
}

/**
 * Extensions Apollo Gateway may put on a response besides the data.
 * `valueCompletion` lists the fields it had to null because a subgraph
 * returned null for a non-null field: faults of ours, which it reports
 * outside `errors` and therefore outside masking.
 */
const VALUE_COMPLETION = 'valueCompletion';

/** The code of anything thrown: data sources may throw plain Errors, which have no extensions. */
function codeOf(error: Pick<GraphQLError, 'extensions'> | Error): unknown {
  const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
  return extensions?.['code'];
}

export function errorMaskingPlugin<TContext extends BaseContext>(options: MaskingOptions): ApolloServerPlugin<TContext> {
  const loggerOf = (context: TContext | undefined): Logger => context?.logger ?? options.logger;
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (isPublicCode(codeOf(error))) continue;
            loggerOf(contextValue).error({ err: error.originalError ?? error, path: error.path, traceId: contextValue?.traceId }, 'request failed');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const traceId = contextValue?.traceId;
          const completion = result.extensions?.[VALUE_COMPLETION];
          if (completion !== undefined && result.extensions) {
            const { [VALUE_COMPLETION]: _dropped, ...rest } = result.extensions;
            result.extensions = Object.keys(rest).length > 0 ? rest : undefined;
            const faults = (Array.isArray(completion) ? completion : [completion]) as FormattedError[];
            for (const fault of faults) loggerOf(contextValue).error({ fault: { message: fault.message, path: fault.path }, traceId }, 'a field was nulled in value completion');
            result.errors = [
              ...(result.errors ?? []),
              ...faults.map((fault) => ({ message: MASKED_MESSAGE, ...(fault.path ? { path: fault.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR', traceId } })),
            ];
          }
          if (!result.errors) return;
          result.errors = result.errors.map((formatted) => {
            const { error, masked } = maskError(formatted);
            if (masked) return { ...error, extensions: { ...error.extensions, traceId } };
            return options.hideSuggestions ? { ...error, message: withoutSuggestions(error.message) } : error;
          });
        },
      };
    },
  };
}
