/** Caseloads: each special-needs household with its caretaker (包干), and a visit or two. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, demoId } from '@lianxin/shared/demo';
import { caseloadAssignments, caseloadVisits } from '../schema.js';
import { beijing, caretakerOf, householdOf, linXiao, liuGuifang, placed } from './cast.js';

export async function seedCaseloads(tx: Transaction): Promise<void> {
  const assignments = DEMO_HOUSEHOLDS.flatMap((household, index) => {
    const caretaker = caretakerOf(index);
    return caretaker
      ? [{ id: demoId(17, index + 1), householdId: household.id, volunteerId: caretaker, ...placed(household.address), assignedById: linXiao.id, assignedAt: beijing(2, 1, 9) }]
      : [];
  });
  await tx.insert(caseloadAssignments).values(assignments).onConflictDoNothing();
  const liuAssignment = assignments.find((assignment) => assignment.householdId === householdOf(liuGuifang.id).id);
  if (liuAssignment) {
    await tx
      .insert(caseloadVisits)
      .values([
        {
          id: demoId(17, 101),
          assignmentId: liuAssignment.id,
          householdId: liuAssignment.householdId,
          volunteerId: liuAssignment.volunteerId,
          visitedAt: beijing(11, 20, 10),
          note: '老人精神不错，帮忙检查了燃气阀门，提醒天冷注意保暖。',
          createdAt: beijing(11, 20, 11),
        },
        {
          id: demoId(17, 102),
          assignmentId: liuAssignment.id,
          householdId: liuAssignment.householdId,
          volunteerId: liuAssignment.volunteerId,
          visitedAt: beijing(12, 2, 9, 30),
          note: '呼叫后回访，血压平稳，已约好社区医生下周上门。',
          createdAt: beijing(12, 2, 10),
        },
      ])
      .onConflictDoNothing();
  }
}
