/**
 * What recognition's event-fed tests share: the subgraph on a fresh database
 * without demo data, with the producers' outboxes beside it, events appended
 * as their producers append them (the payloads of docs/events.md, with every
 * field), and consumer passes until every published event is applied.
 */
import { sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, rowsOf, type ConsumeReport, type Database, type NewEvent } from '@lianxin/shared';
import { createEventTables, startSubgraphHarness, waitFor, type SubgraphHarness } from '@lianxin/shared/testing';
import type { RecognitionContext } from '../src/context.js';
import { recognitionConsumer, recognitionSubgraph } from '../src/index.js';

/** The producers recognition consumes. */
export const SOURCES = ['requests', 'people', 'points'] as const;
export type Source = (typeof SOURCES)[number];

/** Recognition without demo data (every row the assertions see comes from the test's events), and its producers' outboxes. */
export async function startRecognition(): Promise<SubgraphHarness<RecognitionContext>> {
  const recognition = await startSubgraphHarness(recognitionSubgraph, { demoData: false });
  for (const source of SOURCES) await createEventTables(recognition.database.db, source, { outbox: true });
  return recognition;
}

/** Appends `events` to `source`'s outbox in one transaction, as the producer's change would. */
export async function publish(db: Database, source: Source, events: readonly NewEvent[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const event of events) await appendEvent(tx, source, event);
  });
}

/** Whether recognition's cursor has passed every event in every source's outbox. */
async function caughtUp(db: Database): Promise<boolean> {
  for (const source of SOURCES) {
    const [row] = await rowsOf<{ behind: boolean }>(
      db,
      sql`select exists (
            select 1 from ${sql.identifier(source)}.outbox o
            where not exists (
              select 1 from recognition.inbox_cursors c
              where c.source = ${source} and (c.transaction_id, c.position) >= (o.transaction_id, o.position)
            )
          ) as behind`,
    );
    if (row?.behind) return false;
  }
  return true;
}

/**
 * Runs consumer passes until every published event has been received and a
 * pass finds nothing left to do; returns the totals. "Every event received"
 * is checked, not assumed from an empty pass: the outbox is read only up to the
 * oldest transaction still running in the whole cluster, which another test
 * database's transaction on the same Postgres can hold back for a while.
 */
export async function consumeAll(db: Database): Promise<ConsumeReport> {
  const total: ConsumeReport = { received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
  await waitFor('recognition to consume every published event', async () => {
    const pass = await consumeOnce({ db, consumer: recognitionConsumer, transport: databaseTransport() });
    for (const key of Object.keys(total) as (keyof ConsumeReport)[]) total[key] += pass[key];
    return Object.values(pass).every((n) => n === 0) && (await caughtUp(db));
  });
  return total;
}

// Events on one region tree, for the read model by period and the badge rules
// ---------------------------------------------------------------------------

// A region tree: district → street → two communities.
export const DISTRICT = newId();
export const STREET = newId();
export const EAST = newId();
export const WEST = newId();
export const PATHS: Record<string, string[]> = { [EAST]: [DISTRICT, STREET, EAST], [WEST]: [DISTRICT, STREET, WEST], [STREET]: [DISTRICT, STREET] };
/** The path from the root down to a region of the tree above. */
export const pathOf = (region: string): string[] => PATHS[region] ?? [region];

export function serviceCreated(
  volunteerId: string,
  minutes: number,
  servedAt: string,
  place: { region: string; category?: string; teamId?: string | null; activityId?: string | null; recordId?: string },
): NewEvent {
  const recordId = place.recordId ?? newId();
  const activityId = place.activityId ?? null;
  return {
    type: 'service_record.created',
    aggregateType: 'service_record',
    aggregateId: recordId,
    payload: {
      serviceRecordId: recordId,
      volunteerId,
      categoryCode: place.category ?? 'repair',
      minutes,
      servedAt,
      requestId: activityId === null ? newId() : null,
      activityId,
      teamId: place.teamId ?? null,
      correctsId: null,
      regionId: place.region,
      regionPath: pathOf(place.region),
      createdAt: servedAt,
    },
  };
}

export function serviceReversed(volunteerId: string, originalId: string, originalMinutes: number, region: string, createdAt: string): NewEvent {
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: {
      serviceRecordId: newId(),
      reversesId: originalId,
      volunteerId,
      categoryCode: 'repair',
      minutes: -originalMinutes,
      regionId: region,
      regionPath: pathOf(region),
      createdAt,
    },
  };
}

