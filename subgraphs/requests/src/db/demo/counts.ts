/**
 * Micro-wishes and activities that count: Xingle's "1+10+N" series with the
 * cleaning day of 学雷锋日 in it, its outputs (宣传资料 4200 份, 消杀面积
 * 76000 平方米) and its participants' ratings; and a wish a volunteer of 尚善学苑家长帮帮团
 * fulfilled, whose hours the station confirmed into a service record.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { recordWritten } from '../../events/publish.js';
import { activities, activityOutputs, activityRatings, activitySeries, microWishes, serviceRecords, wishTransitions } from '../schema.js';
import { cleanup } from './activities.js';
import { beijing, heDeshun, linXiao, placed, wangJianguo, zhangXiuying } from './cast.js';

const series = demoId(13, 0x301);
const wish = demoId(14, 3);

async function seedSeries(tx: Transaction): Promise<void> {
  await tx
    .insert(activitySeries)
    .values({
      id: series,
      name: '1+10+N',
      description: '一个党支部带动十个共建单位和 N 名志愿者，常态化开展文明创建与疫情防控志愿服务。',
      ...placed('xingle'),
      organiserId: linXiao.id,
      createdAt: beijing(2, 20, 9),
    })
    .onConflictDoNothing();
  await tx
    .update(activities)
    .set({ seriesId: series })
    .where(and(eq(activities.id, cleanup), isNull(activities.seriesId)));
  await tx
    .insert(activityOutputs)
    .values([
      { id: demoId(13, 0x311), activityId: cleanup, kind: 'materials_distributed', quantity: 4200, unit: '份', recordedById: linXiao.id, recordedAt: beijing(3, 5, 12) },
      { id: demoId(13, 0x312), activityId: cleanup, kind: 'area_covered_square_metres', quantity: 76000, unit: '平方米', recordedById: linXiao.id, recordedAt: beijing(3, 5, 12) },
    ])
    .onConflictDoNothing();
  await tx
    .insert(activityRatings)
    .values([
      { activityId: cleanup, personId: wangJianguo.id, score: 5, comment: '分工清楚，工具准备得很齐。', ratedAt: beijing(3, 5, 12, 10) },
      { activityId: cleanup, personId: zhangXiuying.id, score: 4, ratedAt: beijing(3, 5, 13) },
    ])
    .onConflictDoNothing();
}

async function seedWishHours(tx: Transaction): Promise<void> {
  // The last of the team's recruits: the first ones are the newcomers the end-to-end tests follow from a clean slate.
  const volunteer = DEMO_MORE_VOLUNTEERS.filter((person) => person.team === 'shangshan').at(-1)!;
  const fulfilledAt = beijing(4, 12, 16);
  await tx
    .insert(microWishes)
    .values({
      id: wish,
      wisherId: heDeshun.id,
      postedById: linXiao.id,
      title: '帮忙修好轮椅的刹车',
      story: '老人腿脚不便，轮椅刹车松了，下坡时不安全。',
      ...placed(heDeshun.home),
      status: 'thanked',
      claimantId: volunteer.id,
      claimedAt: beijing(4, 11, 10),
      fulfilmentNote: '上门调好了刹车，换了一副刹车皮。',
      evidenceUrls: ['https://demo.lianxin.example/evidence/wish-wheelchair.jpg'],
      fulfilledAt,
      thanks: '谢谢你，推起来稳当多了。',
      thankedAt: beijing(4, 12, 19),
      createdAt: beijing(4, 10, 15),
      hoursMinutes: 60,
      hoursStatus: 'confirmed',
      hoursClaimedAt: beijing(4, 12, 17),
      hoursDecidedById: linXiao.id,
      hoursDecidedAt: beijing(4, 13, 9),
    })
    .onConflictDoNothing();
  await tx
    .insert(wishTransitions)
    .values([
      { id: demoId(14, 31), wishId: wish, fromStatus: null, toStatus: 'posted', actorId: linXiao.id, at: beijing(4, 10, 15) },
      { id: demoId(14, 32), wishId: wish, fromStatus: 'posted', toStatus: 'published', actorId: linXiao.id, at: beijing(4, 10, 15, 5) },
      { id: demoId(14, 33), wishId: wish, fromStatus: 'published', toStatus: 'claimed', actorId: volunteer.id, at: beijing(4, 11, 10) },
      { id: demoId(14, 34), wishId: wish, fromStatus: 'claimed', toStatus: 'fulfilled', actorId: volunteer.id, at: fulfilledAt },
      { id: demoId(14, 35), wishId: wish, fromStatus: 'fulfilled', toStatus: 'thanked', actorId: heDeshun.id, at: beijing(4, 12, 19) },
    ])
    .onConflictDoNothing();
  const [record] = await tx
    .insert(serviceRecords)
    .values({
      id: demoId(15, 101),
      volunteerId: volunteer.id,
      categoryCode: 'other',
      minutes: 60,
      servedAt: new Date(fulfilledAt.getTime() - 60 * 60_000),
      wishId: wish,
      ...placed(heDeshun.home),
      description: '微心愿：帮忙修好轮椅的刹车',
      verifiedById: linXiao.id,
      createdAt: beijing(4, 13, 9),
    })
    .onConflictDoNothing()
    .returning();
  // Announced as confirmation announces it, so points deposits for it and recognition counts it.
  if (record) await recordWritten(tx, record);
}

export async function seedCounts(tx: Transaction): Promise<void> {
  await seedSeries(tx);
  await seedWishHours(tx);
}
