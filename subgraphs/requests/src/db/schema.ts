/**
 * Tables of the requests subgraph, all in the Postgres schema `requests`.
 * Timestamps that page cursors sort by keep milliseconds only, as a
 * JavaScript Date does, so a cursor names its row's time exactly. Rules the
 * database can hold are held there: the tiered price as CHECKs, history and
 * service records append-only by triggers (hand-written in the migrations).
 * Persons, households, regions and teams belong to the people subgraph: they
 * are referenced by id without foreign keys, and the few facts about them
 * that decisions need are kept in the `directory_*` read model.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const requests = pgSchema('requests');

/** A timestamp with milliseconds, as page cursors carry them. */
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/** Places and everything above them: the region itself last, so "inside this subtree" is one GIN-indexed overlap. */
const regionPath = () =>
  uuid('region_path')
    .array()
    .notNull()
    .default(sql`'{}'::uuid[]`);

/** Reference data every install needs: the rows are inserted by the migrations themselves. */
export const categories = requests.table(
  'categories',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    priced: boolean('priced').notNull().default(false),
    position: integer('position').notNull(),
  },
  (table) => [check('categories_code_format', sql`${table.code} ~ '^[a-z][a-z0-9_]*$'`), check('categories_name_not_blank', sql`length(trim(${table.name})) > 0`)],
);

// ---------------------------------------------------------------------------
// Directory: the read model of people facts that decisions here depend on,
// kept by the people subgraph's events (src/directory/events.ts).
// ---------------------------------------------------------------------------

/**
 * Persons the people subgraph has registered (its `person.registered`
 * events): every write that acts for a person, or names one, is refused for
 * a person not here, so nothing is written about ids nobody registered.
 */
export const directoryPersons = requests.table('directory_persons', {
  id: uuid('id').primaryKey(),
  registeredAt: instant('registered_at').notNull(),
});

/** Regions as far as scope is concerned: each with its ancestors, root first. */
export const directoryRegions = requests.table(
  'directory_regions',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id'),
    kind: text('kind').notNull(),
    /** Ancestors from the root down to the parent (the people subgraph's `path`). */
    path: uuid('path')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (table) => [index('directory_regions_path_idx').using('gin', table.path)],
);

/** Teams a request can be dispatched to, with the community each belongs to. */
export const directoryTeams = requests.table('directory_teams', {
  id: uuid('id').primaryKey(),
  communityId: uuid('community_id').notNull(),
});

export const teamRole = requests.enum('team_role', ['captain', 'member']);

/** Current members of each team: who may accept work dispatched to it. */
export const directoryTeamMembers = requests.table(
  'directory_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => directoryTeams.id),
    personId: uuid('person_id').notNull(),
    role: teamRole('role').notNull().default('member'),
  },
  (table) => [primaryKey({ name: 'directory_team_members_pk', columns: [table.teamId, table.personId] }), index('directory_team_members_person_idx').on(table.personId)],
);

/** Current members of each household: who may rate a service done for one of them. */
export const directoryHouseholdMembers = requests.table(
  'directory_household_members',
  {
    householdId: uuid('household_id').notNull(),
    personId: uuid('person_id').notNull(),
  },
  (table) => [
    primaryKey({ name: 'directory_household_members_pk', columns: [table.householdId, table.personId] }),
    // A person belongs to one household at a time, as in the people subgraph.
    uniqueIndex('directory_household_members_person_idx').on(table.personId),
  ],
);

/** Building captains (楼栋长): who may file requests for the residents of their building. */
export const directoryBuildingCaptains = requests.table(
  'directory_building_captains',
  {
    buildingId: uuid('building_id').primaryKey(),
    personId: uuid('person_id').notNull(),
  },
  (table) => [index('directory_building_captains_person_idx').on(table.personId)],
);

// ---------------------------------------------------------------------------
// Service requests: 点单 → 派单 → 接单 → 评单.
// ---------------------------------------------------------------------------

