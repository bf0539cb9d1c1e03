/**
 * Small helpers for end-to-end tests that drive the graph as a client would:
 * operations that must succeed, mutations that must not be refused, and
 * reads polled until an event's effect shows.
 */
import { waitFor } from '@lianxin/shared/testing';
import type { GraphQLResponse, TestGraph } from './graph.js';

export interface Operations {
  /** Sends an operation that must not fail at the top level; returns its data. */
  ok: <T>(query: string, token: string, variables?: Record<string, unknown>) => Promise<T>;
  /** Runs `mutation(input: …)` selecting `selection` and its `userErrors`; fails the test on a refusal. */
  must: <T extends Record<string, unknown>>(mutation: string, selection: string, input: Record<string, unknown>, token: string) => Promise<T>;
  /** Polls a query until `done` holds for its data (an event applied elsewhere), and returns that data. */
  eventually: <T>(what: string, query: string, token: string, variables: Record<string, unknown>, done: (data: T) => boolean) => Promise<T>;
}

export function operationsOn(graph: () => TestGraph): Operations {
  const ok = async <T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response: GraphQLResponse<T> = await graph().query<T>(query, { variables, token });
    if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
    return response.data as T;
  };
  return {
    ok,
    async must<T extends Record<string, unknown>>(mutation: string, selection: string, input: Record<string, unknown>, token: string): Promise<T> {
      const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
      const data = await ok<Record<string, T & { userErrors: unknown[] }>>(
        `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${selection} userErrors { field code message } } }`,
        token,
        { input },
      );
      const payload = data[mutation]!;
      if (payload.userErrors.length > 0) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
      return payload;
    },
    async eventually<T>(what: string, query: string, token: string, variables: Record<string, unknown>, done: (data: T) => boolean): Promise<T> {
      let last: T | undefined;
      await waitFor(
        what,
        async () => {
          last = await ok<T>(query, token, variables);
          return done(last);
        },
        { intervalMs: 50 },
      );
      return last!;
    },
  };
}