export function requestRated(assigneeId: string | null, score: number, ratedAt: string, region: string, teamId: string | null = null): NewEvent {
  const requestId = newId();
  return {
    type: 'service_request.rated',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: {
      requestId,
      assigneeId,
      teamId,
      requesterId: newId(),
      ratedById: newId(),
      score,
      categoryCode: 'repair',
      regionId: region,
      regionPath: pathOf(region),
      ratedAt,
    },
  };
}

// Events of the bank, for the offices' year cells, leaderboards and reviews
// -------------------------------------------------------------------------

/** `region.created` as people announces it: its path from the root, itself last. */
export function regionCreated(regionId: string, kind: string, path: string[]): NewEvent {
  return { type: 'region.created', aggregateType: 'region', aggregateId: regionId, payload: { regionId, parentId: path.at(-2) ?? null, kind, path } };
}

/** The region tree most tests share, as people announces it: DISTRICT, its STREET, and the street's communities EAST and WEST. */
export const regionTree = (): NewEvent[] => [
  regionCreated(DISTRICT, 'district', [DISTRICT]),
  regionCreated(STREET, 'street', [DISTRICT, STREET]),
  regionCreated(EAST, 'community', [DISTRICT, STREET, EAST]),
  regionCreated(WEST, 'community', [DISTRICT, STREET, WEST]),
];

export function bankUnitOpened(unitId: string, bankId: string, regionId: string, kind = 'savings_office'): NewEvent {
  return {
    type: 'bank_unit.opened',
    aggregateType: 'bank_unit',
    aggregateId: unitId,
    payload: { unitId, kind, bankId, parentId: kind === 'head_bank' ? null : newId(), regionId, openedAt: '2023-01-01T00:00:00.000Z' },
  };
}

export function accountOpened(holderId: string, officeId: string, bankId: string, openedAt: string): NewEvent {
  const accountId = newId();
  return { type: 'account.opened', aggregateType: 'account', aggregateId: accountId, payload: { accountId, holderId, officeId, bankId, openedAt } };
}

export function depositMade(
  holderId: string,
  office: { officeId: string; bankId: string },
  points: number,
  madeAt: string,
  service: { region: string; teamId?: string | null; depositId?: string; accountId?: string },
): NewEvent {
  const depositId = service.depositId ?? newId();
  const accountId = service.accountId ?? newId();
  return {
    type: 'deposit.made',
    aggregateType: 'account',
    aggregateId: accountId,
    payload: {
      depositId,
      accountId,
      holderId,
      ...office,
      serviceRecordId: newId(),
      points,
      categoryCode: 'repair',
      regionId: service.region,
      regionPath: pathOf(service.region),
      teamId: service.teamId ?? null,
      madeAt,
    },
  };
}

export function depositReversed(
  holderId: string,
  office: { officeId: string; bankId: string },
  points: number,
  depositId: string,
  accountId: string,
  reversedAt: string,
): NewEvent {
  return {
    type: 'deposit.reversed',
    aggregateType: 'account',
    aggregateId: accountId,
    payload: { depositId, accountId, holderId, ...office, serviceRecordId: newId(), points, reversalId: newId(), reversedAt },
  };
}

export function redemptionMade(holderId: string, office: { officeId: string; bankId: string }, points: number, madeAt: string): NewEvent {
  const redemptionId = newId();
  return {
    type: 'redemption.made',
    aggregateType: 'redemption',
    aggregateId: redemptionId,
    payload: { redemptionId, accountId: newId(), holderId, ...office, merchantId: newId(), points, items: 1, madeAt },
  };
}

export function merchantJoined(bankId: string, officeId: string | null, joinedAt: string): NewEvent {
  const merchantId = newId();
  return { type: 'merchant.joined', aggregateType: 'merchant', aggregateId: merchantId, payload: { merchantId, bankId, officeId, regionId: null, joinedAt } };
}