export const requestChannel = requests.enum('request_channel', ['app', 'mini_program', 'phone', 'walk_in', 'grid_worker', 'device', 'building_captain']);

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
  },
  (table) => [
    index('service_requests_requester_created_idx').on(table.requesterId, table.createdAt, table.id),
    index('service_requests_region_path_idx').using('gin', table.regionPath),
    index('service_requests_created_idx').on(table.createdAt, table.id),
    index('service_requests_team_created_idx').on(table.dispatchedTeamId, table.createdAt, table.id),
    index('service_requests_filed_by_idx').on(table.filedById, table.createdAt, table.id),
    index('service_requests_assignee_idx').on(table.assigneeId, table.createdAt, table.id),
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

// ---------------------------------------------------------------------------
// Tiered price.
// ---------------------------------------------------------------------------

/** What an ordinary household pays of the market labour price, per community; the row without a region is the default. */
export const priceRules = requests.table(
  'price_rules',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    regionId: uuid('region_id'),
    ordinaryLabourPercent: integer('ordinary_labour_percent').notNull(),
    setById: uuid('set_by'),
    setAt: instant('set_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('price_rules_region_unique').on(table.regionId),
    uniqueIndex('price_rules_one_default')
      .on(sql`(${table.regionId} is null)`)
      .where(sql`${table.regionId} is null`),
    check('price_rules_percent_range', sql`${table.ordinaryLabourPercent} between 0 and 100`),
  ],
);

/** The market cost of a priced request, as quoted by its volunteer or the station; re-quoting bumps the version. */
export const requestQuotes = requests.table(
  'request_quotes',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => serviceRequests.id),
    labourFen: integer('labour_fen').notNull(),
    materialsFen: integer('materials_fen').notNull(),
    version: integer('version').notNull().default(1),
    quotedById: uuid('quoted_by').notNull(),
    quotedAt: instant('quoted_at').notNull().defaultNow(),
  },
  (table) => [
    check('request_quotes_labour_range', sql`${table.labourFen} between 0 and 10000000`),
    check('request_quotes_materials_range', sql`${table.materialsFen} between 0 and 10000000`),
  ],
);

export const priceTier = requests.enum('price_tier', ['ordinary', 'low_income', 'special_hardship']);

/**
 * The price agreed for a request, fixed once and never changed: the tier
 * (the household's hardship when the quote was agreed), the shares of the
 * resident and the charity fund. The tiered-price rule itself is a CHECK.
 */
export const requestSettlements = requests.table(
  'request_settlements',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => serviceRequests.id),
    tier: priceTier('tier').notNull(),
    labourFen: integer('labour_fen').notNull(),
    materialsFen: integer('materials_fen').notNull(),
    ordinaryLabourPercent: integer('ordinary_labour_percent').notNull(),
    residentPaysFen: integer('resident_pays_fen').notNull(),
    fundPaysFen: integer('fund_pays_fen').notNull(),
    /** Whether the tier came from a household the graph reported; false means none was, and the ordinary price applies. */
    householdKnown: boolean('household_known').notNull(),
    agreedById: uuid('agreed_by').notNull(),
    agreedAt: instant('agreed_at').notNull().defaultNow(),
  },
  (table) => [
    check('request_settlements_amounts', sql`${table.labourFen} between 0 and 10000000 and ${table.materialsFen} between 0 and 10000000`),
    check('request_settlements_percent_range', sql`${table.ordinaryLabourPercent} between 0 and 100`),
    check(
      'request_settlements_tiered_price',
      sql`case ${table.tier}
        when 'ordinary' then ${table.residentPaysFen} = (${table.labourFen} * ${table.ordinaryLabourPercent} + 50) / 100 + ${table.materialsFen} and ${table.fundPaysFen} = 0
        when 'low_income' then ${table.residentPaysFen} = ${table.materialsFen} and ${table.fundPaysFen} = ${table.labourFen}
        when 'special_hardship' then ${table.residentPaysFen} = 0 and ${table.fundPaysFen} = ${table.labourFen} + ${table.materialsFen}
      end`,
    ),
    check('request_settlements_unknown_is_ordinary', sql`${table.householdKnown} or ${table.tier} = 'ordinary'`),
  ],
);

