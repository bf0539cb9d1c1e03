/** A Xingle micro-wish fulfilled by the love alliance's supermarket, and one waiting for a volunteer. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS, demoId } from '@lianxin/shared/demo';
import { microWishes, wishTransitions } from '../schema.js';
import { beijing, linXiao, liuGuifang, placed, zhengXiaohong } from './cast.js';

export async function seedWishes(tx: Transaction): Promise<void> {
  const supermarket = DEMO_ORGANIZATIONS.find((organization) => organization.kind === 'supermarket')!;
  await tx
    .insert(microWishes)
    .values([
      {
        id: demoId(14, 1),
        wisherId: zhengXiaohong.id,
        postedById: zhengXiaohong.id,
        title: '一套初中数学课外练习册',
        story: '孩子数学基础弱，想要一套配套的练习册，寒假在家好好补一补。',
        ...placed(zhengXiaohong.home),
        status: 'thanked',
        claimantId: linXiao.id,
        claimantOrganizationId: supermarket.id,
        claimedAt: beijing(1, 10, 14),
        fulfilmentNote: `${supermarket.name}送来练习册一套和文具礼包。`,
        evidenceUrls: ['https://demo.lianxin.example/evidence/wish-workbooks.jpg'],
        fulfilledAt: beijing(1, 15, 10),
        thanks: '谢谢超市的叔叔阿姨，孩子特别高兴！',
        thankedAt: beijing(1, 15, 20),
        createdAt: beijing(1, 8, 19),
      },
      {
        id: demoId(14, 2),
        wisherId: liuGuifang.id,
        postedById: linXiao.id,
        title: '一台能听戏曲的收音机',
        story: '老人独居，眼神不好看不了电视，想有台收音机听秦腔解闷。',
        ...placed(liuGuifang.home),
        status: 'published',
        createdAt: beijing(11, 30, 16),
      },
    ])
    .onConflictDoNothing();
  await tx
    .insert(wishTransitions)
    .values([
      { id: demoId(14, 11), wishId: demoId(14, 1), fromStatus: null, toStatus: 'posted', actorId: zhengXiaohong.id, at: beijing(1, 8, 19) },
      { id: demoId(14, 12), wishId: demoId(14, 1), fromStatus: 'posted', toStatus: 'published', actorId: linXiao.id, at: beijing(1, 9, 9) },
      { id: demoId(14, 13), wishId: demoId(14, 1), fromStatus: 'published', toStatus: 'claimed', actorId: linXiao.id, at: beijing(1, 10, 14) },
      { id: demoId(14, 14), wishId: demoId(14, 1), fromStatus: 'claimed', toStatus: 'fulfilled', actorId: linXiao.id, at: beijing(1, 15, 10) },
      { id: demoId(14, 15), wishId: demoId(14, 1), fromStatus: 'fulfilled', toStatus: 'thanked', actorId: zhengXiaohong.id, at: beijing(1, 15, 20) },
      { id: demoId(14, 21), wishId: demoId(14, 2), fromStatus: null, toStatus: 'posted', actorId: linXiao.id, at: beijing(11, 30, 16) },
      { id: demoId(14, 22), wishId: demoId(14, 2), fromStatus: 'posted', toStatus: 'published', actorId: linXiao.id, at: beijing(11, 30, 16, 5) },
    ])
    .onConflictDoNothing();
}
