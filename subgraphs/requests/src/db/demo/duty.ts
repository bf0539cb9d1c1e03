/**
 * The spring's epidemic gate duty at 兴乐社区 (卡口值守, as the seed article
 * tells of volunteers scanning health codes at the gates from 5 a.m.): one
 * twelve-hour activity a day from 1 April, 林晓 approving each day's hours.
 * Five 尚善学苑 parents took turns for different stretches, so that under
 * 西一路街道's own thresholds (100 / 200 / 500 / 800 / 1,000 hours) one
 * volunteer stands at each star: their hours are these records, announced
 * like any others, so points deposits them and recognition counts them.
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { recordWritten } from '../../events/publish.js';
import { activities, activityAttendances, activitySignups, serviceRecords } from '../schema.js';
import { beijing, linXiao, minutesAfter, placed } from './cast.js';

/** Days on duty of each of the five, in turn: 108, 204, 504, 804 and 1,008 hours, each just over a star's threshold. */
export const DUTY_DAYS = [9, 17, 42, 67, 84] as const;
/** One shift: 05:00 to 17:00. */
const SHIFT_MINUTES = 12 * 60;

/** The five parents on duty, in the order of DUTY_DAYS: the last five 尚善学苑 helpers (the tests take the first ones as newcomers with no hours). */
export const DUTY_VOLUNTEERS = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan').slice(-DUTY_DAYS.length);

const dutyDay = (day: number) => ({ id: demoId(13, 0x100 + day), startsAt: beijing(4, 1 + day, 5), endsAt: beijing(4, 1 + day, 17) });

export async function seedDuty(tx: Transaction): Promise<void> {
  const days = Array.from({ length: Math.max(...DUTY_DAYS) }, (_, day) => dutyDay(day));
  await tx
    .insert(activities)
    .values(
      days.map((day) => ({
        id: day.id,
        organiserId: linXiao.id,
        title: '疫情防控：小区卡口值守',
        description: '兴乐社区东门卡口扫码测温、登记出入人员，早5点到晚5点。',
        categoryCode: 'other',
        ...placed('xingle'),
        startsAt: day.startsAt,
        endsAt: day.endsAt,
        capacity: DUTY_DAYS.length,
        createdAt: minutesAfter(day.startsAt, -24 * 60),
      })),
    )
    .onConflictDoNothing();
  for (const [index, volunteer] of DUTY_VOLUNTEERS.entries()) {
    const served = days.slice(0, DUTY_DAYS[index]);
    await tx
      .insert(activitySignups)
      .values(
        served.map((day) => ({
          activityId: day.id,
          personId: volunteer.id,
          status: 'confirmed' as const,
          signedUpAt: minutesAfter(day.startsAt, -12 * 60),
          changedAt: minutesAfter(day.startsAt, -12 * 60),
        })),
      )
      .onConflictDoNothing();
    for (const [dayIndex, day] of served.entries()) {
      const recordId = demoId(15, 0x1000 + index * 0x100 + dayIndex);
      const approvedAt = minutesAfter(day.endsAt, 60);
      const [written] = await tx
        .insert(serviceRecords)
        .values({
          id: recordId,
          volunteerId: volunteer.id,
          categoryCode: 'other',
          minutes: SHIFT_MINUTES,
          servedAt: day.startsAt,
          activityId: day.id,
          ...placed('xingle'),
          description: '疫情防控：小区卡口值守',
          verifiedById: linXiao.id,
          createdAt: approvedAt,
        })
        .onConflictDoNothing()
        .returning();
      if (written) await recordWritten(tx, written);
      await tx
        .insert(activityAttendances)
        .values({
          activityId: day.id,
          personId: volunteer.id,
          checkedInAt: day.startsAt,
          checkedOutAt: day.endsAt,
          minutes: SHIFT_MINUTES,
          approvedMinutes: SHIFT_MINUTES,
          approvedById: linXiao.id,
          approvedAt,
          serviceRecordId: recordId,
        })
        .onConflictDoNothing();
    }
  }
}
