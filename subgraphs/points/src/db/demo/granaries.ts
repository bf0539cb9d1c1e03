/**
 * The Xingle office's charity granary (义仓): rice and cooking oil given by
 * Yonghui and by residents, some of it handed out to households in hardship.
 */
import { type Transaction } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, demoBeijing, demoId } from '@lianxin/shared/demo';
import { insertGoods, insertGranary, postMovement, type MovementInput } from '../../granaries/store.js';
import { DEMO_BANK } from './bank.js';
import { DEMO_ACTOR } from './base.js';
import { DEMO_ORGANIZATIONS } from './merchants.js';

const inHardship = DEMO_HOUSEHOLDS.filter((household) => household.hardship !== 'ordinary');

type DemoMovement = Omit<MovementInput, 'goodsId' | 'createdBy' | 'createdAt'> & { id: string };

export const DEMO_GRANARY = {
  id: demoId(26, 1),
  name: '兴乐社区义仓',
  officeId: DEMO_BANK.xingleOffice.id,
  goods: [
    {
      id: demoId(26, 0x11),
      name: '大米',
      unit: 'kg',
      movements: [
        { id: demoId(26, 0x101), kind: 'receipt', quantity: 200, donorKind: 'organization', donorOrganizationId: DEMO_ORGANIZATIONS.yonghui, note: '永辉超市冬季捐赠' },
        { id: demoId(26, 0x102), kind: 'handout', quantity: -20, householdId: inHardship[0]!.id, reason: '特困户冬季救助' },
        { id: demoId(26, 0x103), kind: 'handout', quantity: -15, householdId: inHardship[1]!.id, reason: '低保户冬季救助' },
        { id: demoId(26, 0x104), kind: 'adjustment', quantity: -2, reason: '月末盘点：受潮损耗' },
      ] satisfies DemoMovement[],
    },
    {
      id: demoId(26, 0x12),
      name: '花生油',
      unit: '桶',
      movements: [
        { id: demoId(26, 0x111), kind: 'receipt', quantity: 30, donorKind: 'organization', donorOrganizationId: DEMO_ORGANIZATIONS.yonghui, note: '永辉超市冬季捐赠' },
        { id: demoId(26, 0x112), kind: 'receipt', quantity: 6, donorKind: 'anonymous', note: '居民匿名捐赠' },
        { id: demoId(26, 0x113), kind: 'handout', quantity: -2, householdId: inHardship[0]!.id, reason: '特困户冬季救助' },
      ] satisfies DemoMovement[],
    },
  ],
};

/** The granary, its goods and their movements; goods that exist are skipped with their movements, so stock is never counted twice. */
export async function seedGranaries(tx: Transaction): Promise<void> {
  await insertGranary(tx, { id: DEMO_GRANARY.id, officeId: DEMO_GRANARY.officeId, name: DEMO_GRANARY.name, createdBy: DEMO_ACTOR });
  // Early winter in the stories: a receipt, then the handouts on the following days.
  const base = demoBeijing(11, 20, 9);
  for (const goods of DEMO_GRANARY.goods) {
    const added = await insertGoods(tx, { id: goods.id, granaryId: DEMO_GRANARY.id, name: goods.name, unit: goods.unit, createdBy: DEMO_ACTOR });
    if (!added) continue;
    for (const [index, movement] of goods.movements.entries()) {
      await postMovement(tx, { ...movement, goodsId: goods.id, createdBy: DEMO_ACTOR, createdAt: new Date(base.getTime() + index * 86_400_000) });
    }
  }
}
