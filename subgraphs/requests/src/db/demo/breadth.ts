/**
 * Channels and minors: cleaning is marked suitable for minors, and 李小雨, a
 * minor with her mother's recorded consent (people's seed), has signed up as
 * a 小小文明引导员 for a flyer-clearing afternoon.
 */
import { eq } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { activities, activitySignups, categories, directoryPersons } from '../schema.js';
import { beijing, linXiao, placed } from './cast.js';

const MINOR_ID = demoId(87, 30);
const FLYERS = demoId(88, 1);

export async function seedBreadth(tx: Transaction): Promise<void> {
  await tx.update(categories).set({ suitableForMinors: true }).where(eq(categories.code, 'cleaning'));
  await tx
    .insert(directoryPersons)
    .values({ id: MINOR_ID, registeredAt: beijing(1, 1, 9), minor: true, guardianConsent: true })
    .onConflictDoNothing();
  await tx
    .insert(activities)
    .values({
      id: FLYERS,
      organiserId: linXiao.id,
      title: '小小文明引导员：清理小广告',
      description: '周末下午，孩子们在家长陪同下清理楼道小广告，宣传文明养犬。',
      categoryCode: 'cleaning',
      ...placed('xingle'),
      startsAt: beijing(12, 19, 14, 0),
      endsAt: beijing(12, 19, 16, 0),
      capacity: 12,
      createdAt: beijing(12, 1, 10),
    })
    .onConflictDoNothing();
  await tx
    .insert(activitySignups)
    .values({ activityId: FLYERS, personId: MINOR_ID, status: 'confirmed', signedUpAt: beijing(12, 2, 19), changedAt: beijing(12, 2, 19) })
    .onConflictDoNothing();
}
