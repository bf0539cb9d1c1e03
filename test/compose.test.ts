/** The checked-in supergraph is what the four subgraph SDLs compose to, with no unaccepted hint. */
import { describe, expect, it } from '@jest/globals';
import { composeSupergraph, readCheckedInSupergraph } from '../schema/composition.js';

describe('composition', () => {
  const report = composeSupergraph();

  it('composes without errors', () => {
    expect(report.errors).toEqual([]);
  });

  it('reports no hint that has not been accepted in schema/accepted-hints.json', () => {
    expect(report.newHints).toEqual([]);
  });

  it('matches schema/supergraph.graphql (run `npm run compose` after changing a schema)', () => {
    expect(report.supergraphSdl).toBe(readCheckedInSupergraph());
  });
});
