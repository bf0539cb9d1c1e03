/**
 * Tables of the people subgraph, all in the Postgres schema `people`.
 * Timestamps that page cursors sort by keep milliseconds only, as a
 * JavaScript Date does, so a cursor names its row's time exactly. Rules the
 * database can hold (the region tree, one captain per team, one household
 * per person, the append-only access log) are held there; triggers are
 * hand-written in the migrations.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgSchema, primaryKey, text, timestamp, unique, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const people = pgSchema('people');

export const regionKind = people.enum('region_kind', ['province', 'city', 'district', 'street', 'town', 'community', 'village', 'compound', 'building']);

export const regions = people.table(
  'regions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    parentId: uuid('parent_id').references((): AnyPgColumn => regions.id),
    kind: regionKind('kind').notNull(),
    name: text('name').notNull(),
    code: text('code').unique(),
    /**
     * Ancestors from the root down to the parent, kept by a trigger on insert
     * and re-parenting, so "inside this subtree" is one indexed predicate.
     */
    path: uuid('path')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('regions_parent_name_idx').on(table.parentId, table.name, table.id),
    index('regions_path_idx').using('gin', table.path),
    index('regions_name_idx').on(table.name, table.id),
    check('regions_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('regions_not_own_parent', sql`${table.parentId} is distinct from ${table.id}`),
  ],
);

export const gender = people.enum('gender', ['male', 'female']);

