/**
 * Service categories as managed data: platform admins add, rename and retire
 * them; a retired category stays on what was filed under it and is refused
 * for anything new; the database keeps codes fixed and retirement final; a
 * new category is announced to points.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { ANONYMOUS, rowsOf, type Viewer } from '@lianxin/shared';
import { XINGLE, codeOf, fileRequest, requestAt, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

interface CategoryShape {
  code: string;
  name: string;
  description: string;
  retiredAt: Date | string | null;
}
type Payload = { category: CategoryShape | null; userErrors: UserErrorShape[] };
const FIELDS = `category { code name description retiredAt } userErrors { field code message }`;

async function change(mutation: 'serviceCategoryCreate' | 'serviceCategoryRename' | 'serviceCategoryRetire', input: Record<string, unknown>, viewer: Viewer = viewers.platform) {
  const type = mutation.replace(/^s/, 'S') + 'Input';
  const result = await bed.requests.execute(`mutation ($input: ${type}!) { ${mutation}(input: $input) { ${FIELDS} } }`, { variables: { input }, viewer });
  return { result, payload: (result.data as Record<string, Payload> | null | undefined)?.[mutation] ?? null };
}

async function categoryRow(code: string): Promise<{ code: string; name: string; retired_at: Date | null } | undefined> {
  const [row] = await rowsOf<{ code: string; name: string; retired_at: Date | null }>(
    bed.requests.database.db,
    sql`select code, name, retired_at from requests.categories where code = ${code}`,
  );
  return row;
}

async function outboxOf(code: string): Promise<{ type: string; aggregate_type: string; payload: unknown }[]> {
  return rowsOf<{ type: string; aggregate_type: string; payload: unknown }>(
    bed.requests.database.db,
    sql`select type, aggregate_type, payload from requests.outbox where aggregate_id = ${code} order by position`,
  );
}

describe('creating a category', () => {
  it('adds it after the others, public at once, and announces it to points', async () => {
    bed.clock.set(new Date('2026-12-01T02:00:00Z'));
    const { payload } = await change('serviceCategoryCreate', { code: 'disinfection', name: '消毒消杀', description: '楼道、电梯的消毒。' });
    expect(payload).toEqual({ category: { code: 'disinfection', name: '消毒消杀', description: '楼道、电梯的消毒。', retiredAt: null }, userErrors: [] });
    const listed = await run<{ categories: { code: string }[] }>(bed, `{ categories { code } }`, viewers.zheng);
    expect(listed.categories.at(-1)).toEqual({ code: 'disinfection' });
    expect(await outboxOf('disinfection')).toEqual([
      { type: 'service_category.created', aggregate_type: 'service_category', payload: { categoryCode: 'disinfection', name: '消毒消杀', createdAt: '2026-12-01T02:00:00.000Z' } },
    ]);
    // Requests can be filed under it straight away.
    await fileRequest(bed, { category: 'disinfection' });
  });

  it('refuses a taken code, a malformed code and a blank name, writing nothing', async () => {
    const before = await outboxOf('cleaning');
    expect((await change('serviceCategoryCreate', { code: 'cleaning', name: '又一个' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'code'], code: 'ALREADY_EXISTS' }],
    });
    expect((await change('serviceCategoryCreate', { code: 'Smart-Class', name: '智能学堂' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'code'], code: 'INVALID' }],
    });
    expect((await change('serviceCategoryCreate', { code: 'smart_class', name: '  ' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'name'], code: 'REQUIRED' }],
    });
    expect(await categoryRow('smart_class')).toBeUndefined();
    expect((await categoryRow('cleaning'))?.name).not.toBe('又一个');
    expect(await outboxOf('cleaning')).toEqual(before);
  });
});

describe('who may manage categories', () => {
  it('is platform admins alone: others are refused before the category is looked at', async () => {
    for (const viewer of [viewers.lin, viewers.station, viewers.wang, viewers.zheng]) {
      expect(codeOf((await change('serviceCategoryCreate', { code: 'smart_class', name: '智能学堂' }, viewer)).result)).toBe('FORBIDDEN');
      // The same refusal for a code that exists and one that does not.
      expect(codeOf((await change('serviceCategoryRename', { code: 'cleaning', name: '清洁' }, viewer)).result)).toBe('FORBIDDEN');
      expect(codeOf((await change('serviceCategoryRetire', { code: 'no_such_code' }, viewer)).result)).toBe('FORBIDDEN');
    }
    const anonymous = (await change('serviceCategoryRetire', { code: 'cleaning' }, ANONYMOUS)).result;
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(await categoryRow('smart_class')).toBeUndefined();
    expect((await categoryRow('cleaning'))?.retired_at).toBeNull();
  });
});

describe('renaming a category', () => {
  it('changes its name and description, never its code', async () => {
    await change('serviceCategoryCreate', { code: 'smart_class', name: '智能学堂' });
    const { payload } = await change('serviceCategoryRename', { code: 'smart_class', name: '智能手机课堂', description: '教老人用手机。' });
    expect(payload).toEqual({ category: { code: 'smart_class', name: '智能手机课堂', description: '教老人用手机。', retiredAt: null }, userErrors: [] });
    expect((await change('serviceCategoryRename', { code: 'no_such_code', name: '无' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'code'], code: 'NOT_FOUND' }],
    });
  });
});

describe('retiring a category', () => {
  it('keeps it on old requests and refuses it for new requests and activities', async () => {
    const old = await requestAt(bed, 'submitted', 'smart_class');
    bed.clock.set(new Date('2026-12-02T02:00:00Z'));
    const { payload } = await change('serviceCategoryRetire', { code: 'smart_class' });
    expect(payload?.category?.retiredAt).toEqual(new Date('2026-12-02T02:00:00Z'));

    const kept = await run<{ serviceRequest: { category: CategoryShape } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { category { code name retiredAt } } }`,
      viewers.zheng,
      { id: old },
    );
    expect(kept.serviceRequest.category).toMatchObject({ code: 'smart_class', name: '智能手机课堂' });
    expect(kept.serviceRequest.category.retiredAt).not.toBeNull();

    const filed = await run<{ serviceRequestCreate: Payload & { serviceRequest: unknown } }>(
      bed,
      `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id } userErrors { field code message } } }`,
      viewers.zheng,
      { input: { category: 'smart_class', description: '想学用手机。' } },
    );
    expect(filed.serviceRequestCreate).toMatchObject({ serviceRequest: null, userErrors: [{ field: ['input', 'category'], code: 'INVALID_STATE' }] });

    const startsAt = new Date('2026-12-10T01:00:00Z');
    const organised = await run<{ activityCreate: Payload & { activity: unknown } }>(
      bed,
      `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code message } } }`,
      viewers.lin,
      { input: { title: '手机课', category: 'smart_class', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), capacity: 10 } },
    );
    expect(organised.activityCreate).toMatchObject({ activity: null, userErrors: [{ field: ['input', 'category'], code: 'INVALID_STATE' }] });
  });

  it('is given once, and never to the categories filing falls back to', async () => {
    expect((await change('serviceCategoryRetire', { code: 'smart_class' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'code'], code: 'INVALID_STATE' }],
    });
    expect((await change('serviceCategoryRetire', { code: 'other' })).payload).toMatchObject({ category: null, userErrors: [{ field: ['input', 'code'], code: 'NOT_ALLOWED' }] });
    expect((await change('serviceCategoryRetire', { code: 'no_such_code' })).payload).toMatchObject({
      category: null,
      userErrors: [{ field: ['input', 'code'], code: 'NOT_FOUND' }],
    });
  });
});

describe('the database', () => {
  it('refuses to change a code, delete a category or undo a retirement', async () => {
    const db = bed.requests.database.db;
    await expect(db.execute(sql`update requests.categories set code = 'cleaning2' where code = 'disinfection'`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/codes never change/) },
    });
    await expect(db.execute(sql`delete from requests.categories where code = 'disinfection'`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/never deleted/) },
    });
    await expect(db.execute(sql`update requests.categories set retired_at = null where code = 'smart_class'`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/retirement is final/) },
    });
    expect(await categoryRow('disinfection')).toMatchObject({ code: 'disinfection' });
  });
});
