/** Service requests: 点单 → 派单 → 接单 → 评单. */
import { sql } from 'drizzle-orm';
import { check, date, index, jsonb, smallint, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { devices } from './alerts.js';
import { serviceOffers } from './menu.js';

export const requestChannel = requests.enum('request_channel', [
  'app',
  'mini_program',
  'phone',
  'walk_in',
  'grid_worker',
  'device',
  'building_captain',
  'wechat_group',
  'qq_group',
  'courtyard_meeting',
  'home_visit',
]);
export type RequestChannel = (typeof requestChannel.enumValues)[number];

export const requestStatus = requests.enum('request_status', ['submitted', 'approved', 'rejected', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'cancelled']);

export const requestUrgency = requests.enum('request_urgency', ['normal', 'urgent']);

/** Who made a change: a person, a registered device, or the service itself (an urgent call's dispatch). */
export const actorKind = requests.enum('actor_kind', ['person', 'device', 'system']);

/** One thing a volunteer used, as recorded at completion. */
export interface MaterialUsed {
  name: string;
  quantity: number;
}

export const serviceRequests = requests.table(
  'service_requests',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    // A people Person; that table lives in another subgraph's schema, so no foreign key.
    requesterId: uuid('requester_id').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    description: text('description').notNull(),
    channel: requestChannel('channel').notNull(),
    status: requestStatus('status').notNull().default('submitted'),
    filedById: uuid('filed_by'),
    // Millisecond precision, so a page cursor (a JavaScript Date) names the row's time exactly.
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Where the help is needed (a building, compound or community); null until someone places it. */
    regionId: uuid('region_id'),
    regionPath: regionPath(),
    urgency: requestUrgency('urgency').notNull().default('normal'),
    wishedAt: instant('wished_at'),
    /** The call button that filed the request (channel `device`). */
    deviceId: uuid('device_id').references((): AnyPgColumn => devices.id),
    dispatchedTeamId: uuid('dispatched_team_id'),
    dispatchedPersonId: uuid('dispatched_person_id'),
    assigneeId: uuid('assignee_id'),
    acceptedAt: instant('accepted_at'),
    startedAt: instant('started_at'),
    completedAt: instant('completed_at'),
    completionNote: text('completion_note'),
    evidenceUrls: text('evidence_urls')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    materialsUsed: jsonb('materials_used')
      .$type<MaterialUsed[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedById: uuid('rated_by'),
    ratedAt: instant('rated_at'),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    /** The menu offer it was ordered from; approval then dispatches it to the offer's team. */
    offerId: uuid('offer_id').references((): AnyPgColumn => serviceOffers.id),
    /** Monday (Beijing) of the week the order counts against the offer's capacity; set by the database. */
    offerWeek: date('offer_week', { mode: 'string' }),
  },
  (table) => [
    index('service_requests_offer_week_idx')
      .on(table.offerId, table.offerWeek)
      .where(sql`${table.offerId} is not null`),
    index('service_requests_requester_created_idx').on(table.requesterId, table.createdAt, table.id),
    index('service_requests_region_path_idx').using('gin', table.regionPath),
    index('service_requests_created_idx').on(table.createdAt, table.id),
    index('service_requests_team_created_idx').on(table.dispatchedTeamId, table.createdAt, table.id),
    index('service_requests_filed_by_idx').on(table.filedById, table.createdAt, table.id),
    index('service_requests_assignee_idx').on(table.assigneeId, table.createdAt, table.id),
    // A volunteer's open tasks (Person.openTasks): a small part of each table, read oldest first per person.
    index('service_requests_open_dispatched_person_idx')
      .on(table.dispatchedPersonId, table.createdAt, table.id)
      .where(sql`${table.status} = 'dispatched'`),
    index('service_requests_open_assignee_idx')
      .on(table.assigneeId, table.createdAt, table.id)
      .where(sql`${table.status} in ('accepted', 'in_service')`),
    // A staff member's queue (serviceRequests of the open statuses in a region): the requests still on their way
    // are a small part of the table, so finding them by place reads those alone, however many are closed there.
    // Queries state the predicate literally (store.ts, OPEN_STATUSES) so that prepared, generic plans can use it.
    index('service_requests_open_region_path_idx')
      .using('gin', table.regionPath)
      .where(sql`${table.status} in ('submitted', 'approved', 'dispatched', 'accepted', 'in_service')`),
    check('service_requests_description_length', sql`char_length(trim(${table.description})) between 1 and 2000`),
    // Filing for yourself is not filing on someone's behalf.
    check('service_requests_filed_by_other', sql`${table.filedById} is distinct from ${table.requesterId}`),
    check('service_requests_grid_worker_files', sql`${table.channel} <> 'grid_worker' or ${table.filedById} is not null`),
    // Compared as text: the label is added by the same migration, and a new enum label cannot be used before it commits.
    check('service_requests_captain_files', sql`${table.channel}::text <> 'building_captain' or ${table.filedById} is not null`),
    check('service_requests_device_files', sql`(${table.channel} = 'device') = (${table.deviceId} is not null)`),
    check('service_requests_placed_path', sql`(${table.regionId} is null) = (cardinality(${table.regionPath}) = 0)`),
    check('service_requests_one_dispatch_target', sql`${table.dispatchedTeamId} is null or ${table.dispatchedPersonId} is null`),
    check('service_requests_dispatched_has_target', sql`${table.status} <> 'dispatched' or ${table.dispatchedTeamId} is not null or ${table.dispatchedPersonId} is not null`),
    check(
      'service_requests_accepted_has_assignee',
      sql`${table.status} not in ('accepted', 'in_service', 'completed', 'rated') or (${table.assigneeId} is not null and ${table.acceptedAt} is not null)`,
    ),
    check('service_requests_started', sql`${table.status} not in ('in_service', 'completed', 'rated') or ${table.startedAt} is not null`),
    check('service_requests_completed', sql`${table.status} not in ('completed', 'rated') or ${table.completedAt} is not null`),
    check('service_requests_rated', sql`(${table.status} = 'rated') = (${table.rating} is not null)`),
    check('service_requests_rating_range', sql`${table.rating} between 1 and 5`),
    check(
      'service_requests_times_in_order',
      sql`${table.acceptedAt} >= ${table.createdAt} and ${table.startedAt} >= ${table.acceptedAt} and ${table.completedAt} >= ${table.startedAt}`,
    ),
  ],
);

/** Every status change of a request: who, when, from, to, why. Append-only (a trigger refuses changes). */
export const requestTransitions = requests.table(
  'request_transitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    requestId: uuid('request_id')
      .notNull()
      .references(() => serviceRequests.id),
    /** Null for the filing itself. */
    fromStatus: requestStatus('from_status'),
    toStatus: requestStatus('to_status').notNull(),
    actorKind: actorKind('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    reason: text('reason'),
    /** Where a dispatch sent the request. */
    teamId: uuid('team_id'),
    personId: uuid('person_id'),
    at: instant('at').notNull().defaultNow(),
  },
  (table) => [
    index('request_transitions_request_idx').on(table.requestId, table.at, table.id),
    check('request_transitions_person_named', sql`${table.actorKind} <> 'person' or ${table.actorId} is not null`),
  ],
);

export type ServiceRequestRow = typeof serviceRequests.$inferSelect;
export type NewServiceRequestRow = typeof serviceRequests.$inferInsert;
export type RequestStatus = (typeof requestStatus.enumValues)[number];
export type RequestTransitionRow = typeof requestTransitions.$inferSelect;
export type NewRequestTransitionRow = typeof requestTransitions.$inferInsert;
