/**
 * What the people subgraph's tests share: running a mutation by its name, as
 * a viewer, and reading its payload or the code of its top-level error.
 */
import { expect } from '@jest/globals';
import type { Viewer } from '@lianxin/shared';
import type { SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';

/** A mutation's payload: its user errors and the fields selected; `topLevel` is the code of a top-level error instead. */
export interface MutationPayload {
  userErrors: { field: string[] | null; code: string }[];
  topLevel?: unknown;
  [key: string]: unknown;
}

/** Runs mutation `name` (its input type named after it) as `viewer`, selecting `selection` and the user errors. */
export async function runMutation(
  people: SubgraphHarness<PeopleContext>,
  name: string,
  selection: string,
  input: Record<string, unknown>,
  viewer?: Viewer,
): Promise<MutationPayload> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const { data, errors } = await people.execute(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code } } }`, {
    variables: { input },
    ...(viewer ? { viewer } : {}),
  });
  if (errors) return { userErrors: [], topLevel: errors[0]?.extensions?.['code'] };
  return (data as Record<string, MutationPayload>)[name]!;
}

/** Runs a mutation that must succeed and returns the id of the object under `field`. */
export async function createdId(people: SubgraphHarness<PeopleContext>, name: string, field: string, input: Record<string, unknown>, viewer: Viewer): Promise<string> {
  const payload = await runMutation(people, name, `${field} { id }`, input, viewer);
  expect(payload.userErrors).toEqual([]);
  expect(payload.topLevel).toBeUndefined();
  return (payload[field] as { id: string }).id;
}
