/**
 * The community charity fund and its first contributions. What it pays out
 * for the demo's requests follows from requests' `fund_charge.created` events.
 */
import type { Transaction } from '@lianxin/shared';
import { demoId, demoTime } from '@lianxin/shared/demo';
import { postFundEntry } from '../../fund/store.js';
import { funds, type ContributionSource } from '../schema.js';
import { DEMO_BANK } from './bank.js';
import { DEMO_ACTOR } from './base.js';

/** The community charity fund (尚善公益基金) and its first contributions: money in fen. */
export const DEMO_FUND = {
  id: demoId(25, 1),
  name: '尚善公益基金',
  entries: [
    { id: demoId(25, 0x101), kind: 'contribution', amount: 500_000, source: 'sponsoring_unit', contributor: '新城区文明办', serviceRequestId: null, memo: '包联单位支持一点' },
    { id: demoId(25, 0x102), kind: 'contribution', amount: 2_000_000, source: 'company', contributor: '永辉超市', serviceRequestId: null, memo: '辖区企业共建一点' },
    { id: demoId(25, 0x103), kind: 'contribution', amount: 86_000, source: 'public', contributor: null, serviceRequestId: null, memo: '社会资助一点' },
    { id: demoId(25, 0x104), kind: 'contribution', amount: 32_000, source: 'residents', contributor: '兴乐社区居民', serviceRequestId: null, memo: '居民自筹一点' },
  ],
} as const satisfies {
  id: string;
  name: string;
  entries: readonly {
    id: string;
    kind: 'contribution' | 'disbursement';
    amount: number;
    source: ContributionSource | null;
    contributor: string | null;
    serviceRequestId: string | null;
    memo: string;
  }[];
};

export async function seedFund(tx: Transaction): Promise<void> {
  const inserted = await tx
    .insert(funds)
    .values({ id: DEMO_FUND.id, name: DEMO_FUND.name, bankId: DEMO_BANK.head.id, createdBy: DEMO_ACTOR })
    .onConflictDoNothing()
    .returning({ id: funds.id });
  if (inserted.length === 0) return;
  const base = demoTime(Date.UTC(2022, 2, 1, 2, 0, 0)).getTime();
  for (const [index, entry] of DEMO_FUND.entries.entries()) {
    await postFundEntry(tx, { ...entry, fundId: DEMO_FUND.id, createdBy: DEMO_ACTOR, createdAt: new Date(base + index * 86_400_000) });
  }
}
