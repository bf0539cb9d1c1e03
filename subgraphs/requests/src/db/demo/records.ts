/** Service records: the completed requests, and the activity hours 林晓 approved. */
import type { Transaction } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { recordWritten } from '../../events/publish.js';
import { serviceRecords, type NewServiceRecordRow } from '../schema.js';
import { cleanup, cleanupStart } from './activities.js';
import {
  R,
  beijing,
  chenGuilan,
  deliveryHousehold,
  heDeshun,
  linXiao,
  liuCaretaker,
  liuGuifang,
  liuZhiqiang,
  minutesAfter,
  placed,
  wangJianguo,
  zhangXiuying,
  zhengXiaohong,
} from './cast.js';

const RECORDS: NewServiceRecordRow[] = [
  {
    id: demoId(15, 1),
    volunteerId: wangJianguo.id,
    categoryCode: 'home_repair',
    minutes: 90,
    servedAt: beijing(3, 2, 15, 0),
    requestId: R.leakingTap,
    ...placed(liuGuifang.home),
    description: '厨房水龙头漏水维修',
    createdAt: beijing(3, 2, 16, 30),
  },
  {
    id: demoId(15, 2),
    volunteerId: chenGuilan.id,
    categoryCode: 'urgent_medicine',
    minutes: 45,
    servedAt: beijing(3, 5, 16, 20),
    requestId: R.bloodPressurePills,
    ...placed(heDeshun.home),
    description: '代买降压药送药上门',
    createdAt: beijing(3, 5, 17, 5),
  },
  {
    id: demoId(15, 3),
    volunteerId: liuZhiqiang.id,
    categoryCode: 'hospital_escort',
    minutes: 195,
    servedAt: beijing(6, 21, 8, 0),
    requestId: R.hospitalEscort,
    ...placed(wangJianguo.home),
    description: '陪同就医复查',
    createdAt: beijing(6, 21, 11, 15),
  },
  {
    id: demoId(15, 4),
    volunteerId: wangJianguo.id,
    categoryCode: 'home_repair',
    minutes: 70,
    servedAt: beijing(11, 27, 10, 0),
    requestId: R.ordinaryRepair,
    ...placed(zhengXiaohong.home),
    description: '更换吸顶灯镇流器和开关',
    createdAt: beijing(11, 27, 11, 10),
  },
  {
    id: demoId(15, 5),
    volunteerId: chenGuilan.id,
    categoryCode: 'buying_daily_necessities',
    minutes: 60,
    servedAt: beijing(4, 6, 9, 0),
    requestId: R.groceries,
    ...placed(deliveryHousehold.address),
    description: '为独居老人代买生活必需品',
    createdAt: beijing(4, 6, 10, 0),
  },
  {
    id: demoId(15, 6),
    volunteerId: liuCaretaker,
    categoryCode: 'emergency_call',
    minutes: 40,
    servedAt: beijing(12, 1, 21, 25),
    requestId: R.callButton,
    ...placed(liuGuifang.home),
    description: '一键呼叫上门查看',
    createdAt: beijing(12, 1, 22, 5),
  },
  {
    id: demoId(15, 7),
    volunteerId: wangJianguo.id,
    categoryCode: 'cleaning',
    minutes: 150,
    servedAt: minutesAfter(cleanupStart, -5),
    activityId: cleanup,
    ...placed('xingle'),
    description: '学雷锋日：清理小广告',
    verifiedById: linXiao.id,
    createdAt: beijing(3, 6, 9),
  },
  {
    id: demoId(15, 8),
    volunteerId: zhangXiuying.id,
    categoryCode: 'cleaning',
    minutes: 150,
    servedAt: minutesAfter(cleanupStart, 5),
    activityId: cleanup,
    ...placed('xingle'),
    description: '学雷锋日：清理小广告',
    verifiedById: linXiao.id,
    createdAt: beijing(3, 6, 9),
  },
  // 张秀英 left at 11:20: the approval gave her the full length by mistake, so it is reversed and replaced.
  {
    id: demoId(15, 9),
    kind: 'reversal',
    volunteerId: zhangXiuying.id,
    categoryCode: 'cleaning',
    minutes: -150,
    servedAt: minutesAfter(cleanupStart, 5),
    activityId: cleanup,
    ...placed('xingle'),
    description: '学雷锋日：清理小广告',
    verifiedById: linXiao.id,
    reversesId: demoId(15, 8),
    reason: '签退时间为11:20，按实际时长更正。',
    createdAt: beijing(3, 7, 10),
  },
  {
    id: demoId(15, 10),
    volunteerId: zhangXiuying.id,
    categoryCode: 'cleaning',
    minutes: 135,
    servedAt: minutesAfter(cleanupStart, 5),
    activityId: cleanup,
    ...placed('xingle'),
    description: '学雷锋日：清理小广告',
    verifiedById: linXiao.id,
    correctsId: demoId(15, 8),
    reason: '签退时间为11:20，按实际时长更正。',
    createdAt: beijing(3, 7, 10),
  },
];

export async function seedRecords(tx: Transaction): Promise<void> {
  // One at a time, in order: the correction trigger looks up each record's original. Each new record is announced
  // as recording service announces it, so points deposits for it and recognition counts it.
  for (const record of RECORDS) {
    const [written] = await tx.insert(serviceRecords).values(record).onConflictDoNothing().returning();
    if (written) await recordWritten(tx, written);
  }
}
