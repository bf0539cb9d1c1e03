/**
 * The books' self-check: every invariant the ledgers promise, recomputed from
 * the append-only rows and compared with the balances kept on account and
 * fund rows (and the granaries' stock on goods rows). An empty list means the books balance. Tests run it after every
 * test; an operator can run it any time (it only reads).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '@lianxin/shared';

interface Finding {
  problem: string;
}

/** Each query names what it checks and returns one row per violation. */
const CHECKS: { name: string; query: ReturnType<typeof sql> }[] = [
  {
    name: 'debits equal credits',
    query: sql`select 'debits ' || d.total || ' <> credits ' || c.total as problem
      from (select coalesce(sum(t.amount), 0) as total from points.transfers t join points.accounts a on a.id = t.debit_account_id) d,
           (select coalesce(sum(t.amount), 0) as total from points.transfers t join points.accounts a on a.id = t.credit_account_id) c
      where d.total <> c.total`,
  },
  {
    name: 'balances sum to zero',
    query: sql`select 'all balances sum to ' || sum(balance) as problem from points.accounts having sum(balance) <> 0`,
  },
  {
    name: 'each balance is its credits less its debits',
    query: sql`select 'account ' || a.id || ' holds ' || a.balance || ' but its transfers make ' || coalesce(m.net, 0) as problem
      from points.accounts a
      left join (
        select account_id, sum(delta) as net from (
          select credit_account_id as account_id, amount as delta from points.transfers
          union all select debit_account_id, -amount from points.transfers
        ) as sides group by account_id
      ) m on m.account_id = a.id
      where a.balance <> coalesce(m.net, 0)`,
  },
  {
    name: 'only the issuance account is below zero',
    query: sql`select 'account ' || id || ' (' || kind || ') is at ' || balance as problem from points.accounts where balance < 0 and kind <> 'issuance'`,
  },
  {
    name: 'passbook lines are numbered 1..n and carry running balances',
    query: sql`select 'account ' || account_id || ' line ' || line || ' says ' || balance_after || ', running total ' || running as problem
      from (
        select account_id, line, balance_after,
          sum(delta) over (partition by account_id order by line) as running,
          row_number() over (partition by account_id order by line) as position
        from (
          select debit_account_id as account_id, debit_line as line, -amount as delta, debit_balance_after as balance_after from points.transfers
          union all select credit_account_id, credit_line, amount, credit_balance_after from points.transfers
        ) as sides
      ) as lines
      where balance_after <> running or line <> position`,
  },
  {
    name: 'accounts count their lines',
    query: sql`select 'account ' || a.id || ' counts ' || a.lines || ' lines, has ' || coalesce(n.lines, 0) as problem
      from points.accounts a
      left join (
        select account_id, count(*) as lines from (
          select debit_account_id as account_id from points.transfers union all select credit_account_id from points.transfers
        ) as sides group by account_id
      ) n on n.account_id = a.id
      where a.lines <> coalesce(n.lines, 0)`,
  },
  {
    name: 'held points are the open holds',
    query: sql`select 'account ' || a.id || ' holds ' || a.held || ' but its open holds total ' || coalesce(h.total, 0) as problem
      from points.accounts a
      left join (select account_id, sum(total_points) as total from points.redemptions where status = 'held' group by account_id) h on h.account_id = a.id
      where a.held <> coalesce(h.total, 0)`,
  },
  {
    name: 'a redemption totals its lines',
    query: sql`select 'redemption ' || r.id || ' totals ' || r.total_points || ' points and ' || r.item_count || ' items, its lines ' || l.points || ' and ' || l.items as problem
      from points.redemptions r
      join (select redemption_id, sum(quantity * unit_points) as points, sum(quantity) as items from points.redemption_lines group by redemption_id) l on l.redemption_id = r.id
      where r.total_points <> l.points or r.item_count <> l.items`,
  },
  {
    name: 'a captured redemption was paid by its customer to its merchant',
    query: sql`select 'redemption ' || r.id || ' is not matched by its transfer' as problem
      from points.redemptions r
      left join points.transfers t on t.id = r.transfer_id
      left join points.accounts m on m.id = t.credit_account_id
      where r.status = 'captured' and (t.id is null or t.amount <> r.total_points or t.debit_account_id <> r.account_id or m.merchant_id <> r.merchant_id or t.cause <> 'redemption')`,
  },
  {
    name: 'a refund totals its lines and was paid back by its merchant to its customer',
    query: sql`select 'refund ' || f.id || ' is not matched by its lines or its transfer' as problem
      from points.refunds f
      left join (select refund_id, sum(quantity * unit_points) as points, sum(quantity) as items from points.refund_lines group by refund_id) l on l.refund_id = f.id
      left join points.transfers t on t.id = f.transfer_id
      left join points.accounts m on m.id = t.debit_account_id
      where l.points is distinct from f.points or l.items is distinct from f.item_count or t.id is null or t.amount <> f.points
        or t.credit_account_id <> f.account_id or m.merchant_id is distinct from f.merchant_id or t.cause::text <> 'refund' or t.reference is distinct from f.id::text`,
  },
  {
    name: 'no redemption line is refunded beyond what it took',
    query: sql`select 'redemption ' || rl.redemption_id || ' item ' || rl.item_id || ' took ' || rl.quantity || ', refunded ' || x.refunded as problem
      from points.redemption_lines rl
      join (select f.redemption_id, l.item_id, sum(l.quantity) as refunded from points.refund_lines l join points.refunds f on f.id = l.refund_id group by 1, 2) x
        on x.redemption_id = rl.redemption_id and x.item_id = rl.item_id
      where x.refunded > rl.quantity`,
  },
  {
    name: 'an approved adjustment is paid by its one transfer from issuance',
    query: sql`select 'adjustment ' || a.id || ' is not matched by its transfer' as problem
      from points.adjustments a
      left join points.transfers t on t.id = a.transfer_id
      left join points.accounts d on d.id = t.debit_account_id
      where a.status = 'approved' and (t.id is null or t.amount <> a.amount or t.credit_account_id <> a.account_id or d.kind <> 'issuance'
        or t.cause <> 'adjustment' or t.reference is distinct from a.id::text)`,
  },
  {
    name: 'points move as an adjustment only for an approved one',
    query: sql`select 'transfer ' || t.id || ' is an adjustment no approved adjustment names' as problem
      from points.transfers t
      where t.cause = 'adjustment' and not exists (select 1 from points.adjustments a where a.transfer_id = t.id and a.status = 'approved')`,
  },
  {
    name: 'a debt is what its reversal did not take back',
    query: sql`select 'debt ' || d.id || ' of ' || d.amount || ' and reversal of ' || coalesce(r.amount, 0) || ' do not make transfer ' || o.id || ' of ' || o.amount as problem
      from points.debts d
      join points.transfers o on o.id = d.reversed_transfer_id
      left join points.transfers r on r.reverses_id = o.id
      where d.amount + coalesce(r.amount, 0) <> o.amount or d.account_id <> o.credit_account_id`,
  },
  {
    name: 'a debt has repaid the sum of its repayments, and owes the rest',
    query: sql`select 'debt ' || d.id || ' has repaid ' || d.repaid || ' of ' || d.amount || ', its repayments total ' || coalesce(p.total, 0) as problem
      from points.debts d
      left join (select debt_id, sum(amount) as total from points.debt_repayments group by debt_id) p on p.debt_id = d.id
      where d.repaid <> coalesce(p.total, 0) or d.repaid > d.amount or (d.settled_at is null) <> (d.repaid < d.amount)`,
  },
  {
    name: 'points move as a debt repayment only for a repayment of that debt from a deposit',
    query: sql`select 'transfer ' || t.id || ' is a debt repayment no repayment matches' as problem
      from points.transfers t
      left join points.debt_repayments p on p.transfer_id = t.id
      left join points.debts d on d.id = p.debt_id
      left join points.deposits x on x.id = p.deposit_id
      left join points.accounts i on i.id = t.credit_account_id
      where t.cause = 'debt_repayment' and (p.id is null or p.amount <> t.amount or d.account_id <> t.debit_account_id or t.reference is distinct from d.id::text
        or x.account_id <> d.account_id or i.kind <> 'issuance')`,
  },
  {
    name: 'a deposit repays no more than its own points',
    query: sql`select 'deposit ' || x.id || ' of ' || x.amount || ' repaid ' || sum(p.amount) as problem
      from points.debt_repayments p join points.deposits x on x.id = p.deposit_id
      group by x.id, x.amount having sum(p.amount) > x.amount`,
  },
  {
    name: 'sandbox points stay among sandbox accounts and come from the sandbox issuance account',
    query: sql`select 'transfer ' || t.id || case when d.sandbox <> c.sandbox then ' joins a sandbox account to a real one' else ' issues sandbox points from ' || d.kind end as problem
      from points.transfers t
      join points.accounts d on d.id = t.debit_account_id
      join points.accounts c on c.id = t.credit_account_id
      where d.sandbox <> c.sandbox or (t.cause = 'sandbox' and not (d.kind = 'issuance' and d.sandbox))`,
  },
  {
    name: 'a donation is paid by its one transfer from the donor',
    query: sql`select 'donation ' || d.id || ' is not matched by its transfer' as problem
      from points.donations d
      left join points.transfers t on t.id = d.transfer_id
      left join points.accounts c on c.id = t.credit_account_id
      where t.id is null or t.cause <> 'donation' or t.amount <> d.amount or t.debit_account_id <> d.donor_account_id
        or t.reference is distinct from d.id::text
        or (d.recipient_account_id is not null and t.credit_account_id <> d.recipient_account_id)
        or (d.fund_id is not null and c.kind <> 'issuance')`,
  },
  {
    name: 'points move as a donation only for a donation',
    query: sql`select 'transfer ' || t.id || ' is a donation no donation names' as problem
      from points.transfers t
      where t.cause = 'donation' and not exists (select 1 from points.donations d where d.transfer_id = t.id)`,
  },
  {
    name: 'each fund holds its contributions less its disbursements, line by line',
    query: sql`select 'fund ' || f.id || ' holds ' || f.balance || ' in ' || f.entries || ' entries; its statement makes ' || coalesce(s.net, 0) || ' in ' || coalesce(s.n, 0) as problem
      from points.funds f
      left join (
        select fund_id, sum(case when kind = 'contribution' then amount else -amount end) as net, count(*) as n from points.fund_entries group by fund_id
      ) s on s.fund_id = f.id
      where f.balance <> coalesce(s.net, 0) or f.entries <> coalesce(s.n, 0)
      union all
      select 'fund ' || fund_id || ' line ' || line || ' says ' || balance_after || ', running total ' || running
      from (
        select fund_id, line, balance_after,
          sum(case when kind = 'contribution' then amount else -amount end) over (partition by fund_id order by line) as running
        from points.fund_entries
      ) as lines
      where balance_after <> running`,
  },
  {
    name: "each granary's goods hold their movements' sum, line by line, never below zero",
    query: sql`select 'goods ' || g.id || ' hold ' || g.stock || ' in ' || g.lines || ' lines; their movements make ' || coalesce(m.net, 0) || ' in ' || coalesce(m.n, 0) as problem
      from points.granary_goods g
      left join (select goods_id, sum(quantity) as net, count(*) as n from points.granary_movements group by goods_id) m on m.goods_id = g.id
      where g.stock <> coalesce(m.net, 0) or g.lines <> coalesce(m.n, 0)
      union all
      select 'goods ' || goods_id || ' line ' || line || ' says ' || stock_after || ', running total ' || running
      from (
        select goods_id, line, stock_after, sum(quantity) over (partition by goods_id order by line) as running,
          row_number() over (partition by goods_id order by line) as position
        from points.granary_movements
      ) as lines
      where stock_after <> running or running < 0 or line <> position`,
  },
];

/** Every broken promise of the books, in words; empty when they balance. */
export async function auditLedger(db: Executor): Promise<string[]> {
  const findings: string[] = [];
  for (const check of CHECKS) {
    const rows = await rowsOf<Finding>(db, check.query);
    for (const row of rows) findings.push(`${check.name}: ${row.problem}`);
  }
  return findings;
}
