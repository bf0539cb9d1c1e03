/**
 * The requests part of the demo data set (see the @lianxin/shared demo cast),
 * told from the seed's stories: 乐修匠 repairs at the three price tiers, the
 * Jimo special-needs deliveries, a Xingle micro-wish, a Lezhi-style activity
 * day, and a call button at an elder's home as in Ziming community. Also the
 * directory (the read model of people facts) for the whole cast.
 * Idempotent: fixed ids in groups 10–19, and rows that exist stay as they are.
 */
import type { Database } from '@lianxin/shared';
import {
  DEMO_BUILDING_CAPTAINS,
  DEMO_GRID_WORKERS,
  DEMO_GRIDS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_TEAMS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_ORGANIZATIONS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  demoId,
  demoRegionId,
} from '@lianxin/shared/demo';
import {
  insertDirectoryBuildingCaptains,
  insertDirectoryHouseholdMembers,
  insertDirectoryPersons,
  insertDirectoryRegions,
  insertDirectoryTeams,
  type DirectoryTeamInput,
} from '../directory/store.js';
import type { RequestsSettings } from '../settings.js';
import { DEV_DEVICE_PLATFORM } from '../settings.js';
import {
  activities,
  activityAttendances,
  activitySignups,
  alerts,
  caseloadAssignments,
  caseloadVisits,
  devices,
  fundCharges,
  microWishes,
  priceRules,
  requestQuotes,
  requestSettlements,
  requestTransitions,
  serviceRecords,
  serviceRequests,
  wishTransitions,
  type DirectoryRegionRow,
  type NewRequestTransitionRow,
  type NewServiceRecordRow,
  type NewServiceRequestRow,
} from './schema.js';

/** A time in 2022 as Beijing wall-clock time, which is how the community would tell it. */
const beijing = (month: number, day: number, hour: number, minute = 0): Date => new Date(Date.UTC(2022, month - 1, day, hour - 8, minute));
const minutesAfter = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * 60_000);

const [liuGuifang, heDeshun, zhengXiaohong] = DEMO_RESIDENTS as [(typeof DEMO_RESIDENTS)[number], (typeof DEMO_RESIDENTS)[number], (typeof DEMO_RESIDENTS)[number]];
const [wangJianguo, zhangXiuying, liuZhiqiang, chenGuilan, yangMing] = DEMO_VOLUNTEERS as [
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
];
const linXiao = DEMO_STAFF[0]!;
const region = (key: string): string => demoRegionId(key);
const householdOf = (personId: string) => DEMO_HOUSEHOLDS.find((household) => household.members.some((member) => member.personId === personId))!;

/**
 * Every person people's seed registers, as `person.registered` would have
 * announced them (the seeds write no events); the instant is the demo
 * year's first morning.
 */
function demoPersons(): { id: string; registeredAt: Date }[] {
  const everyone = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
  return everyone.map((person) => ({ id: person.id, registeredAt: beijing(1, 1, 9) }));
}

/** Every demo region with its ancestors, as the directory keeps them. */
function directoryRegions(): DirectoryRegionRow[] {
  const all: Record<string, { id: string; kind: string; parent: string | null }> = { ...DEMO_REGIONS, ...DEMO_XINCHENG_REGIONS };
  const pathOf = (key: string): string[] => {
    const parent = all[key]!.parent;
    return parent ? [...pathOf(parent), all[parent]!.id] : [];
  };
  return Object.entries(all).map(([key, value]) => ({
    id: value.id,
    parentId: value.parent ? all[value.parent]!.id : null,
    kind: value.kind,
    path: pathOf(key),
  }));
}

/** A region's path as stored on what is placed there: its ancestors, then itself. */
const placePath = (key: string): string[] => {
  const row = directoryRegions().find((candidate) => candidate.id === region(key))!;
  return [...row.path, row.id];
};
const placed = (key: string) => ({ regionId: region(key), regionPath: placePath(key) });

