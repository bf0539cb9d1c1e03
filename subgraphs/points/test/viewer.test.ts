/** What the bank adds to `me`: a till's merchant, and nothing about anyone else's viewer. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PointsContext } from '../src/context.js';
import { DEMO_MERCHANTS } from '../src/db/demo.js';
import { pointsSubgraph } from '../src/index.js';

const yonghui = DEMO_MERCHANTS.yonghui;
const till = viewerOf({ roles: ['merchant'], merchantId: yonghui.id, subject: 'till-client-1' });
const volunteer = viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[0]!.id });
const VIEWER = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Viewer { id merchant { id name } } } }`;

let points: SubgraphHarness<PointsContext>;

beforeAll(async () => {
  points = await startSubgraphHarness(pointsSubgraph);
});
afterAll(async () => {
  await points?.stop();
});

const viewerEntity = async (id: string, viewer?: typeof till) => (await points.execute(VIEWER, { variables: { r: [{ __typename: 'Viewer', id }] }, viewer })).data;

describe('Viewer in the bank', () => {
  it('names the merchant a till speaks for', async () => {
    expect(await viewerEntity('till-client-1', till)).toEqual({ _entities: [{ id: 'till-client-1', merchant: { id: yonghui.id, name: yonghui.name } }] });
  });

  it('has no merchant for a person', async () => {
    expect(await viewerEntity(volunteer.subject!, volunteer)).toEqual({ _entities: [{ id: volunteer.subject, merchant: null }] });
  });

  it('resolves only the caller’s own subject: another’s, or an anonymous caller’s, is null', async () => {
    expect(await viewerEntity('till-client-1', volunteer)).toEqual({ _entities: [null] });
    expect(await viewerEntity(volunteer.subject!, till)).toEqual({ _entities: [null] });
    expect(await viewerEntity('till-client-1')).toEqual({ _entities: [null] });
  });
});
