/** A Lezhi-style activity day: cleaning small ads on 学雷锋日, with its sign-ups and attendance; and a health day still to come. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { activities, activityAttendances, activitySignups } from '../schema.js';
import { beijing, chenGuilan, linXiao, liuZhiqiang, minutesAfter, placed, wangJianguo, yangMing, zhangXiuying } from './cast.js';

/** The cleaning day of 学雷锋日 (5 March), 9:00 to 11:30: its hours became service records. */
export const cleanup = demoId(13, 1);
export const cleanupStart = beijing(3, 5, 9, 0);
export const cleanupEnd = beijing(3, 5, 11, 30);

export async function seedActivities(tx: Transaction): Promise<void> {
  await tx
    .insert(activities)
    .values([
      {
        id: cleanup,
        organiserId: linXiao.id,
        title: '学雷锋日：清理小广告',
        description: '清理兴乐社区楼道、电线杆上的小广告，发放文明宣传单。',
        categoryCode: 'cleaning',
        ...placed('xingle'),
        startsAt: cleanupStart,
        endsAt: cleanupEnd,
        capacity: 4,
        createdAt: beijing(2, 25, 10),
      },
      {
        id: demoId(13, 2),
        organiserId: DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === 'jiankang')!.id,
        title: '健康有约：义诊与健康咨询',
        description: '量血压、测血糖，讲解慢病用药常识。',
        categoryCode: 'other',
        ...placed('xiangyang'),
        startsAt: beijing(12, 17, 9, 0),
        endsAt: beijing(12, 17, 12, 0),
        capacity: 10,
        createdAt: beijing(12, 1, 10),
      },
    ])
    .onConflictDoNothing();
  await tx
    .insert(activitySignups)
    .values(
      [wangJianguo, zhangXiuying, liuZhiqiang, chenGuilan, yangMing].map((volunteer, index) => ({
        activityId: cleanup,
        personId: volunteer.id,
        status: index < 4 ? ('confirmed' as const) : ('waitlisted' as const),
        signedUpAt: beijing(2, 26, 9, index * 7),
        changedAt: beijing(2, 26, 9, index * 7),
      })),
    )
    .onConflictDoNothing();
}

/** Who came and for how long: written after the service records the approved hours became. */
export async function seedAttendances(tx: Transaction): Promise<void> {
  await tx
    .insert(activityAttendances)
    .values([
      {
        activityId: cleanup,
        personId: wangJianguo.id,
        checkedInAt: minutesAfter(cleanupStart, -5),
        checkedOutAt: minutesAfter(cleanupEnd, 5),
        minutes: 150,
        approvedMinutes: 150,
        approvedById: linXiao.id,
        approvedAt: beijing(3, 6, 9),
        serviceRecordId: demoId(15, 7),
      },
      {
        activityId: cleanup,
        personId: zhangXiuying.id,
        checkedInAt: minutesAfter(cleanupStart, 5),
        checkedOutAt: minutesAfter(cleanupEnd, -10),
        minutes: 135,
        approvedMinutes: 150,
        approvedById: linXiao.id,
        approvedAt: beijing(3, 6, 9),
        serviceRecordId: demoId(15, 8),
      },
      // 刘志强 forgot to check out: closed at the end 24 hours later, and flagged for 林晓.
      { activityId: cleanup, personId: liuZhiqiang.id, checkedInAt: cleanupStart, checkedOutAt: cleanupEnd, autoClosed: true, minutes: 150 },
    ])
    .onConflictDoNothing();
}