export const persons = people.table(
  'persons',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    homeRegionId: uuid('home_region_id').references(() => regions.id),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Mainland mobile number. */
    phone: text('phone'),
    /** The ID number sealed with AES-256-GCM (see privacy/crypto.ts); never stored in clear. */
    idNumberSealed: text('id_number_sealed'),
    /** Keyed HMAC of the normalised ID number: finds duplicates without decrypting. */
    idNumberLookup: text('id_number_lookup'),
    /** The masked form everyone may see, e.g. 610***********123X. */
    idNumberMasked: text('id_number_masked'),
    gender: gender('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    homeUnit: text('home_unit'),
    /** Identity-provider subject of whoever registered the person. */
    registeredBy: text('registered_by'),
  },
  (table) => [
    check('persons_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('persons_phone_mobile', sql`${table.phone} ~ '^1[3-9][0-9]{9}$'`),
    check(
      'persons_id_number_complete',
      sql`(${table.idNumberSealed} is null) = (${table.idNumberLookup} is null) and (${table.idNumberLookup} is null) = (${table.idNumberMasked} is null)`,
    ),
    check('persons_id_number_masked_form', sql`${table.idNumberMasked} ~ '^[0-9]{3}[*]{11}[0-9]{3}[0-9X]$'`),
    uniqueIndex('persons_id_number_lookup_unique').on(table.idNumberLookup),
    index('persons_home_region_idx').on(table.homeRegionId),
    index('persons_registered_idx').on(table.registeredAt, table.id),
  ],
);

export const volunteerStatus = people.enum('volunteer_status', ['active', 'paused', 'left']);

export const volunteerProfiles = people.table(
  'volunteer_profiles',
  {
    personId: uuid('person_id')
      .primaryKey()
      .references(() => persons.id),
    skills: text('skills')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    partyMember: boolean('party_member').notNull().default(false),
    status: volunteerStatus('status').notNull().default('active'),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('volunteer_profiles_skills_idx').using('gin', table.skills)],
);

export const grids = people.table(
  'grids',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    communityId: uuid('community_id')
      .notNull()
      .references(() => regions.id),
    name: text('name').notNull(),
    workerId: uuid('worker_id').references(() => persons.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('grids_community_name_unique').on(table.communityId, table.name),
    index('grids_worker_idx').on(table.workerId),
    check('grids_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

/** Which grid a compound or building belongs to: one grid at most per region. */
export const gridRegions = people.table(
  'grid_regions',
  {
    regionId: uuid('region_id')
      .primaryKey()
      .references(() => regions.id),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => grids.id),
  },
  (table) => [index('grid_regions_grid_idx').on(table.gridId)],
);

export const buildingCaptains = people.table('building_captains', {
  buildingId: uuid('building_id')
    .primaryKey()
    .references(() => regions.id),
  personId: uuid('person_id')
    .notNull()
    .references(() => persons.id),
  assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  assignedBy: text('assigned_by').notNull(),
});

export const stationKind = people.enum('station_kind', ['practice_centre', 'institute', 'station']);

export const stations = people.table(
  'stations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: stationKind('kind').notNull(),
    name: text('name').notNull(),
    regionId: uuid('region_id')
      .notNull()
      .unique('stations_one_per_region')
      .references(() => regions.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => stations.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('stations_parent_idx').on(table.parentId), check('stations_only_centres_are_roots', sql`(${table.kind} = 'practice_centre') = (${table.parentId} is null)`)],
);

export const organizationKind = people.enum('organization_kind', ['social_organization', 'school', 'resident_unit', 'company', 'supermarket']);

export const organizations = people.table(
  'organizations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    kind: organizationKind('kind').notNull(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('organizations_region_name_unique').on(table.regionId, table.name),
    index('organizations_name_idx').on(table.name, table.id),
    check('organizations_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('organizations_contact_phone_mobile', sql`${table.contactPhone} ~ '^1[3-9][0-9]{9}$'`),
  ],
);

export const teamKind = people.enum('team_kind', ['repair', 'health', 'special_needs', 'party_members', 'women', 'parents_help', 'general']);

export const teams = people.table(
  'teams',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => regions.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    kind: teamKind('kind').notNull().default('general'),
    organizationId: uuid('organization_id').references(() => organizations.id),
  },
  (table) => [
    check('teams_name_not_blank', sql`length(trim(${table.name})) > 0`),
    unique('teams_community_name_unique').on(table.communityId, table.name),
    index('teams_name_idx').on(table.name, table.id),
    index('teams_organization_idx').on(table.organizationId),
  ],
);

export const teamRole = people.enum('team_role', ['captain', 'member']);

/** Memberships, current and past: leaving sets `left_at`, so the history stays. */
export const teamMembers = people.table(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    role: teamRole('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    primaryKey({ name: 'team_members_pk', columns: [table.teamId, table.personId, table.joinedAt] }),
    index('team_members_person_idx').on(table.personId),
    index('team_members_team_joined_idx').on(table.teamId, table.joinedAt, table.personId),
    uniqueIndex('team_members_current_unique')
      .on(table.teamId, table.personId)
      .where(sql`${table.leftAt} is null`),
    uniqueIndex('team_members_one_captain')
      .on(table.teamId)
      .where(sql`${table.role} = 'captain' and ${table.leftAt} is null`),
    check('team_members_left_after_joining', sql`${table.leftAt} >= ${table.joinedAt}`),
    check('team_members_former_not_captain', sql`${table.leftAt} is null or ${table.role} = 'member'`),
  ],
);

export const teamCategories = people.table(
  'team_categories',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    categoryCode: text('category_code').notNull(),
  },
  (table) => [
    primaryKey({ name: 'team_categories_pk', columns: [table.teamId, table.categoryCode] }),
    index('team_categories_code_idx').on(table.categoryCode),
    check('team_categories_code_form', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,63}$'`),
  ],
);

export const teamRegions = people.table(
  'team_regions',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
  },
  (table) => [primaryKey({ name: 'team_regions_pk', columns: [table.teamId, table.regionId] }), index('team_regions_region_idx').on(table.regionId)],
);

export const hardshipLevel = people.enum('hardship_level', ['ordinary', 'low_income', 'special_hardship']);
export const specialNeed = people.enum('special_need', ['living_alone', 'elderly', 'disabled', 'chronic_illness', 'home_schooling', 'quarantined']);
export const consent = people.enum('consent', ['contact_by_volunteers', 'home_visits', 'device_monitoring', 'photo_publication']);
export const householdRelation = people.enum('household_relation', ['head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other']);