/**
 * What the community charity fund owes for a completed, subsidised service:
 * written with the completion, append-only; its `fund_charge.created` event
 * (src/outbox.ts) carries each row to the points subgraph's fund.
 */
export const fundCharges = requests.table(
  'fund_charges',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    requestId: uuid('request_id')
      .notNull()
      .unique('fund_charges_one_per_request')
      .references(() => serviceRequests.id),
    amountFen: integer('amount_fen').notNull(),
    regionId: uuid('region_id'),
    regionPath: regionPath(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [check('fund_charges_amount_positive', sql`${table.amountFen} > 0`)],
);

// ---------------------------------------------------------------------------
// Micro-wishes (微心愿).
// ---------------------------------------------------------------------------

export const wishStatus = requests.enum('wish_status', ['posted', 'published', 'claimed', 'fulfilled', 'thanked', 'withdrawn']);

export const microWishes = requests.table(
  'micro_wishes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    wisherId: uuid('wisher_id').notNull(),
    postedById: uuid('posted_by').notNull(),
    title: text('title').notNull(),
    story: text('story').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    status: wishStatus('status').notNull().default('posted'),
    /** The volunteer who claimed it, or who claimed it for an organisation. */
    claimantId: uuid('claimant_id'),
    claimantOrganizationId: uuid('claimant_organization_id'),
    claimedAt: instant('claimed_at'),
    fulfilmentNote: text('fulfilment_note'),
    evidenceUrls: text('evidence_urls')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    fulfilledAt: instant('fulfilled_at'),
    thanks: text('thanks'),
    thankedAt: instant('thanked_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('micro_wishes_region_path_idx').using('gin', table.regionPath),
    index('micro_wishes_created_idx').on(table.createdAt, table.id),
    check('micro_wishes_title_length', sql`char_length(trim(${table.title})) between 1 and 100`),
    check('micro_wishes_story_length', sql`char_length(trim(${table.story})) between 1 and 2000`),
    check(
      'micro_wishes_claim_matches_status',
      sql`(${table.status} in ('claimed', 'fulfilled', 'thanked')) = (${table.claimantId} is not null and ${table.claimedAt} is not null)`,
    ),
    check('micro_wishes_organization_needs_claimant', sql`${table.claimantOrganizationId} is null or ${table.claimantId} is not null`),
    check('micro_wishes_fulfilled', sql`${table.status} not in ('fulfilled', 'thanked') or ${table.fulfilledAt} is not null`),
    check('micro_wishes_thanked', sql`(${table.status} = 'thanked') = (${table.thankedAt} is not null)`),
  ],
);

/** Every status change of a wish. Append-only. */
export const wishTransitions = requests.table(
  'wish_transitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    wishId: uuid('wish_id')
      .notNull()
      .references(() => microWishes.id),
    fromStatus: wishStatus('from_status'),
    toStatus: wishStatus('to_status').notNull(),
    actorId: uuid('actor_id').notNull(),
    reason: text('reason'),
    at: instant('at').notNull().defaultNow(),
  },
  (table) => [index('wish_transitions_wish_idx').on(table.wishId, table.at, table.id)],
);

// ---------------------------------------------------------------------------
// Activities (活动).
// ---------------------------------------------------------------------------

