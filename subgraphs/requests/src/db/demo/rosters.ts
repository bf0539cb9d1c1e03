/**
 * A duty roster (排班) beside the spring's gate duty: 兴乐社区's evening
 * hotline (连心热线), 18:00 to 22:00 each day of the fortnight from the
 * story's today, two places a shift, with 张秀英 taking one on the Monday
 * ahead. Nobody has served on it yet, so it writes no service record and
 * changes no demo totals (hours, points, stars, the competition). Ids in
 * group 13 from 0x800, apart from the activities'.
 */
import type { Transaction } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { dutyPosts, dutyShiftSignups, dutyShifts } from '../schema.js';
import { beijing, linXiao, placed, zhangXiuying } from './cast.js';

export const ROSTER_POST = demoId(13, 0x800);
/** The fortnight's shifts, 3 to 16 December of the story. */
export const ROSTER_SHIFTS = Array.from({ length: 14 }, (_, day) => ({ id: demoId(13, 0x801 + day), startsAt: beijing(12, 3 + day, 18), endsAt: beijing(12, 3 + day, 22) }));
/** The Monday ahead (5 December of the story), where 张秀英 has a place. */
const SIGNED_UP_SHIFT = ROSTER_SHIFTS[2]!;

export async function seedRosters(tx: Transaction): Promise<void> {
  await tx
    .insert(dutyPosts)
    .values({ id: ROSTER_POST, name: '连心热线（晚间值守）', kind: 'hotline', categoryCode: 'other', ...placed('xingle'), organiserId: linXiao.id, createdAt: beijing(12, 1, 9) })
    .onConflictDoNothing();
  await tx
    .insert(dutyShifts)
    .values(ROSTER_SHIFTS.map((shift) => ({ ...shift, postId: ROSTER_POST, places: 2, createdAt: beijing(12, 1, 9) })))
    .onConflictDoNothing();
  await tx
    .insert(dutyShiftSignups)
    .values({ shiftId: SIGNED_UP_SHIFT.id, personId: zhangXiuying.id, status: 'confirmed', signedUpAt: beijing(12, 2, 20), changedAt: beijing(12, 2, 20) })
    .onConflictDoNothing();
}