export const households = people.table(
  'households',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    addressRegionId: uuid('address_region_id')
      .notNull()
      .references(() => regions.id),
    unit: text('unit'),
    hardshipLevel: hardshipLevel('hardship_level').notNull().default('ordinary'),
    specialNeeds: specialNeed('special_needs')
      .array()
      .notNull()
      .default(sql`'{}'`),
    consents: consent('consents')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** The volunteer or grid worker the household is assigned to (包干). */
    caretakerId: uuid('caretaker_id').references(() => persons.id),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    registeredBy: text('registered_by').notNull(),
  },
  (table) => [
    index('households_address_idx').on(table.addressRegionId),
    index('households_registered_idx').on(table.registeredAt, table.id),
    index('households_special_needs_idx').using('gin', table.specialNeeds),
    index('households_caretaker_idx').on(table.caretakerId),
  ],
);

/** Memberships, current and past: leaving sets `left_at`. */
export const householdMembers = people.table(
  'household_members',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    relation: householdRelation('relation').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    primaryKey({ name: 'household_members_pk', columns: [table.householdId, table.personId, table.joinedAt] }),
    uniqueIndex('household_members_one_household')
      .on(table.personId)
      .where(sql`${table.leftAt} is null`),
    uniqueIndex('household_members_one_head')
      .on(table.householdId)
      .where(sql`${table.relation} = 'head' and ${table.leftAt} is null`),
    check('household_members_left_after_joining', sql`${table.leftAt} >= ${table.joinedAt}`),
  ],
);

/** Every hardship decision with its reason: append-only (a trigger refuses changes). */
export const hardshipChanges = people.table(
  'hardship_changes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    level: hardshipLevel('level').notNull(),
    reason: text('reason').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('hardship_changes_household_idx').on(table.householdId, table.changedAt), check('hardship_changes_reason_not_blank', sql`length(trim(${table.reason})) > 0`)],
);

/**
 * One row per request and subject whose personal data someone else read
 * unmasked. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const personalDataAccesses = people.table(
  'personal_data_accesses',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    viewerSubject: text('viewer_subject').notNull(),
    viewerPersonId: uuid('viewer_person_id'),
    subjectPersonId: uuid('subject_person_id').references(() => persons.id),
    subjectHouseholdId: uuid('subject_household_id').references(() => households.id),
    fields: text('fields').array().notNull(),
    traceId: text('trace_id').notNull(),
  },
  (table) => [
    index('personal_data_accesses_at_idx').on(table.at, table.id),
    index('personal_data_accesses_subject_idx').on(table.subjectPersonId, table.at),
    index('personal_data_accesses_household_idx').on(table.subjectHouseholdId, table.at),
    index('personal_data_accesses_viewer_idx').on(table.viewerPersonId, table.at),
    index('personal_data_accesses_viewer_subject_idx').on(table.viewerSubject, table.at),
    check('personal_data_accesses_one_subject', sql`(${table.subjectPersonId} is null) <> (${table.subjectHouseholdId} is null)`),
    check('personal_data_accesses_fields_given', sql`cardinality(${table.fields}) > 0`),
  ],
);

export type RegionRow = typeof regions.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type VolunteerProfileRow = typeof volunteerProfiles.$inferSelect;
export type GridRow = typeof grids.$inferSelect;
export type StationRow = typeof stations.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type TeamMemberRow = typeof teamMembers.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;
export type HouseholdMemberRow = typeof householdMembers.$inferSelect;
export type PersonalDataAccessRow = typeof personalDataAccesses.$inferSelect;
export type RegionKind = (typeof regionKind.enumValues)[number];
export type HardshipLevel = (typeof hardshipLevel.enumValues)[number];
export type SpecialNeed = (typeof specialNeed.enumValues)[number];
export type Consent = (typeof consent.enumValues)[number];
