/** The love-alliance merchants (Yonghui, a happy supermarket and a charity supermarket) and the central exchange, with their catalogues. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS as SHARED_ORGANIZATIONS, demoId } from '@lianxin/shared/demo';
import { passbookNumber } from '../../accounts/passbook.js';
import { eq } from 'drizzle-orm';
import { publishMerchantJoined } from '../../events/publish.js';
import { accounts, bankUnits, catalogItems, merchants } from '../schema.js';
import { DEMO_BANK } from './bank.js';
import { DEMO_ACTOR, DEMO_SERIAL_BASE } from './base.js';

/** An organisation of the shared demo cast, by name (the people subgraph owns it). */
function organization(name: string): string {
  const found = SHARED_ORGANIZATIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the demo cast has no organisation ${name}`);
  return found.id;
}

/** The organisations behind the alliance merchants, from the shared demo cast. */
export const DEMO_ORGANIZATIONS = {
  yonghui: organization('永辉超市新城店'),
  happySupermarket: organization('兴乐幸福超市'),
  charitySupermarket: organization('紫铭爱心超市'),
  /** The property company whose staff wire their front desk's till to the bank: the sandbox merchant's organisation. */
  sandbox: organization('长乐物业服务有限公司'),
  /** The village cooperative Baotai's office recruited, whose products the paired Xingle office lists. */
  baotaiCooperative: organization('宝台村农产品专业合作社'),
} as const;

interface DemoItem {
  id: string;
  name: string;
  description: string | null;
  pricePoints: number;
  stock: number;
}

interface DemoMerchant {
  id: string;
  accountId: string;
  serial: number;
  kind: 'alliance' | 'central_exchange';
  name: string;
  organizationId: string | null;
  /** The savings office that recruited it; null for the central exchange. */
  officeId: string | null;
  alwaysOpen: boolean;
  minimumBalance: number;
  items: DemoItem[];
}

export const DEMO_MERCHANTS = {
  yonghui: {
    id: demoId(23, 1),
    accountId: demoId(21, 0x101),
    serial: DEMO_SERIAL_BASE + 101,
    kind: 'alliance',
    name: '永辉超市新城店',
    organizationId: DEMO_ORGANIZATIONS.yonghui,
    officeId: DEMO_BANK.xingleOffice.id,
    alwaysOpen: true,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 1), name: '东北大米 5kg', description: '五常稻花香', pricePoints: 100, stock: 200 },
      { id: demoId(24, 2), name: '金龙鱼花生油 1.8L', description: null, pricePoints: 80, stock: 150 },
      { id: demoId(24, 3), name: '挂面 1kg', description: null, pricePoints: 20, stock: 300 },
      { id: demoId(24, 4), name: '洗衣液 2kg', description: null, pricePoints: 40, stock: 120 },
    ],
  },
  charitySupermarket: {
    id: demoId(23, 2),
    accountId: demoId(21, 0x102),
    serial: DEMO_SERIAL_BASE + 102,
    kind: 'alliance',
    name: '紫铭爱心超市',
    organizationId: DEMO_ORGANIZATIONS.charitySupermarket,
    officeId: DEMO_BANK.zimingOffice.id,
    alwaysOpen: false,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 11), name: '大米 2.5kg', description: null, pricePoints: 50, stock: 100 },
      { id: demoId(24, 12), name: '菜籽油 1L', description: null, pricePoints: 45, stock: 80 },
      { id: demoId(24, 13), name: '牙膏牙刷套装', description: null, pricePoints: 15, stock: 200 },
      { id: demoId(24, 14), name: '毛巾', description: null, pricePoints: 10, stock: 200 },
      { id: demoId(24, 15), name: '肥皂', description: null, pricePoints: 5, stock: 300 },
    ],
  },
  happySupermarket: {
    id: demoId(23, 3),
    accountId: demoId(21, 0x103),
    serial: DEMO_SERIAL_BASE + 103,
    kind: 'alliance',
    name: '兴乐幸福超市',
    organizationId: DEMO_ORGANIZATIONS.happySupermarket,
    officeId: DEMO_BANK.xingleOffice.id,
    alwaysOpen: false,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 21), name: '鸡蛋 30枚', description: null, pricePoints: 30, stock: 60 },
      { id: demoId(24, 22), name: '食盐 500g', description: null, pricePoints: 5, stock: 150 },
      { id: demoId(24, 23), name: '酱油 500ml', description: null, pricePoints: 10, stock: 100 },
    ],
  },
  baotaiCooperative: {
    id: demoId(27, 6),
    accountId: demoId(27, 7),
    serial: DEMO_SERIAL_BASE + 111,
    kind: 'alliance',
    name: '宝台村农产品专业合作社',
    organizationId: DEMO_ORGANIZATIONS.baotaiCooperative,
    officeId: DEMO_BANK.baotaiOffice.id,
    alwaysOpen: false,
    minimumBalance: 0,
    items: [
      { id: demoId(27, 8), name: '宝台红薯 5kg', description: '宝台村农户种植，城乡结对兴乐社区储蓄所兑换', pricePoints: 40, stock: 100 },
      { id: demoId(27, 9), name: '东峰剪纸', description: '手工剪纸，城乡结对兴乐社区储蓄所兑换', pricePoints: 60, stock: 30 },
    ],
  },
  exchange: {
    id: demoId(23, 10),
    accountId: demoId(21, 0x110),
    serial: DEMO_SERIAL_BASE + 110,
    kind: 'central_exchange',
    name: '新城区公益银行集中兑换点',
    organizationId: null,
    officeId: null,
    alwaysOpen: false,
    minimumBalance: 200,
    items: [
      { id: demoId(24, 31), name: '电饭煲', description: '高积分客户总行集中兑换', pricePoints: 300, stock: 10 },
      { id: demoId(24, 32), name: '床上四件套', description: '高积分客户总行集中兑换', pricePoints: 250, stock: 10 },
    ],
  },
} as const satisfies Record<string, DemoMerchant>;

/**
 * The sandbox merchant (docs/merchants.md, "Sandbox"): it redeems only
 * sandbox accounts' points, which are not real, so an integrator tests a
 * till end to end without touching anyone's passbook. A token for it:
 * `npm run token -- --role merchant --merchant <id>`. Not announced.
 */
export const DEMO_SANDBOX_MERCHANT = {
  id: demoId(23, 20),
  accountId: demoId(21, 0x120),
  serial: DEMO_SERIAL_BASE + 120,
  kind: 'alliance',
  name: '联心沙箱商户',
  organizationId: DEMO_ORGANIZATIONS.sandbox,
  officeId: DEMO_BANK.xingleOffice.id,
  alwaysOpen: true,
  minimumBalance: 0,
  items: [{ id: demoId(24, 41), name: '沙箱测试商品', description: '沙箱积分兑换测试用，不发货', pricePoints: 10, stock: 1_000_000 }],
} as const satisfies DemoMerchant;

export async function seedMerchants(tx: Transaction): Promise<void> {
  const all: (DemoMerchant & { sandbox?: boolean })[] = [{ ...DEMO_SANDBOX_MERCHANT, sandbox: true }, ...(Object.values(DEMO_MERCHANTS) as DemoMerchant[])];
  for (const merchant of all) {
    const sandbox = merchant.sandbox === true;
    const inserted = await tx
      .insert(merchants)
      .values({
        id: merchant.id,
        kind: merchant.kind,
        name: merchant.name,
        organizationId: merchant.organizationId,
        bankId: DEMO_BANK.head.id,
        officeId: merchant.officeId,
        alwaysOpen: merchant.alwaysOpen,
        minimumBalance: merchant.minimumBalance,
        sandbox,
        createdBy: DEMO_ACTOR,
      })
      .onConflictDoNothing()
      .returning();
    const [joined] = inserted;
    if (!joined) continue;
    // Announced as merchantCreate announces it, so recognition counts the offices' recruits; a sandbox merchant never is.
    if (!sandbox) {
      const [office] = merchant.officeId ? await tx.select().from(bankUnits).where(eq(bankUnits.id, merchant.officeId)) : [];
      await publishMerchantJoined(tx, joined, office ?? null);
    }
    await tx.insert(accounts).values({
      id: merchant.accountId,
      kind: merchant.kind === 'central_exchange' ? 'exchange' : 'merchant',
      merchantId: merchant.id,
      passbookNumber: passbookNumber(merchant.serial),
      sandbox,
      openedBy: DEMO_ACTOR,
    });
    await tx.insert(catalogItems).values(merchant.items.map((item) => ({ ...item, merchantId: merchant.id })));
  }
}