/** Teams and their current members: the 乐修匠 twelve with their recruits, and the seed's other teams. */
function directoryTeams(): DirectoryTeamInput[] {
  const recruitsOf = (team: string) => DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === team);
  const lexiujiang: DirectoryTeamInput = {
    id: DEMO_TEAM.id,
    communityId: region(DEMO_TEAM.community),
    members: [
      ...DEMO_VOLUNTEERS.map((volunteer, index) => ({ personId: volunteer.id, role: index === 0 ? ('captain' as const) : ('member' as const) })),
      ...recruitsOf('lexiujiang').map((volunteer) => ({ personId: volunteer.id, role: 'member' as const })),
    ],
  };
  const others = Object.entries(DEMO_MORE_TEAMS).map(([key, team]) => ({
    id: team.id,
    communityId: region(team.community),
    members: recruitsOf(key).map((volunteer, index) => ({ personId: volunteer.id, role: index === 0 ? ('captain' as const) : ('member' as const) })),
  }));
  return [lexiujiang, ...others];
}

/**
 * Who looks after a special-needs household: a volunteer living in its
 * building (not of the parents' help group), or else its grid worker. The
 * same rule the people demo uses for `Household.caretaker`.
 */
function caretakerOf(index: number): string | null {
  const household = DEMO_HOUSEHOLDS[index]!;
  if (household.needs.length === 0) return null;
  const neighbours = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.home === household.address && volunteer.team !== 'shangshan');
  if (neighbours.length > 0) return neighbours[index % neighbours.length]!.id;
  const compound = (DEMO_XINCHENG_REGIONS[household.address]?.parent ?? (DEMO_REGIONS as Record<string, { parent: string | null }>)[household.address]?.parent) as string;
  return DEMO_GRIDS.find((grid) => grid.coverage.includes(compound))?.workerId ?? null;
}

/** Request ids of the demo stories. */
const R = {
  leakingTap: demoId(10, 1),
  bloodPressurePills: demoId(10, 2),
  haircut: demoId(10, 3),
  tutoring: demoId(10, 4),
  hospitalEscort: demoId(10, 5),
  companionship: demoId(10, 6),
  stairwell: demoId(10, 7),
  lowIncomeRepair: demoId(10, 8),
  ordinaryRepair: demoId(10, 9),
  quotedRepair: demoId(10, 10),
  groceries: demoId(10, 11),
  callButton: demoId(10, 12),
};

/** The special-needs household the Jimo-style deliveries serve: elderly, living alone, low income. */
const deliveryHousehold = DEMO_HOUSEHOLDS[4]!;
const deliveryResident = deliveryHousehold.members[0]!.personId;