export const activities = requests.table(
  'activities',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organiserId: uuid('organiser_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('activities_region_path_idx').using('gin', table.regionPath),
    index('activities_starts_idx').on(table.startsAt, table.id),
    index('activities_open_ends_idx').on(table.endsAt),
    check('activities_title_length', sql`char_length(trim(${table.title})) between 1 and 100`),
    check('activities_time_order', sql`${table.endsAt} > ${table.startsAt}`),
    // One day at most: a longer event is several activities, and hours per record stay within a day.
    check('activities_length', sql`${table.endsAt} - ${table.startsAt} <= interval '24 hours'`),
    check('activities_capacity', sql`${table.capacity} between 1 and 10000`),
  ],
);

export const signupStatus = requests.enum('signup_status', ['confirmed', 'waitlisted', 'cancelled']);

/** Who signed up for an activity, in order; the waitlist moves up when a confirmed place is given back. */
export const activitySignups = requests.table(
  'activity_signups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id),
    personId: uuid('person_id').notNull(),
    status: signupStatus('status').notNull(),
    signedUpAt: instant('signed_up_at').notNull().defaultNow(),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'activity_signups_pk', columns: [table.activityId, table.personId] }),
    index('activity_signups_activity_idx').on(table.activityId, table.status, table.signedUpAt, table.personId),
    index('activity_signups_person_idx').on(table.personId),
  ],
);

/**
 * One volunteer's presence at an activity: checked in and out by signed QR
 * codes; a check-in left open is closed 24 hours after the end and flagged.
 * Minutes are capped at the activity's length.
 */
export const activityAttendances = requests.table(
  'activity_attendances',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id),
    personId: uuid('person_id').notNull(),
    checkedInAt: instant('checked_in_at').notNull(),
    checkedOutAt: instant('checked_out_at'),
    autoClosed: boolean('auto_closed').notNull().default(false),
    minutes: integer('minutes'),
    approvedMinutes: integer('approved_minutes'),
    approvedById: uuid('approved_by'),
    approvedAt: instant('approved_at'),
    serviceRecordId: uuid('service_record_id').references((): AnyPgColumn => serviceRecords.id),
  },
  (table) => [
    primaryKey({ name: 'activity_attendances_pk', columns: [table.activityId, table.personId] }),
    index('activity_attendances_open_idx')
      .on(table.activityId)
      .where(sql`${table.checkedOutAt} is null`),
    check('activity_attendances_out_after_in', sql`${table.checkedOutAt} >= ${table.checkedInAt}`),
    check('activity_attendances_out_has_minutes', sql`(${table.checkedOutAt} is null) = (${table.minutes} is null)`),
    check('activity_attendances_auto_closed_out', sql`not ${table.autoClosed} or ${table.checkedOutAt} is not null`),
    check('activity_attendances_minutes_range', sql`${table.minutes} between 0 and 1440`),
    check(
      'activity_attendances_approval',
      sql`(${table.approvedAt} is null) = (${table.approvedById} is null) and (${table.approvedAt} is null) = (${table.approvedMinutes} is null) and (${table.approvedAt} is null or ${table.checkedOutAt} is not null)`,
    ),
    check('activity_attendances_approved_range', sql`${table.approvedMinutes} between 0 and 1440`),
  ],
);

// ---------------------------------------------------------------------------
// Service records (志愿服务记录): append-only.
// ---------------------------------------------------------------------------

export const recordKind = requests.enum('record_kind', ['service', 'reversal']);

/**
 * The official record of a volunteer's service time. Never updated or
 * deleted (a trigger refuses); a wrong record is reversed once by a record
 * of the opposite minutes, and may be replaced by a `service` record that
 * names it in `corrects_id`.
 */
