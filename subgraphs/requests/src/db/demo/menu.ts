/**
 * 乐修匠's service menu (服务清单): repairs at home (a priced offer: each
 * order is quoted at its price, which the tiered price divides), haircuts
 * and a cleaning afternoon across Xingle, and a Xingle need list with one need the team has claimed. Fixed ids in group 12.
 */
import { eq } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_TEAM, demoId } from '@lianxin/shared/demo';
import { fileClaimedNeed } from '../../menu/service.js';
import { claimNeed } from '../../menu/store.js';
import { serviceNeeds, serviceOffers } from '../schema.js';
import { beijing, linXiao, placed, wangJianguo } from './cast.js';

const XINGLE = DEMO_REGIONS.xingle.id;

export async function seedMenu(tx: Transaction): Promise<void> {
  await tx
    .insert(serviceOffers)
    .values([
      {
        id: demoId(12, 41),
        teamId: DEMO_TEAM.id,
        categoryCode: 'home_repair',
        description: '水电维修、门窗五金、小家电：每次工时60元、常用材料20元，上门后可按实际重新报价，困难家庭按阶梯价减免。',
        areaRegionIds: [XINGLE],
        windows: [
          { weekday: 2, start: '09:00', end: '12:00' },
          { weekday: 4, start: '14:00', end: '17:30' },
          { weekday: 6, start: '09:00', end: '17:00' },
        ],
        capacityPerWeek: 12,
        labourFen: 6000,
        materialsFen: 2000,
        publishedById: wangJianguo.id,
        publishedAt: beijing(1, 5, 10),
      },
      {
        id: demoId(12, 42),
        teamId: DEMO_TEAM.id,
        categoryCode: 'haircut',
        description: '为行动不便的老人上门理发，每月第一个周六集中服务。',
        areaRegionIds: [DEMO_REGIONS.xingleCompoundEast.id, DEMO_REGIONS.xingleCompoundWest.id],
        windows: [{ weekday: 6, start: '09:00', end: '11:30' }],
        capacityPerWeek: 8,
        publishedById: wangJianguo.id,
        publishedAt: beijing(1, 5, 11),
      },
      {
        id: demoId(12, 43),
        teamId: DEMO_TEAM.id,
        categoryCode: 'cleaning',
        description: '独居老人家庭大扫除，两人一组，自带工具。',
        areaRegionIds: [XINGLE],
        windows: [{ weekday: 3, start: '14:00', end: '17:00' }],
        capacityPerWeek: 4,
        publishedById: wangJianguo.id,
        publishedAt: beijing(1, 5, 12),
      },
    ])
    .onConflictDoNothing();
  await tx
    .insert(serviceNeeds)
    .values([
      {
        id: demoId(12, 51),
        categoryCode: 'home_repair',
        title: '东院老旧楼道灯更换',
        description: '东院1、2号楼楼道感应灯多处不亮，需要集中更换。',
        ...placed('xingleCompoundEast'),
        publishedById: linXiao.id,
        // Last night's need, claimed at midnight (never later than the demo is loaded): the request it filed waits in the team's queue.
        publishedAt: beijing(12, 2, 21),
      },
      {
        id: demoId(12, 52),
        categoryCode: 'companionship',
        title: '独居老人周末陪伴',
        description: '西院三位独居老人希望周末有人陪着聊天、读报。',
        ...placed('xingleCompoundWest'),
        publishedById: linXiao.id,
        publishedAt: beijing(1, 6, 10),
      },
    ])
    .onConflictDoNothing();
  await claimAsTheTeamWould(tx, demoId(12, 51), beijing(12, 3, 0));
}

/**
 * 乐修匠's captain claims the stairwell lights the way `serviceNeedClaim`
 * does: the claim files a request dispatched to the team, linked to the need.
 * Once only: a need claimed already (the demo seeded before) is left alone.
 */
async function claimAsTheTeamWould(tx: Transaction, needId: string, at: Date): Promise<void> {
  const [need] = await tx.select().from(serviceNeeds).where(eq(serviceNeeds.id, needId));
  if (!need || need.claimedAt) return;
  const request = await fileClaimedNeed(tx, need, DEMO_TEAM.id, wangJianguo.id, at);
  await claimNeed(tx, need.id, { teamId: DEMO_TEAM.id, personId: wangJianguo.id, requestId: request.id, at });
}
