/**
 * A weekly catheter-care plan (上门更换导尿管), as the article tells of a
 * nurse volunteer who changed an elder's catheter every week for two years:
 * a volunteer of 健康有约 (向阳社区's health team) visits an elder of
 * 向阳社区 who lives alone, every week at nine in the morning; the
 * community's grid worker, who found the need, recorded the plan. The plan
 * began seven weeks before the stories' today; those visits are done and
 * recorded (their records announced, so points and recognition count them);
 * the visits ahead are generated as the scheduled job would. Fixed ids in
 * group 58.
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { recordWritten } from '../../events/publish.js';
import { generateOccurrences } from '../../plans/generate.js';
import { beijingDate } from '../../plans/recurrence.js';
import { carePlanOccurrences, carePlans, requestTransitions, serviceRecords, serviceRequests, type RequestStatus } from '../schema.js';
import { beijing, minutesAfter, placed } from './cast.js';

/** Household 10: special hardship, an elder living alone in 向阳社区. */
const household = DEMO_HOUSEHOLDS[10]!;
const elderId = household.members[0]!.personId;
/** A member of 健康有约 (not its captain), 向阳社区's health team. */
const nurseId = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'jiankang')[1]!.id;
/** 向阳社区's grid worker. */
const gridWorkerId = DEMO_GRID_WORKERS[3]!.id;

const PLAN_ID = demoId(58, 1);
const VISIT_MINUTES = 45;
const PAST_VISITS = 7;
const DESCRIPTION = '每周上门为独居老人更换导尿管，检查皮肤和尿量，记录在护理本上。';

/** The first visit: a morning seven weeks before the stories' today, at nine. */
const firstVisit = beijing(10, 15, 9);
const visitAt = (week: number): Date => minutesAfter(firstVisit, week * 7 * 24 * 60);
/** ISO weekday (1 Monday … 7 Sunday) of the first visit in Beijing, whatever day the stories are moved to. */
const weekdayOf = (at: Date): number => ((new Date(`${beijingDate(at)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

async function seedPastVisit(tx: Transaction, week: number): Promise<void> {
  const at = visitAt(week);
  const filed = minutesAfter(at, -3 * 24 * 60);
  const done = minutesAfter(at, VISIT_MINUTES);
  const requestId = demoId(58, 0x100 + week);
  const [request] = await tx
    .insert(serviceRequests)
    .values({
      id: requestId,
      requesterId: elderId,
      categoryCode: 'companionship',
      description: DESCRIPTION,
      channel: 'grid_worker',
      status: 'completed',
      filedById: gridWorkerId,
      ...placed(household.address),
      wishedAt: at,
      dispatchedPersonId: nurseId,
      assigneeId: nurseId,
      acceptedAt: filed,
      startedAt: at,
      completedAt: done,
      completionNote: '已更换导尿管，皮肤无红肿，尿色正常。',
      createdAt: filed,
      updatedAt: done,
    })
    .onConflictDoNothing()
    .returning();
  if (!request) return;
  const path: [RequestStatus | null, RequestStatus, Date][] = [
    [null, 'submitted', filed],
    ['submitted', 'approved', filed],
    ['approved', 'dispatched', filed],
    ['dispatched', 'accepted', filed],
    ['accepted', 'in_service', at],
    ['in_service', 'completed', done],
  ];
  await tx.insert(requestTransitions).values(
    path.map(([fromStatus, toStatus, when]) => ({
      requestId,
      fromStatus,
      toStatus,
      actorKind: toStatus === 'in_service' || toStatus === 'completed' ? ('person' as const) : ('system' as const),
      actorId: toStatus === 'in_service' || toStatus === 'completed' ? nurseId : null,
      personId: toStatus === 'dispatched' ? nurseId : null,
      at: when,
    })),
  );
  await tx
    .insert(carePlanOccurrences)
    .values({ planId: PLAN_ID, occursOn: beijingDate(at), requestId, createdAt: filed })
    .onConflictDoNothing();
  const [record] = await tx
    .insert(serviceRecords)
    .values({
      id: demoId(58, 0x200 + week),
      volunteerId: nurseId,
      categoryCode: 'companionship',
      minutes: VISIT_MINUTES,
      servedAt: at,
      requestId,
      ...placed(household.address),
      description: '上门更换导尿管',
      createdAt: done,
    })
    .onConflictDoNothing()
    .returning();
  if (record) await recordWritten(tx, record);
}

export async function seedCarePlans(tx: Transaction): Promise<void> {
  const planCreated = minutesAfter(firstVisit, -7 * 24 * 60);
  await tx
    .insert(carePlans)
    .values({
      id: PLAN_ID,
      beneficiaryId: elderId,
      householdId: household.id,
      ...placed(household.address),
      categoryCode: 'companionship',
      volunteerId: nurseId,
      description: DESCRIPTION,
      frequency: 'weekly',
      intervalWeeks: 1,
      weekday: weekdayOf(firstVisit),
      startMinute: 9 * 60,
      durationMinutes: VISIT_MINUTES,
      startsOn: beijingDate(firstVisit),
      horizonDays: 28,
      createdById: gridWorkerId,
      createdAt: planCreated,
      updatedAt: planCreated,
    })
    .onConflictDoNothing();
  for (let week = 0; week < PAST_VISITS; week += 1) await seedPastVisit(tx, week);
  // The visits ahead, as the scheduled job makes them.
  await generateOccurrences(tx, PLAN_ID, new Date());
}