export const serviceRecords = requests.table(
  'service_records',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: recordKind('kind').notNull().default('service'),
    volunteerId: uuid('volunteer_id').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    /** Positive for service, the original's minutes negated for a reversal. */
    minutes: integer('minutes').notNull(),
    /** When the service began. */
    servedAt: instant('served_at').notNull(),
    requestId: uuid('request_id').references(() => serviceRequests.id),
    activityId: uuid('activity_id').references(() => activities.id),
    regionId: uuid('region_id'),
    regionPath: regionPath(),
    description: text('description').notNull(),
    /** Who vouched for the time: the activity's organiser, or the admin who corrected it; null when a request's own start and completion timed it. */
    verifiedById: uuid('verified_by'),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => serviceRecords.id),
    correctsId: uuid('corrects_id').references((): AnyPgColumn => serviceRecords.id),
    reason: text('reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('service_records_volunteer_idx').on(table.volunteerId, table.servedAt, table.id),
    index('service_records_created_idx').on(table.volunteerId, table.createdAt, table.id),
    uniqueIndex('service_records_reversed_once').on(table.reversesId),
    uniqueIndex('service_records_replaced_once').on(table.correctsId),
    uniqueIndex('service_records_one_per_request')
      .on(table.requestId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.requestId} is not null`),
    uniqueIndex('service_records_one_per_attendance')
      .on(table.activityId, table.volunteerId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.activityId} is not null`),
    check('service_records_one_basis', sql`(${table.requestId} is null) <> (${table.activityId} is null)`),
    check('service_records_minutes_by_kind', sql`case ${table.kind} when 'service' then ${table.minutes} between 1 and 1440 else ${table.minutes} between -1440 and -1 end`),
    check('service_records_reversal_names_original', sql`(${table.kind} = 'reversal') = (${table.reversesId} is not null)`),
    check('service_records_replacement_is_service', sql`${table.correctsId} is null or ${table.kind} = 'service'`),
    check('service_records_correction_has_reason', sql`(${table.reversesId} is null and ${table.correctsId} is null) or length(trim(${table.reason})) > 0`),
    check('service_records_description_length', sql`char_length(trim(${table.description})) between 1 and 500`),
  ],
);

// ---------------------------------------------------------------------------
// Alerts (一键呼叫) and the devices that raise them.
// ---------------------------------------------------------------------------

/**
 * A call button or motion sensor at an elder's home, registered by the
 * community: which household it watches, who lives there, and whom to
 * notify when the household has no caseload volunteer (its grid worker).
 */
export const devices = requests.table(
  'devices',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    householdId: uuid('household_id').notNull(),
    residentId: uuid('resident_id').notNull(),
    notifyPersonId: uuid('notify_person_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    inactivityHours: integer('inactivity_hours').notNull().default(12),
    lastMotionAt: instant('last_motion_at'),
    registeredById: uuid('registered_by').notNull(),
    registeredAt: instant('registered_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('devices_platform_external_unique').on(table.platform, table.externalId),
    index('devices_household_idx').on(table.householdId),
    check('devices_platform_format', sql`${table.platform} ~ '^[a-z0-9][a-z0-9_-]{0,63}$'`),
    check('devices_external_id_length', sql`char_length(${table.externalId}) between 1 and 128`),
    check('devices_inactivity_hours', sql`${table.inactivityHours} between 1 and 168`),
  ],
);

/** Every event a device platform delivered, once: the primary key refuses a replayed event id. */
export const deviceEvents = requests.table(
  'device_events',
  {
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    type: text('type').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'device_events_pk', columns: [table.platform, table.eventId] })],
);

export const alertKind = requests.enum('alert_kind', ['call_button', 'inactivity']);

