/** Tiered prices: the rules of two communities, the 乐修匠 repairs quoted and agreed at each tier, and what the charity fund owes. */
import type { Transaction } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { inArray } from 'drizzle-orm';
import { fundChargeCreated, requestQuoted } from '../../events/publish.js';
import { fundCharges, priceRules, requestQuotes, requestSettlements, serviceRequests } from '../schema.js';
import { R, beijing, heDeshun, linXiao, liuGuifang, liuZhiqiang, placed, region, wangJianguo, zhengXiaohong } from './cast.js';

/** What ordinary households pay of the labour in Xingle and Ziming; other communities follow the default rule. */
export async function seedPriceRules(tx: Transaction): Promise<void> {
  await tx
    .insert(priceRules)
    .values([
      { id: demoId(18, 1), regionId: region('xingle'), ordinaryLabourPercent: 80, setById: linXiao.id, setAt: beijing(1, 5, 9) },
      { id: demoId(18, 2), regionId: region('ziming'), ordinaryLabourPercent: 70, setById: linXiao.id, setAt: beijing(1, 5, 9) },
    ])
    .onConflictDoNothing();
}

export async function seedPrices(tx: Transaction): Promise<void> {
  // The three price tiers of 乐修匠 repairs, and one quote still waiting for the household's agreement.
  const quotes = await tx
    .insert(requestQuotes)
    .values([
      { requestId: R.leakingTap, labourFen: 6000, materialsFen: 2500, quotedById: wangJianguo.id, quotedAt: beijing(3, 2, 14, 40) },
      { requestId: R.lowIncomeRepair, labourFen: 5000, materialsFen: 1200, quotedById: liuZhiqiang.id, quotedAt: beijing(11, 29, 13, 30) },
      { requestId: R.ordinaryRepair, labourFen: 8000, materialsFen: 3000, quotedById: wangJianguo.id, quotedAt: beijing(11, 27, 9, 30) },
      { requestId: R.quotedRepair, labourFen: 4000, materialsFen: 1500, quotedById: wangJianguo.id, quotedAt: beijing(12, 1, 15, 0) },
    ])
    .onConflictDoNothing()
    .returning();
  // Each new quote is announced as serviceRequestQuote announces one: the household is asked to agree.
  const quoted = await tx
    .select()
    .from(serviceRequests)
    .where(
      inArray(
        serviceRequests.id,
        quotes.map((quote) => quote.requestId),
      ),
    );
  for (const quote of quotes)
    await requestQuoted(
      tx,
      quoted.find((request) => request.id === quote.requestId)!,
      quote,
    );
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
  // Announced as completing the request announces it: points pays it from the charity fund.
  const charges = await tx
    .insert(fundCharges)
    .values({ id: demoId(18, 11), requestId: R.leakingTap, amountFen: 8500, ...placed(liuGuifang.home), createdAt: beijing(3, 2, 16, 30) })
    .onConflictDoNothing()
    .returning();
  for (const charge of charges) await fundChargeCreated(tx, charge);
}
