/**
 * The gate-scanning roster (卡口扫码排班) the seed article tells of, as a duty
 * roster: 兴乐社区西院大门, a shift from 05:00 to 11:00 every day for four
 * weeks from Monday 28 November of the story, five places each, served in
 * daily groups (七色光's batches) of four. 林晓 laid out the first week and
 * copied it to the three weeks after, as `dutyShiftsCopyWeek` does (the same
 * `copiesOfWeek`). The five days before the story's today were served:
 * checked in and out, approved into service records (one a no-show, one
 * attendance refused for leaving after minutes); the group of the week
 * ahead has signed up, and every later shift has all its places open. Ids in
 * group 13 from 0xa00 (post and shifts) and group 15 from 0x2000 (records).
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { copiesOfWeek } from '../../duty/service.js';
import { recordWritten } from '../../events/publish.js';
import { dutyPosts, dutyShiftSignups, dutyShifts, serviceRecords } from '../schema.js';
import { beijing, linXiao, minutesAfter, placed } from './cast.js';

export const GATE_POST = demoId(13, 0xa00);
const POST_NAME = '西院大门扫码值守';
const PLACES = 5;
const GROUP_SIZE = 4;
/** Days of the roster served before the story's today (28 November to 2 December). */
const SERVED_DAYS = 5;
/** The days of the week ahead whose group has signed up (4 to 10 December). */
const SIGNED_UP_DAYS = [6, 7, 8, 9, 10, 11, 12];
const NO_SHOW = { day: 3, member: 3 };
const REFUSED = { day: 4, member: 2 };

/** 七色光's volunteers in daily groups of four: the group of a day of the roster. */
const QISEGUANG = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'qiseguang');
const GROUPS = Math.floor(QISEGUANG.length / GROUP_SIZE);
const groupOf = (day: number) => QISEGUANG.slice((day % GROUPS) * GROUP_SIZE, (day % GROUPS) * GROUP_SIZE + GROUP_SIZE);

/** The week laid out by hand, then its copies to the three weeks after: 28 shifts, earliest first. */
export function gateShifts(): { id: string; startsAt: Date; endsAt: Date; places: number }[] {
  const week = Array.from({ length: 7 }, (_, day) => ({ startsAt: beijing(11, 28 + day, 5), endsAt: beijing(11, 28 + day, 11), places: PLACES }));
  return [...week, ...copiesOfWeek(week, [], 3)].map((shift, day) => ({ ...shift, id: demoId(13, 0xa01 + day) }));
}

interface Presence {
  checkedInAt: Date;
  checkedOutAt: Date;
  minutes: number;
}

/** When a volunteer of a served day came and went: a few minutes before the start to a few after the end, or the refused few minutes. */
function presenceOf(shift: { startsAt: Date; endsAt: Date }, day: number, member: number): Presence {
  if (day === REFUSED.day && member === REFUSED.member) {
    return { checkedInAt: minutesAfter(shift.startsAt, 340), checkedOutAt: minutesAfter(shift.startsAt, 352), minutes: 12 };
  }
  return { checkedInAt: minutesAfter(shift.startsAt, -8 - member), checkedOutAt: minutesAfter(shift.endsAt, 3 + member), minutes: 360 };
}

async function seedServedShift(tx: Transaction, shift: { id: string; startsAt: Date; endsAt: Date }, day: number): Promise<void> {
  const approvedAt = minutesAfter(shift.endsAt, 90);
  for (const [member, volunteer] of groupOf(day).entries()) {
    const signedUp = {
      shiftId: shift.id,
      personId: volunteer.id,
      status: 'confirmed' as const,
      signedUpAt: minutesAfter(shift.startsAt, -3 * 24 * 60),
      changedAt: minutesAfter(shift.startsAt, -3 * 24 * 60),
    };
    if (day === NO_SHOW.day && member === NO_SHOW.member) {
      await tx
        .insert(dutyShiftSignups)
        .values({ ...signedUp, noShow: true })
        .onConflictDoNothing();
      continue;
    }
    const presence = presenceOf(shift, day, member);
    if (day === REFUSED.day && member === REFUSED.member) {
      const refusal = { refusedAt: approvedAt, refusedById: linXiao.id, refusalReason: '只在岗十余分钟，未完成值守。' };
      await tx
        .insert(dutyShiftSignups)
        .values({ ...signedUp, ...presence, ...refusal })
        .onConflictDoNothing();
      continue;
    }
    const [written] = await tx
      .insert(serviceRecords)
      .values({
        id: demoId(15, 0x2000 + day * 0x10 + member),
        volunteerId: volunteer.id,
        categoryCode: 'other',
        minutes: presence.minutes,
        servedAt: presence.checkedInAt,
        dutyShiftId: shift.id,
        ...placed('xingleCompoundWest'),
        description: POST_NAME,
        verifiedById: linXiao.id,
        createdAt: approvedAt,
      })
      .onConflictDoNothing()
      .returning();
    if (written) await recordWritten(tx, written);
    const approval = { approvedMinutes: presence.minutes, approvedById: linXiao.id, approvedAt, serviceRecordId: demoId(15, 0x2000 + day * 0x10 + member) };
    await tx
      .insert(dutyShiftSignups)
      .values({ ...signedUp, ...presence, ...approval })
      .onConflictDoNothing();
  }
}

export async function seedGateRoster(tx: Transaction): Promise<void> {
  const laidOut = beijing(11, 25, 16);
  await tx
    .insert(dutyPosts)
    .values({ id: GATE_POST, name: POST_NAME, kind: 'gate', categoryCode: 'other', ...placed('xingleCompoundWest'), organiserId: linXiao.id, createdAt: laidOut })
    .onConflictDoNothing();
  const shifts = gateShifts();
  await tx
    .insert(dutyShifts)
    .values(shifts.map((shift) => ({ ...shift, postId: GATE_POST, createdAt: laidOut })))
    .onConflictDoNothing();
  for (const [day, shift] of shifts.slice(0, SERVED_DAYS).entries()) await seedServedShift(tx, shift, day);
  for (const day of SIGNED_UP_DAYS) {
    const shift = shifts[day];
    if (!shift) continue;
    const signedUpAt = beijing(12, 2, 20, day);
    await tx
      .insert(dutyShiftSignups)
      .values(
        groupOf(day)
          .slice(0, 3)
          .map((volunteer) => ({ shiftId: shift.id, personId: volunteer.id, status: 'confirmed' as const, signedUpAt, changedAt: signedUpAt })),
      )
      .onConflictDoNothing();
  }
}