export const alerts = requests.table(
  'alerts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: alertKind('kind').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    householdId: uuid('household_id').notNull(),
    residentId: uuid('resident_id').notNull(),
    /** Whom it notified: the household's caseload volunteer when it was raised, else the device's notify person. */
    notifyPersonId: uuid('notify_person_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    raisedAt: instant('raised_at').notNull().defaultNow(),
    /** The urgent request a button press opened. */
    requestId: uuid('request_id').references(() => serviceRequests.id),
    acknowledgedAt: instant('acknowledged_at'),
    acknowledgedById: uuid('acknowledged_by'),
    acknowledgementNote: text('acknowledgement_note'),
  },
  (table) => [
    index('alerts_region_path_idx').using('gin', table.regionPath),
    index('alerts_open_idx')
      .on(table.raisedAt, table.id)
      .where(sql`${table.acknowledgedAt} is null`),
    uniqueIndex('alerts_one_open_inactivity')
      .on(table.deviceId)
      .where(sql`${table.kind} = 'inactivity' and ${table.acknowledgedAt} is null`),
    check('alerts_acknowledged_by_someone', sql`(${table.acknowledgedAt} is null) = (${table.acknowledgedById} is null)`),
    check('alerts_acknowledged_after_raised', sql`${table.acknowledgedAt} >= ${table.raisedAt}`),
    check('alerts_button_opens_request', sql`(${table.kind} = 'call_button') = (${table.requestId} is not null)`),
  ],
);

// ---------------------------------------------------------------------------
// Caseloads (包干).
// ---------------------------------------------------------------------------

/** Households assigned to a volunteer; ending an assignment keeps it as history. */
export const caseloadAssignments = requests.table(
  'caseload_assignments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    householdId: uuid('household_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    assignedById: uuid('assigned_by').notNull(),
    assignedAt: instant('assigned_at').notNull().defaultNow(),
    endedAt: instant('ended_at'),
    endedById: uuid('ended_by'),
  },
  (table) => [
    uniqueIndex('caseload_assignments_one_current')
      .on(table.householdId)
      .where(sql`${table.endedAt} is null`),
    index('caseload_assignments_volunteer_idx')
      .on(table.volunteerId, table.assignedAt, table.id)
      .where(sql`${table.endedAt} is null`),
    check('caseload_assignments_ended', sql`(${table.endedAt} is null) = (${table.endedById} is null)`),
    check('caseload_assignments_end_after_start', sql`${table.endedAt} >= ${table.assignedAt}`),
  ],
);

/** A volunteer's visit to a household of their caseload. Append-only. */
export const caseloadVisits = requests.table(
  'caseload_visits',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => caseloadAssignments.id),
    householdId: uuid('household_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    visitedAt: instant('visited_at').notNull(),
    note: text('note').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('caseload_visits_assignment_idx').on(table.assignmentId, table.visitedAt, table.id),
    check('caseload_visits_note_length', sql`char_length(trim(${table.note})) between 1 and 1000`),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
export type ServiceRequestRow = typeof serviceRequests.$inferSelect;
export type NewServiceRequestRow = typeof serviceRequests.$inferInsert;
export type RequestStatus = (typeof requestStatus.enumValues)[number];
export type RequestTransitionRow = typeof requestTransitions.$inferSelect;
export type NewRequestTransitionRow = typeof requestTransitions.$inferInsert;
export type PriceRuleRow = typeof priceRules.$inferSelect;
export type RequestQuoteRow = typeof requestQuotes.$inferSelect;
export type RequestSettlementRow = typeof requestSettlements.$inferSelect;
export type PriceTier = (typeof priceTier.enumValues)[number];
export type FundChargeRow = typeof fundCharges.$inferSelect;
export type MicroWishRow = typeof microWishes.$inferSelect;
export type WishStatus = (typeof wishStatus.enumValues)[number];
export type WishTransitionRow = typeof wishTransitions.$inferSelect;
export type ActivityRow = typeof activities.$inferSelect;
export type ActivitySignupRow = typeof activitySignups.$inferSelect;
export type ActivityAttendanceRow = typeof activityAttendances.$inferSelect;
export type ServiceRecordRow = typeof serviceRecords.$inferSelect;
export type NewServiceRecordRow = typeof serviceRecords.$inferInsert;
export type DeviceRow = typeof devices.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
export type CaseloadAssignmentRow = typeof caseloadAssignments.$inferSelect;
export type CaseloadVisitRow = typeof caseloadVisits.$inferSelect;
export type DirectoryRegionRow = typeof directoryRegions.$inferSelect;
