/** The requests of the demo stories, each with the history its status implies. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_TEAM, demoId } from '@lianxin/shared/demo';
import { requestRated, requestStepTaken, type RequestStep } from '../../events/publish.js';
import { requestTransitions, serviceRequests, type NewRequestTransitionRow, type NewServiceRequestRow, type ServiceRequestRow } from '../schema.js';
import {
  R,
  beijing,
  chenGuilan,
  deliveryHousehold,
  deliveryResident,
  heDeshun,
  linXiao,
  liuButton,
  liuCaretaker,
  liuGuifang,
  liuZhiqiang,
  minutesAfter,
  placed,
  wangJianguo,
  zhengXiaohong,
} from './cast.js';

const REQUESTS: NewServiceRequestRow[] = [
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

export async function seedRequests(tx: Transaction): Promise<void> {
  const inserted = await tx
    .insert(serviceRequests)
    .values(REQUESTS.map((request) => ({ ...request, updatedAt: request.ratedAt ?? request.completedAt ?? request.startedAt ?? request.acceptedAt ?? request.createdAt })))
    .onConflictDoNothing()
    .returning();
  const history = historyOf(REQUESTS);
  await tx.insert(requestTransitions).values(history).onConflictDoNothing();
  await announceSteps(tx, inserted, history);
}

/** The event each step of the history announces, as the lifecycle's transitions do (lifecycle.ts). */
const STEP_OF_STATUS: Partial<Record<NewRequestTransitionRow['toStatus'], RequestStep>> = {
  dispatched: 'dispatched',
  accepted: 'accepted',
  in_service: 'started',
  completed: 'completed',
};

/**
 * The events a request newly loaded would have published on its way to its
 * status, in order and at the moment of each step: who it was dispatched to,
 * accepted, started, completed, rated. Consumers (people's inbox,
 * recognition's tallies) then hold what the stories imply. Each step's event
 * carries the request as that step left it: not yet taken at dispatch.
 */
async function announceSteps(tx: Transaction, inserted: readonly ServiceRequestRow[], history: readonly NewRequestTransitionRow[]): Promise<void> {
  for (const request of inserted) {
    for (const transition of history.filter((candidate) => candidate.requestId === request.id)) {
      const at = transition.at!;
      if (transition.toStatus === 'rated') {
        await requestRated(tx, request);
        continue;
      }
      const step = STEP_OF_STATUS[transition.toStatus];
      if (!step) continue;
      await requestStepTaken(step)(tx, { ...request, ...(step === 'dispatched' ? { assigneeId: null } : {}), updatedAt: at });
    }
  }
}

/** Each request's history, as its status says it went. */
function historyOf(requests: NewServiceRequestRow[]): NewRequestTransitionRow[] {
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
  return history;
}
