/** The requests part of the demo data set (see @lianxin/shared demo cast). Idempotent. */
import { DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoId, type Database } from '@lianxin/shared';
import { serviceRequests, type NewServiceRequestRow } from './schema.js';

/** A time in 2022 as Beijing wall-clock time, which is how the community would tell it. */
const beijing = (month: number, day: number, hour: number, minute = 0): Date => new Date(Date.UTC(2022, month - 1, day, hour - 8, minute));

const [liuGuifang, heDeshun, zhengXiaohong] = DEMO_RESIDENTS;
const [wangJianguo] = DEMO_VOLUNTEERS;
const [linXiao] = DEMO_STAFF;

export async function seedRequestsDemo(db: Database): Promise<void> {
  if (!liuGuifang || !heDeshun || !zhengXiaohong || !wangJianguo || !linXiao) throw new Error('the demo cast is incomplete');
  const rows: NewServiceRequestRow[] = [
    {
      id: demoId(10, 1),
      requesterId: liuGuifang.id,
      categoryCode: 'home_repair',
      description: '厨房水龙头漏水，拧紧了还是滴个不停，地上总是湿的，想请师傅上门修一下。',
      channel: 'phone',
      createdAt: beijing(3, 2, 9, 20),
    },
    {
      id: demoId(10, 2),
      requesterId: heDeshun.id,
      categoryCode: 'urgent_medicine',
      description: '降压药快吃完了，腿脚不方便下楼，请帮忙去药店买两盒硝苯地平缓释片送到家。',
      channel: 'mini_program',
      createdAt: beijing(3, 5, 15, 40),
    },
    {
      // Collected by the community's staff on a home visit: 刘桂芳 lives alone and does not use the app.
      id: demoId(10, 3),
      requesterId: liuGuifang.id,
      categoryCode: 'haircut',
      description: '老人独居，行动不便，头发很久没理了，希望有志愿者上门理发。',
      channel: 'grid_worker',
      filedById: linXiao.id,
      createdAt: beijing(4, 12, 10, 5),
    },
    {
      id: demoId(10, 4),
      requesterId: zhengXiaohong.id,
      categoryCode: 'tutoring',
      description: '孩子上初二，数学有些跟不上，希望有志愿者每周末辅导一次。',
      channel: 'app',
      createdAt: beijing(5, 8, 20, 15),
    },
    {
      id: demoId(10, 5),
      requesterId: wangJianguo.id,
      categoryCode: 'hospital_escort',
      description: '老伴腰伤刚出院，下周二要去医院复查，想请志愿者帮忙陪同挂号取药。',
      channel: 'app',
      createdAt: beijing(6, 14, 8, 30),
    },
    {
      id: demoId(10, 6),
      requesterId: wangJianguo.id,
      categoryCode: 'companionship',
      description: '母亲独自住在西院，我白天常在外维修，希望有志愿者每周上门陪她聊聊天。',
      channel: 'app',
      createdAt: beijing(9, 3, 19, 0),
    },
    {
      id: demoId(10, 7),
      requesterId: wangJianguo.id,
      categoryCode: 'cleaning',
      description: '东院1号楼楼道里堆了不少旧家具和纸箱，请帮忙清理一下，以免堵住消防通道。',
      channel: 'mini_program',
      createdAt: beijing(11, 20, 14, 45),
    },
  ];
  await db.insert(serviceRequests).values(rows).onConflictDoNothing();
}
