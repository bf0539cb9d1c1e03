/**
 * Certificates (docs/recognition.md, "Certificates"): service-record
 * certificates (志愿服务记录证明) a volunteer applies for and an admin
 * issues, and honour certificates other modules issue to the winners of
 * campaigns and competitions. Everything here is a record of what was
 * decided and stated: applications, decisions, certificates, revocations,
 * review flags and their clearances are never updated or deleted (triggers
 * refuse it), so a certificate's status is worked out from the rows beside
 * it, and its content is the content it was issued with. Only the yearly
 * number counters change, in the transaction that issues.
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/**
 * The masked display name people announces for each person
 * (`person.registered`'s `displayName`, e.g. `王**`): the only name
 * recognition holds, which a certificate shows for its holder.
 */
export const personDisplayNames = recognition.table('person_display_names', {
  /** A people Person id. */
  personId: uuid('person_id').primaryKey(),
  displayName: text('display_name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A volunteer's application for a certificate of their service over a period of Beijing days, both ends included. */
export const certificateApplications = recognition.table(
  'certificate_applications',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The people Person id of the volunteer, who applied for themselves. */
    volunteerId: uuid('volunteer_id').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    /** What the volunteer needs it for (a school, an employer), when they said. */
    purpose: text('purpose'),
    appliedBy: text('applied_by').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    check('certificate_applications_period', sql`${table.periodFrom} <= ${table.periodTo}`),
    check('certificate_applications_purpose_length', sql`char_length(${table.purpose}) between 1 and 200`),
    index('certificate_applications_volunteer_idx').on(table.volunteerId, table.appliedAt),
    index('certificate_applications_applied_idx').on(table.appliedAt, table.id),
  ],
);

/**
 * A certificate. A service-record certificate holds the figures computed
 * from the service facts when it was issued (minutes, services, and the
 * content lines by category and activity); an honour certificate its title
 * and citation, and the campaign or competition it came from. The holder's
 * name is frozen at issue (masked, for a person). `number` is
 * `LX-<year>-<serial>`, the serial counted per Beijing year from 1 and
 * written with at least six digits; `code` eight characters of an alphabet
 * without look-alikes (no 0/O, 1/I/L).
 */
export const certificates = recognition.table(
  'certificates',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    number: text('number').notNull(),
    year: smallint('year').notNull(),
    serial: integer('serial').notNull(),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['service_record', 'honour'] }).notNull(),
    subjectKind: text('subject_kind', { enum: ['person', 'team', 'organization', 'project'] }).notNull(),
    /** The id of the holder in its own subgraph (a Person, a Team, …); no foreign key. */
    subjectId: uuid('subject_id').notNull(),
    holderName: text('holder_name').notNull(),
    title: text('title').notNull(),
    citation: text('citation'),
    issuer: text('issuer').notNull(),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    minutes: integer('minutes'),
    services: integer('services'),
    content: jsonb('content').$type<CertificateContent>(),
    applicationId: uuid('application_id'),
    sourceKind: text('source_kind', { enum: ['campaign', 'competition'] }),
    sourceId: uuid('source_id'),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('certificates_number_unique').on(table.number),
    unique('certificates_serial_unique').on(table.year, table.serial),
    // One certificate per accepted application, whoever accepts it how often.
    unique('certificates_application_unique').on(table.applicationId),
    // An honour is given once per source, holder and title: the issuing module may call again safely.
    unique('certificates_honour_unique').on(table.sourceKind, table.sourceId, table.subjectKind, table.subjectId, table.title),
    foreignKey({ name: 'certificates_application_fk', columns: [table.applicationId], foreignColumns: [certificateApplications.id] }),
    check(
      'certificates_number_format',
      sql`${table.number} = 'LX-' || ${table.year} || '-' || lpad(${table.serial}::text, greatest(6, char_length(${table.serial}::text)), '0') and ${table.serial} >= 1`,
    ),
    check('certificates_code_format', sql`${table.code} ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'`),
    check(
      'certificates_kind_shape',
      sql`case ${table.kind}
        when 'service_record' then ${table.subjectKind} = 'person' and ${table.applicationId} is not null and ${table.periodFrom} <= ${table.periodTo}
          and ${table.minutes} >= 0 and ${table.services} >= 0 and ${table.content} is not null and ${table.sourceKind} is null and ${table.sourceId} is null
        else ${table.sourceKind} is not null and ${table.sourceId} is not null and ${table.applicationId} is null and ${table.minutes} is null and ${table.services} is null
      end`,
    ),
    check(
      'certificates_texts',
      sql`char_length(${table.holderName}) between 1 and 100 and char_length(${table.title}) between 1 and 100 and char_length(${table.issuer}) between 1 and 100`,
    ),
    index('certificates_subject_idx').on(table.subjectKind, table.subjectId, table.issuedAt),
  ],
);

