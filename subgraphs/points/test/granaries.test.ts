/**
 * Charity granaries (义仓): run by their office's clerks; receipts, handouts
 * to households and stocktake adjustments in an append-only stock ledger
 * whose stock never goes below zero (the database refuses it too); goods and
 * stock open to anyone signed in, movements to the office's clerks only;
 * lists batched.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_GRANARY, DEMO_ORGANIZATIONS } from '../src/db/demo.js';
import { codeOf, expectBooksToBalance, run, startPoints, viewers, XINGLE_OFFICE, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const codes = (errors: readonly UserErrorShape[]) => errors.map((error) => [error.field?.join('.') ?? null, error.code]);

async function mutate<T>(
  name: string,
  inputType: string,
  selection: string,
  input: Record<string, unknown>,
  viewer: Viewer,
): Promise<{ value: T | null; userErrors: UserErrorShape[] }> {
  const data = await run<Record<string, Record<string, unknown>>>(
    bed,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`,
    viewer,
    { input },
  );
  const payload = data[name]!;
  const key = Object.keys(payload).find((field) => field !== 'userErrors')!;
  return { value: payload[key] as T | null, userErrors: payload['userErrors'] as UserErrorShape[] };
}

const createGranary = (input: Record<string, unknown>, viewer: Viewer = viewers.clerk) =>
  mutate<{ id: string; name: string }>('granaryCreate', 'GranaryCreateInput', 'granary { id name }', input, viewer);
const addGoods = (input: Record<string, unknown>, viewer: Viewer = viewers.clerk) =>
  mutate<{ id: string; stock: number }>('granaryGoodsAdd', 'GranaryGoodsAddInput', 'goods { id stock }', input, viewer);
const record = (input: Record<string, unknown>, viewer: Viewer = viewers.clerk) =>
  mutate<{ id: string; line: number; kind: string; quantity: number; stockAfter: number }>(
    'granaryMovementRecord',
    'GranaryMovementRecordInput',
    'movement { id line kind quantity stockAfter }',
    input,
    viewer,
  );

async function granaryWithRice(): Promise<{ granaryId: string; riceId: string }> {
  const granary = await createGranary({ office: XINGLE_OFFICE, name: `义仓 ${newId()}` });
  expect(granary.userErrors).toEqual([]);
  const rice = await addGoods({ granary: granary.value!.id, name: '大米', unit: 'kg' });
  expect(rice.userErrors).toEqual([]);
  return { granaryId: granary.value!.id, riceId: rice.value!.id };
}

const stockOf = async (goodsId: string, granaryId: string): Promise<number> => {
  const data = await run<{ granary: { goods: { id: string; stock: number }[] } }>(bed, `query ($id: ID!) { granary(id: $id) { goods { id stock } } }`, viewers.zhang, {
    id: granaryId,
  });
  return data.granary.goods.find((goods) => goods.id === goodsId)!.stock;
};

describe('the stock ledger', () => {
  it('receives, hands out and adjusts, each movement the next line with the stock it reached', async () => {
    const { granaryId, riceId } = await granaryWithRice();
    const household = newId();
    const receipt = await record({ goods: riceId, kind: 'RECEIPT', quantity: 50, donor: { kind: 'ORGANIZATION', organization: DEMO_ORGANIZATIONS.yonghui }, note: '永辉超市捐赠' });
    expect(receipt).toEqual({ value: { id: expect.any(String), line: 1, kind: 'RECEIPT', quantity: 50, stockAfter: 50 }, userErrors: [] });
    const handout = await record({ goods: riceId, kind: 'HANDOUT', quantity: 10, household, reason: '低保户，冬季救助' });
    expect(handout.value).toMatchObject({ line: 2, kind: 'HANDOUT', quantity: -10, stockAfter: 40 });
    const loss = await record({ goods: riceId, kind: 'ADJUSTMENT', quantity: -2, reason: '盘点：受潮损耗' });
    expect(loss.value).toMatchObject({ line: 3, quantity: -2, stockAfter: 38 });
    expect((await record({ goods: riceId, kind: 'RECEIPT', quantity: 5, donor: { kind: 'ANONYMOUS' } })).userErrors).toEqual([]);
    expect(await stockOf(riceId, granaryId)).toBe(43);

    const movements = await run<{
      granary: { movements: { totalCount: number; edges: { node: { kind: string; household: { id: string } | null; donorOrganization: { id: string } | null } }[] } };
    }>(bed, `query ($id: ID!) { granary(id: $id) { movements(first: 10) { totalCount edges { node { kind household { id } donorOrganization { id } } } } } }`, viewers.clerk, {
      id: granaryId,
    });
    expect(movements.granary.movements.totalCount).toBe(4);
    expect(movements.granary.movements.edges.map((edge) => edge.node.kind)).toEqual(['RECEIPT', 'ADJUSTMENT', 'HANDOUT', 'RECEIPT']);
    expect(movements.granary.movements.edges[2]!.node.household).toEqual({ id: household });
    expect(movements.granary.movements.edges[3]!.node.donorOrganization).toEqual({ id: DEMO_ORGANIZATIONS.yonghui });
    // The clerk saw a household's handout: the read is logged, with who read it.
    const reads = await rowsOf<{ household_ids: string[]; viewer_person_id: string | null }>(
      bed.points.database.db,
      sql`select household_ids, viewer_person_id from points.granary_handout_reads where granary_id = ${granaryId}::uuid`,
    );
    expect(reads).toEqual([{ household_ids: [household], viewer_person_id: viewers.clerk.personId }]);
  });

  it('never goes below zero: OUT_OF_STOCK, nothing written', async () => {
    const { granaryId, riceId } = await granaryWithRice();
    await record({ goods: riceId, kind: 'RECEIPT', quantity: 5, donor: { kind: 'ANONYMOUS' } });
    expect(codes((await record({ goods: riceId, kind: 'HANDOUT', quantity: 6, household: newId(), reason: '特困户' })).userErrors)).toEqual([['input.quantity', 'OUT_OF_STOCK']]);
    expect(codes((await record({ goods: riceId, kind: 'ADJUSTMENT', quantity: -6, reason: '盘点' })).userErrors)).toEqual([['input.quantity', 'OUT_OF_STOCK']]);
    expect(await stockOf(riceId, granaryId)).toBe(5);
  });

  it('of racing handouts, never hands out more than the stock', async () => {
    const { granaryId, riceId } = await granaryWithRice();
    await record({ goods: riceId, kind: 'RECEIPT', quantity: 30, donor: { kind: 'ANONYMOUS' } });
    const results = await Promise.all(Array.from({ length: 4 }, () => record({ goods: riceId, kind: 'HANDOUT', quantity: 10, household: newId(), reason: '特困户' })));
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(3);
    expect(await stockOf(riceId, granaryId)).toBe(0);
  });

  it('refuses movements of the wrong shape', async () => {
    const { riceId } = await granaryWithRice();
    const cases: [Record<string, unknown>, string[][]][] = [
      [{ kind: 'RECEIPT', quantity: 1 }, [['input.donor', 'INVALID']]],
      [{ kind: 'RECEIPT', quantity: 1, donor: { kind: 'PERSON' } }, [['input.donor', 'INVALID']]],
      [{ kind: 'RECEIPT', quantity: 0, donor: { kind: 'ANONYMOUS' } }, [['input.quantity', 'INVALID']]],
      [{ kind: 'HANDOUT', quantity: 1, reason: '特困户' }, [['input.household', 'INVALID']]],
      [{ kind: 'HANDOUT', quantity: 1, household: newId() }, [['input.reason', 'INVALID']]],
      [{ kind: 'ADJUSTMENT', quantity: 0, reason: '盘点' }, [['input.quantity', 'INVALID']]],
    ];
    for (const [input, expected] of cases) expect(codes((await record({ goods: riceId, ...input })).userErrors)).toEqual(expected);
  });

  it('is append-only, and the goods move only with a movement', async () => {
    const { riceId } = await granaryWithRice();
    await record({ goods: riceId, kind: 'RECEIPT', quantity: 5, donor: { kind: 'ANONYMOUS' } });
    const db = bed.points.database.db;
    await expect(db.execute(sql`update points.granary_movements set quantity = 50 where goods_id = ${riceId}::uuid`)).rejects.toThrow();
    await expect(db.execute(sql`delete from points.granary_movements where goods_id = ${riceId}::uuid`)).rejects.toThrow();
    await expect(db.execute(sql`update points.granary_goods set stock = 500 where id = ${riceId}::uuid`)).rejects.toThrow();
    await expect(db.execute(sql`update points.granary_goods set stock = -1, lines = lines where id = ${riceId}::uuid`)).rejects.toThrow();
  });
});

describe('who runs and who reads a granary', () => {
  it("is run by its office's clerks and platform admins", async () => {
    const { riceId } = await granaryWithRice();
    expect(codes((await createGranary({ office: DEMO_BANK.zimingOffice.id, name: '紫铭义仓' })).userErrors)).toEqual([['input.office', 'NOT_ALLOWED']]);
    expect(codes((await createGranary({ office: DEMO_BANK.head.id, name: '总行义仓' }, viewers.admin)).userErrors)).toEqual([['input.office', 'NOT_FOUND']]);
    expect((await createGranary({ office: DEMO_BANK.zimingOffice.id, name: `紫铭义仓 ${newId()}` }, viewers.admin)).userErrors).toEqual([]);
    const otherClerk = viewerOf({ roles: ['bank_clerk'], personId: newId() });
    expect(codes((await record({ goods: riceId, kind: 'RECEIPT', quantity: 1, donor: { kind: 'ANONYMOUS' } }, otherClerk)).userErrors)).toEqual([['input.goods', 'NOT_ALLOWED']]);
    expect(codes((await record({ goods: newId(), kind: 'RECEIPT', quantity: 1, donor: { kind: 'ANONYMOUS' } })).userErrors)).toEqual([['input.goods', 'NOT_FOUND']]);
    const volunteer = await bed.points.execute(`mutation { granaryCreate(input: { office: "${XINGLE_OFFICE}", name: "x" }) { granary { id } } }`, { viewer: viewers.zhang });
    expect(codeOf(volunteer)).toBe('FORBIDDEN');
    const granary = await createGranary({ office: XINGLE_OFFICE, name: `重名 ${newId()}` });
    expect(codes((await createGranary({ office: XINGLE_OFFICE, name: granary.value!.name })).userErrors)).toEqual([['input.name', 'ALREADY_EXISTS']]);
  });

  it('shows goods and stock to anyone signed in, and movements, which name households, to its clerks only', async () => {
    const { granaryId } = await granaryWithRice();
    const stock = await run<{ granary: { goods: { name: string; unit: string; stock: number }[] } }>(
      bed,
      `query ($id: ID!) { granary(id: $id) { goods { name unit stock } } }`,
      viewers.zhang,
      {
        id: granaryId,
      },
    );
    expect(stock.granary.goods).toEqual([{ name: '大米', unit: 'kg', stock: 0 }]);
    const query = `query ($id: ID!) { granary(id: $id) { movements { totalCount } } }`;
    for (const viewer of [viewers.zhang, viewerOf({ roles: ['bank_clerk'], personId: newId() })]) {
      expect(codeOf(await bed.points.execute(query, { variables: { id: granaryId }, viewer }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await bed.points.execute(query, { variables: { id: granaryId }, viewer: viewers.admin }))).toBeUndefined();
  });

  it("lists an office's granaries and their goods in a constant number of statements", async () => {
    const query = `query ($id: ID!) { bankUnit(id: $id) { granaries { name office { id } goods { name stock granary { id } } } } }`;
    const count = () => countStatements(bed.points.database, () => bed.points.execute(query, { variables: { id: XINGLE_OFFICE }, viewer: viewers.zhang }));
    await granaryWithRice();
    const few = await count();
    for (let n = 0; n < 3; n += 1) {
      const { granaryId } = await granaryWithRice();
      await addGoods({ granary: granaryId, name: '花生油', unit: '桶' });
    }
    const many = await count();
    expect(many.result.errors).toBeUndefined();
    expect(many.count).toBe(few.count);
  });
});

describe('the demo granary', () => {
  it("keeps the Xingle office's rice and oil, at the stock its movements make", async () => {
    const data = await run<{ bankUnit: { granaries: { id: string; goods: { name: string; unit: string; stock: number }[] }[] } }>(
      bed,
      `query ($id: ID!) { bankUnit(id: $id) { granaries { id goods { name unit stock } } } }`,
      viewers.zhang,
      { id: XINGLE_OFFICE },
    );
    const demo = data.bankUnit.granaries.find((granary) => granary.id === DEMO_GRANARY.id);
    expect(demo?.goods).toEqual([
      { name: '大米', unit: 'kg', stock: 163 },
      { name: '花生油', unit: '桶', stock: 34 },
    ]);
  });
});