export async function seedRequestsDemo(db: Database, _settings?: RequestsSettings): Promise<void> {
  await db.transaction(async (tx) => {
    // The directory: persons, regions, teams and households as the people subgraph has them.
    await insertDirectoryPersons(tx, demoPersons());
    await insertDirectoryRegions(tx, directoryRegions());
    await insertDirectoryTeams(tx, directoryTeams());
    await insertDirectoryHouseholdMembers(
      tx,
      DEMO_HOUSEHOLDS.flatMap((household) => household.members.map((member) => ({ householdId: household.id, personId: member.personId }))),
    );
    await insertDirectoryBuildingCaptains(
      tx,
      DEMO_BUILDING_CAPTAINS.map((captain) => ({ buildingId: region(captain.building), personId: captain.personId })),
    );

    await tx
      .insert(priceRules)
      .values([
        { id: demoId(18, 1), regionId: region('xingle'), ordinaryLabourPercent: 80, setById: linXiao.id, setAt: beijing(1, 5, 9) },
        { id: demoId(18, 2), regionId: region('ziming'), ordinaryLabourPercent: 70, setById: linXiao.id, setAt: beijing(1, 5, 9) },
      ])
      .onConflictDoNothing();

    // 刘桂芳 lives alone: her call button and motion sensor notify her caseload volunteer.
    const liuIndex = DEMO_HOUSEHOLDS.indexOf(householdOf(liuGuifang.id));
    const liuCaretaker = caretakerOf(liuIndex) ?? zhangXiuying.id;
    const deliveryIndex = DEMO_HOUSEHOLDS.indexOf(deliveryHousehold);
    const deliveryCaretaker = caretakerOf(deliveryIndex) ?? chenGuilan.id;
    const liuButton = demoId(16, 1);
    const deliverySensor = demoId(16, 2);
    await tx
      .insert(devices)
      .values([
        {
          id: liuButton,
          platform: DEV_DEVICE_PLATFORM,
          externalId: 'ziming-callbox-0001',
          householdId: householdOf(liuGuifang.id).id,
          residentId: liuGuifang.id,
          notifyPersonId: liuCaretaker,
          ...placed(liuGuifang.home),
          inactivityHours: 12,
          lastMotionAt: beijing(12, 1, 7, 40),
          registeredById: linXiao.id,
          registeredAt: beijing(2, 20, 10),
        },
        {
          id: deliverySensor,
          platform: DEV_DEVICE_PLATFORM,
          externalId: 'ziming-sensor-0002',
          householdId: deliveryHousehold.id,
          residentId: deliveryResident,
          notifyPersonId: deliveryCaretaker,
          ...placed(deliveryHousehold.address),
          inactivityHours: 12,
          lastMotionAt: beijing(12, 2, 6, 10),
          registeredById: linXiao.id,
          registeredAt: beijing(2, 20, 10, 30),
        },
      ])
      .onConflictDoNothing();

    const requests: NewServiceRequestRow[] = [
      {
        id: R.leakingTap,
        requesterId: liuGuifang.id,
        categoryCode: 'home_repair',
        description: '厨房水龙头漏水，拧紧了还是滴个不停，地上总是湿的，想请师傅上门修一下。',
        channel: 'phone',
        createdAt: beijing(3, 2, 9, 20),
        ...placed(liuGuifang.home),
        status: 'rated',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: wangJianguo.id,
        acceptedAt: beijing(3, 2, 10, 5),
        startedAt: beijing(3, 2, 15, 0),
        completedAt: beijing(3, 2, 16, 30),
        completionNote: '更换了水龙头阀芯和两个密封圈，试水半小时不再滴漏。',
        evidenceUrls: ['https://demo.lianxin.example/evidence/leaking-tap-after.jpg'],
        materialsUsed: [
          { name: '水龙头阀芯', quantity: 1 },
          { name: '密封圈', quantity: 2 },
        ],
        rating: 5,
        ratingComment: '王师傅手艺好，还帮我把厨房地面擦干净了。',
        ratedById: liuGuifang.id,
        ratedAt: beijing(3, 3, 9, 0),
      },
      {
        id: R.bloodPressurePills,
        requesterId: heDeshun.id,
        categoryCode: 'urgent_medicine',
        description: '降压药快吃完了，腿脚不方便下楼，请帮忙去药店买两盒硝苯地平缓释片送到家。',
        channel: 'mini_program',
        createdAt: beijing(3, 5, 15, 40),
        ...placed(heDeshun.home),
        status: 'rated',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: chenGuilan.id,
        acceptedAt: beijing(3, 5, 16, 0),
        startedAt: beijing(3, 5, 16, 20),
        completedAt: beijing(3, 5, 17, 5),
        completionNote: '在社区药店买到两盒，已送到家并提醒按时服用。',
        rating: 5,
        ratingComment: '送得很及时，谢谢！',
        ratedById: heDeshun.id,
        ratedAt: beijing(3, 5, 19, 0),
      },
      {
        // Collected by the community's staff on a home visit: 刘桂芳 lives alone and does not use the app.
        id: R.haircut,
        requesterId: liuGuifang.id,
        categoryCode: 'haircut',
        description: '老人独居，行动不便，头发很久没理了，希望有志愿者上门理发。',
        channel: 'grid_worker',
        filedById: linXiao.id,
        createdAt: beijing(4, 12, 10, 5),
        ...placed(liuGuifang.home),
        status: 'approved',
      },
      {
        id: R.tutoring,
        requesterId: zhengXiaohong.id,
        categoryCode: 'tutoring',
        description: '孩子上初二，数学有些跟不上，希望有志愿者每周末辅导一次。',
        channel: 'app',
        createdAt: beijing(5, 8, 20, 15),
        ...placed(zhengXiaohong.home),
      },
      {
        id: R.hospitalEscort,
        requesterId: wangJianguo.id,
        categoryCode: 'hospital_escort',
        description: '老伴腰伤刚出院，下周二要去医院复查，想请志愿者帮忙陪同挂号取药。',
        channel: 'app',
        createdAt: beijing(6, 14, 8, 30),
        ...placed(wangJianguo.home),
        status: 'completed',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: liuZhiqiang.id,
        acceptedAt: beijing(6, 14, 9, 10),
        startedAt: beijing(6, 21, 8, 0),
        completedAt: beijing(6, 21, 11, 15),
        completionNote: '陪同到医院挂号、检查、取药，平安送回家。',
      },
      {
        id: R.companionship,
        requesterId: wangJianguo.id,
        categoryCode: 'companionship',
        description: '母亲独自住在西院，我白天常在外维修，希望有志愿者每周上门陪她聊聊天。',
        channel: 'app',
        createdAt: beijing(9, 3, 19, 0),
        ...placed('westBuilding1'),
        status: 'cancelled',
      },
      {
        id: R.stairwell,
        requesterId: wangJianguo.id,
        categoryCode: 'cleaning',
        description: '东院1号楼楼道里堆了不少旧家具和纸箱，请帮忙清理一下，以免堵住消防通道。',
        channel: 'mini_program',
        createdAt: beijing(11, 20, 14, 45),
        ...placed('eastBuilding1'),
      },
      {
        id: R.lowIncomeRepair,
        requesterId: heDeshun.id,
        categoryCode: 'home_repair',
        description: '卫生间下水道返臭，地漏盖也坏了，请师傅来看看。',
        channel: 'phone',
        createdAt: beijing(11, 28, 9, 0),
        ...placed(heDeshun.home),
        status: 'in_service',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: liuZhiqiang.id,
        acceptedAt: beijing(11, 28, 9, 40),
        startedAt: beijing(11, 29, 14, 0),
      },
      {
        id: R.ordinaryRepair,
        requesterId: zhengXiaohong.id,
        categoryCode: 'home_repair',
        description: '客厅吸顶灯不亮，开关也有些松动，想请师傅换一下。',
        channel: 'app',
        createdAt: beijing(11, 25, 19, 30),
        ...placed(zhengXiaohong.home),
        status: 'completed',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: wangJianguo.id,
        acceptedAt: beijing(11, 26, 8, 15),
        startedAt: beijing(11, 27, 10, 0),
        completedAt: beijing(11, 27, 11, 10),
        completionNote: '更换吸顶灯镇流器和墙壁开关，通电测试正常。',
        evidenceUrls: ['https://demo.lianxin.example/evidence/ceiling-light.jpg'],
        materialsUsed: [
          { name: '吸顶灯镇流器', quantity: 1 },
          { name: '墙壁开关', quantity: 1 },
        ],
      },
      {
        id: R.quotedRepair,
        requesterId: liuGuifang.id,
        categoryCode: 'home_repair',
        description: '卧室窗户关不严，冬天漏风，想请师傅修一下窗框和密封条。',
        channel: 'grid_worker',
        filedById: linXiao.id,
        createdAt: beijing(12, 1, 10, 0),
        ...placed(liuGuifang.home),
        status: 'accepted',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: wangJianguo.id,
        acceptedAt: beijing(12, 1, 11, 30),
      },
      {
        id: R.groceries,
        requesterId: deliveryResident,
        categoryCode: 'buying_daily_necessities',
        description: '独居老人，家里米、油和鸡蛋快用完了，请帮忙代买送上门。',
        channel: 'grid_worker',
        filedById: linXiao.id,
        createdAt: beijing(4, 6, 8, 0),
        ...placed(deliveryHousehold.address),
        status: 'rated',
        dispatchedTeamId: DEMO_TEAM.id,
        assigneeId: chenGuilan.id,
        acceptedAt: beijing(4, 6, 8, 20),
        startedAt: beijing(4, 6, 9, 0),
        completedAt: beijing(4, 6, 10, 0),
        completionNote: '代买大米10斤、食用油一桶、鸡蛋两斤，已送到家中。',
        rating: 5,
        ratedById: deliveryResident,
        ratedAt: beijing(4, 6, 18, 0),
      },
      {
        id: R.callButton,
        requesterId: liuGuifang.id,
        categoryCode: 'emergency_call',
        description: '一键呼叫：老人按下呼叫按钮，请立即联系或上门查看。',
        channel: 'device',
        deviceId: liuButton,
        urgency: 'urgent',
        createdAt: beijing(12, 1, 21, 12),
        ...placed(liuGuifang.home),
        status: 'completed',
        dispatchedPersonId: liuCaretaker,
        assigneeId: liuCaretaker,
        acceptedAt: beijing(12, 1, 21, 14),
        startedAt: beijing(12, 1, 21, 25),
        completedAt: beijing(12, 1, 22, 5),
        completionNote: '老人起夜时头晕，上门测量血压正常，陪伴至家属赶到。',
      },
    ];
    await tx
      .insert(serviceRequests)
      .values(requests.map((request) => ({ ...request, updatedAt: request.ratedAt ?? request.completedAt ?? request.startedAt ?? request.acceptedAt ?? request.createdAt })))
      .onConflictDoNothing();

    // Each request's history, as its status says it went.
    const history: NewRequestTransitionRow[] = [];
    let transitionNumber = 0;
    const step = (
      requestId: string,
      from: NewRequestTransitionRow['fromStatus'],
      to: NewRequestTransitionRow['toStatus'],
      actorId: string | null,
      at: Date,
      more: Partial<NewRequestTransitionRow> = {},
    ) => {
      transitionNumber += 1;
      history.push({ id: demoId(19, transitionNumber), requestId, fromStatus: from, toStatus: to, actorKind: actorId ? 'person' : 'system', actorId, at, ...more });
    };
    for (const request of requests) {
      if (request.channel === 'device') {
        step(request.id!, null, 'submitted', null, request.createdAt!, { actorKind: 'device' });
        step(request.id!, 'submitted', 'dispatched', null, request.createdAt!, {
          reason: 'Call button: dispatched to the household’s caseload volunteer or grid worker.',
          personId: request.dispatchedPersonId!,
        });
      } else {
        step(request.id!, null, 'submitted', request.filedById ?? request.requesterId, request.createdAt!);
        const reviewedAt = minutesAfter(request.createdAt!, 10);
        if (request.status === 'cancelled') {
          step(request.id!, 'submitted', 'cancelled', request.requesterId, minutesAfter(request.createdAt!, 60 * 24), { reason: '家里亲戚来帮忙照顾了，暂时不需要。' });
          continue;
        }
        if (request.status === 'submitted' || request.status === undefined) continue;
        step(request.id!, 'submitted', 'approved', linXiao.id, reviewedAt);
        if (request.status === 'approved') continue;
        step(request.id!, 'approved', 'dispatched', linXiao.id, minutesAfter(reviewedAt, 5), { teamId: request.dispatchedTeamId! });
      }
      if (!request.acceptedAt) continue;
      step(request.id!, 'dispatched', 'accepted', request.assigneeId!, request.acceptedAt);
      if (!request.startedAt) continue;
      step(request.id!, 'accepted', 'in_service', request.assigneeId!, request.startedAt);
      if (!request.completedAt) continue;
      step(request.id!, 'in_service', 'completed', request.assigneeId!, request.completedAt);
      if (!request.ratedAt) continue;
      step(request.id!, 'completed', 'rated', request.ratedById!, request.ratedAt);
    }
    await tx.insert(requestTransitions).values(history).onConflictDoNothing();

    // The three price tiers of 乐修匠 repairs, and one quote still waiting for the household's agreement.
    await tx
      .insert(requestQuotes)
      .values([
        { requestId: R.leakingTap, labourFen: 6000, materialsFen: 2500, quotedById: wangJianguo.id, quotedAt: beijing(3, 2, 14, 40) },
        { requestId: R.lowIncomeRepair, labourFen: 5000, materialsFen: 1200, quotedById: liuZhiqiang.id, quotedAt: beijing(11, 29, 13, 30) },
        { requestId: R.ordinaryRepair, labourFen: 8000, materialsFen: 3000, quotedById: wangJianguo.id, quotedAt: beijing(11, 27, 9, 30) },
        { requestId: R.quotedRepair, labourFen: 4000, materialsFen: 1500, quotedById: wangJianguo.id, quotedAt: beijing(12, 1, 15, 0) },
      ])
      .onConflictDoNothing();
    await tx
      .insert(requestSettlements)
      .values([
        // 特困: nothing to pay; the charity fund pays ¥85.
        {
          requestId: R.leakingTap,
          tier: 'special_hardship',
          labourFen: 6000,
          materialsFen: 2500,
          ordinaryLabourPercent: 80,
          residentPaysFen: 0,
          fundPaysFen: 8500,
          householdKnown: true,
          agreedById: linXiao.id,
          agreedAt: beijing(3, 2, 14, 50),
        },
        // 低保: materials only (¥12); the fund pays the labour.
        {
          requestId: R.lowIncomeRepair,
          tier: 'low_income',
          labourFen: 5000,
          materialsFen: 1200,
          ordinaryLabourPercent: 80,
          residentPaysFen: 1200,
          fundPaysFen: 5000,
          householdKnown: true,
          agreedById: heDeshun.id,
          agreedAt: beijing(11, 29, 13, 45),
        },
        // 普通: 80% of the labour and the materials: ¥64 + ¥30.
        {
          requestId: R.ordinaryRepair,
          tier: 'ordinary',
          labourFen: 8000,
          materialsFen: 3000,
          ordinaryLabourPercent: 80,
          residentPaysFen: 9400,
          fundPaysFen: 0,
          householdKnown: true,
          agreedById: zhengXiaohong.id,
          agreedAt: beijing(11, 27, 9, 45),
        },
      ])
      .onConflictDoNothing();
    await tx
      .insert(fundCharges)
      .values({ id: demoId(18, 11), requestId: R.leakingTap, amountFen: 8500, ...placed(liuGuifang.home), createdAt: beijing(3, 2, 16, 30) })
      .onConflictDoNothing();

    // A Lezhi-style activity day: cleaning small ads on 学雷锋日.
    const cleanup = demoId(13, 1);
    const cleanupStart = beijing(3, 5, 9, 0);
    const cleanupEnd = beijing(3, 5, 11, 30);
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

    // Service records: the completed requests, and the activity hours 林晓 approved.
    const records: NewServiceRecordRow[] = [
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
    // One at a time, in order: the correction trigger looks up each record's original.
    for (const record of records) await tx.insert(serviceRecords).values(record).onConflictDoNothing();

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

    // The call button press of 1 December (acknowledged), and an inactivity alert still open.
    await tx
      .insert(alerts)
      .values([
        {
          id: demoId(16, 11),
          kind: 'call_button',
          deviceId: liuButton,
          householdId: householdOf(liuGuifang.id).id,
          residentId: liuGuifang.id,
          notifyPersonId: liuCaretaker,
          ...placed(liuGuifang.home),
          raisedAt: beijing(12, 1, 21, 12),
          requestId: R.callButton,
          acknowledgedAt: beijing(12, 1, 21, 14),
          acknowledgedById: liuCaretaker,
          acknowledgementNote: '已电话联系老人，马上上门。',
        },
        {
          id: demoId(16, 12),
          kind: 'inactivity',
          deviceId: deliverySensor,
          householdId: deliveryHousehold.id,
          residentId: deliveryResident,
          notifyPersonId: deliveryCaretaker,
          ...placed(deliveryHousehold.address),
          raisedAt: beijing(12, 2, 18, 10),
        },
      ])
      .onConflictDoNothing();

    // A Xingle micro-wish fulfilled by the love alliance's supermarket, and one waiting for a volunteer.
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

    // Caseloads: each special-needs household with its caretaker (包干), and a visit or two.
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
  });
}