/** The last serial given in each Beijing year; the issuing transaction moves it on, so serials are handed out in commit order. */
export const certificateNumberCounters = recognition.table('certificate_number_counters', {
  year: smallint('year').primaryKey(),
  lastSerial: integer('last_serial').notNull(),
});

/** An admin's decision on an application: one per application; accepting names the certificate issued with it. */
export const certificateDecisions = recognition.table(
  'certificate_decisions',
  {
    applicationId: uuid('application_id').primaryKey(),
    outcome: text('outcome', { enum: ['accepted', 'refused'] }).notNull(),
    /** Why it was refused; null when accepted. */
    reason: text('reason'),
    certificateId: uuid('certificate_id'),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    foreignKey({ name: 'certificate_decisions_application_fk', columns: [table.applicationId], foreignColumns: [certificateApplications.id] }),
    foreignKey({ name: 'certificate_decisions_certificate_fk', columns: [table.certificateId], foreignColumns: [certificates.id] }),
    check(
      'certificate_decisions_shape',
      sql`(${table.outcome} = 'accepted') = (${table.certificateId} is not null) and (${table.outcome} = 'refused') = (${table.reason} is not null)`,
    ),
  ],
);

/** A certificate withdrawn by an admin: once, with the reason. The certificate row itself stays as issued. */
export const certificateRevocations = recognition.table(
  'certificate_revocations',
  {
    certificateId: uuid('certificate_id').primaryKey(),
    reason: text('reason').notNull(),
    revokedBy: text('revoked_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [foreignKey({ name: 'certificate_revocations_certificate_fk', columns: [table.certificateId], foreignColumns: [certificates.id] })],
);

/**
 * A service-record certificate put under review because a record it counted
 * was reversed afterwards (`cause_record_id` is the reversal's record id, so
 * a redelivered event flags once). Open until cleared.
 */
export const certificateReviewFlags = recognition.table(
  'certificate_review_flags',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    certificateId: uuid('certificate_id').notNull(),
    causeRecordId: uuid('cause_record_id').notNull(),
    /** The record that was reversed. */
    reversesId: uuid('reverses_id').notNull(),
    flaggedAt: timestamp('flagged_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('certificate_review_flags_cause_unique').on(table.certificateId, table.causeRecordId),
    foreignKey({ name: 'certificate_review_flags_certificate_fk', columns: [table.certificateId], foreignColumns: [certificates.id] }),
  ],
);

/** An admin's clearance of a review flag: the certificate stands as issued. Once per flag. */
export const certificateReviewClearances = recognition.table(
  'certificate_review_clearances',
  {
    flagId: uuid('flag_id').primaryKey(),
    note: text('note').notNull(),
    clearedBy: text('cleared_by').notNull(),
    clearedAt: timestamp('cleared_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [foreignKey({ name: 'certificate_review_clearances_flag_fk', columns: [table.flagId], foreignColumns: [certificateReviewFlags.id] })],
);

/** A service-record certificate's content lines, frozen at issue. */
export interface CertificateContent {
  /** Minutes and services per request category, by code. */
  categories: { code: string; minutes: number; services: number }[];
  /** Minutes and services per activity attended, by activity id. */
  activities: { activityId: string; minutes: number; services: number }[];
}

export type PersonDisplayNameRow = typeof personDisplayNames.$inferSelect;
export type CertificateApplicationRow = typeof certificateApplications.$inferSelect;
export type CertificateRow = typeof certificates.$inferSelect;
export type CertificateDecisionRow = typeof certificateDecisions.$inferSelect;
export type CertificateRevocationRow = typeof certificateRevocations.$inferSelect;
