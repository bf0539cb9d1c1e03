/** SQL of the certificates module (db/schema/certificates.ts): one named statement per function. */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, uuidArray, type Executor, type PageRequest } from '@lianxin/shared';
import {
  certificateApplications,
  certificateDecisions,
  certificateNumberCounters,
  certificateReviewClearances,
  certificateReviewFlags,
  certificateRevocations,
  certificates,
  personDisplayNames,
  type CertificateApplicationRow,
  type CertificateContent,
  type CertificateRow,
} from '../db/schema.js';
import type { CertificateApplicationModel, CertificateApplicationState, CertificateModel } from './model.js';

// Display names
// -------------

/** The masked display name people announced for a person; a later announcement replaces it. */
export async function upsertDisplayName(db: Executor, name: { personId: string; displayName: string }): Promise<void> {
  await db
    .insert(personDisplayNames)
    .values(name)
    .onConflictDoUpdate({ target: personDisplayNames.personId, set: { displayName: name.displayName, updatedAt: sql`now()` } });
}

export async function findDisplayName(db: Executor, personId: string): Promise<string | null> {
  const [row] = await db.select({ displayName: personDisplayNames.displayName }).from(personDisplayNames).where(eq(personDisplayNames.personId, personId));
  return row?.displayName ?? null;
}

// Scope
// -----

/** Whose rows a list shows: everyone's, or a person's own and those of the people living in `regionIds` or below. */
export type Visibility = { everyone: true } | { everyone: false; personId: string | null; regionIds: readonly string[] };

/**
 * The condition on `personColumn` a visibility makes: the person's own rows,
 * and rows of the people whose home (as people announced it) is in one of
 * the regions or below it, by the region tree recognition keeps.
 */
function visibleCondition(visibility: Visibility, personColumn: typeof certificateApplications.volunteerId | typeof certificates.subjectId): SQL | undefined {
  if (visibility.everyone) return undefined;
  const own = visibility.personId === null ? sql`false` : sql`${personColumn} = ${visibility.personId}::uuid`;
  if (visibility.regionIds.length === 0) return own;
  const regions = uuidArray(visibility.regionIds);
  return sql`(${own} or exists (
    select 1 from recognition.person_homes h left join recognition.region_levels r on r.region_id = h.region_id
    where h.person_id = ${personColumn} and (h.region_id = any(${regions}) or r.path && ${regions})
  ))`;
}

// Applications
// ------------

export async function insertApplication(db: Executor, values: typeof certificateApplications.$inferInsert): Promise<CertificateApplicationRow> {
  const [row] = await db.insert(certificateApplications).values(values).returning();
  return row!;
}

/** The application, locked until the transaction ends, so two decisions on it are made one after the other. */
export async function lockApplication(db: Executor, id: string): Promise<CertificateApplicationRow | null> {
  const [row] = await db.select().from(certificateApplications).where(eq(certificateApplications.id, id)).for('update');
  return row ?? null;
}

const applicationState = sql<CertificateApplicationState>`case ${certificateDecisions.outcome} when 'accepted' then 'accepted' when 'refused' then 'refused' else 'pending' end`;

const applicationColumns = {
  application: certificateApplications,
  status: applicationState,
  refusalReason: certificateDecisions.reason,
  decidedAt: certificateDecisions.decidedAt,
  certificateId: certificateDecisions.certificateId,
};

type ApplicationJoin = {
  application: CertificateApplicationRow;
  status: CertificateApplicationState;
  refusalReason: string | null;
  decidedAt: Date | null;
  certificateId: string | null;
};
const toApplication = ({ application, ...state }: ApplicationJoin): CertificateApplicationModel => ({ ...application, ...state });

export async function findApplicationsByIds(db: Executor, ids: readonly string[]): Promise<CertificateApplicationModel[]> {
  const rows = await db
    .select(applicationColumns)
    .from(certificateApplications)
    .leftJoin(certificateDecisions, eq(certificateDecisions.applicationId, certificateApplications.id))
    .where(inArray(certificateApplications.id, [...ids]));
  return rows.map(toApplication);
}

/** Which applications a list shows: `visible` says whose (a volunteer's own, a scope's, or all when undefined). */
export interface ApplicationFilter {
  visible: Visibility;
  status: CertificateApplicationState | null;
}

/** A page of applications, newest first. */
export async function findApplicationPage(db: Executor, filter: ApplicationFilter, page: PageRequest): Promise<CertificateApplicationModel[]> {
  const after = page.after ? sql`(${certificateApplications.appliedAt}, ${certificateApplications.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  const status = filter.status === null ? undefined : filter.status === 'pending' ? isNull(certificateDecisions.applicationId) : eq(certificateDecisions.outcome, filter.status);
  const rows = await db
    .select(applicationColumns)
    .from(certificateApplications)
    .leftJoin(certificateDecisions, eq(certificateDecisions.applicationId, certificateApplications.id))
    .where(and(visibleCondition(filter.visible, certificateApplications.volunteerId), status, after))
    .orderBy(desc(certificateApplications.appliedAt), desc(certificateApplications.id))
    .limit(page.limit + 1);
  return rows.map(toApplication);
}

export async function hasDecision(db: Executor, applicationId: string): Promise<boolean> {
  const [row] = await db.select({ id: certificateDecisions.applicationId }).from(certificateDecisions).where(eq(certificateDecisions.applicationId, applicationId));
  return row !== undefined;
}

export async function insertDecision(db: Executor, values: typeof certificateDecisions.$inferInsert): Promise<void> {
  await db.insert(certificateDecisions).values(values);
}

// Issuing
// -------

/** The next serial of a Beijing year: the counter row is locked until the transaction ends, so serials follow commits without gaps. */
export async function nextSerial(db: Executor, year: number): Promise<number> {
  const [row] = await db
    .insert(certificateNumberCounters)
    .values({ year, lastSerial: 1 })
    .onConflictDoUpdate({ target: certificateNumberCounters.year, set: { lastSerial: sql`${certificateNumberCounters.lastSerial} + 1` } })
    .returning({ lastSerial: certificateNumberCounters.lastSerial });
  return row!.lastSerial;
}

/** Inserts a certificate; null when an honour with the same source, holder and title is there already. */
export async function insertCertificate(db: Executor, values: typeof certificates.$inferInsert): Promise<CertificateRow | null> {
  const [row] = await db.insert(certificates).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** The honour certificate of a source, holder and title, if issued. */
export async function findHonour(
  db: Executor,
  key: { sourceKind: 'campaign' | 'competition'; sourceId: string; subjectKind: CertificateRow['subjectKind']; subjectId: string; title: string },
): Promise<CertificateRow | null> {
  const [row] = await db
    .select()
    .from(certificates)
    .where(
      and(
        eq(certificates.sourceKind, key.sourceKind),
        eq(certificates.sourceId, key.sourceId),
        eq(certificates.subjectKind, key.subjectKind),
        eq(certificates.subjectId, key.subjectId),
        eq(certificates.title, key.title),
      ),
    );
  return row ?? null;
}

/** What a service-record certificate states, from the service facts as they are now. */
export interface ServiceFigures {
  minutes: number;
  services: number;
  content: CertificateContent;
}

/**
 * A volunteer's service over Beijing days `from`–`to` (both included), from
 * the facts: every record served in the period less the reversals of those
 * records (a reversal carries its original's day), by category and by
 * activity (the activity a record was an attendance at, as the tallies
 * remember it). Categories and activities that net out to nothing are left out.
 */
export async function serviceFigures(db: Executor, volunteerId: string, from: string, to: string): Promise<ServiceFigures> {
  const lines = await rowsOf<{ grouping: 'category' | 'activity'; key: string; minutes: string; services: string }>(
    db,
    sql`with facts as (
          select f.category_code, cs.activity_id, f.minutes, case when f.reverses_id is null then 1 else -1 end as services
          from recognition.service_facts f
          left join recognition.counted_services cs on cs.service_record_id = coalesce(f.reverses_id, f.service_record_id)
          where f.volunteer_id = ${volunteerId}::uuid and f.served_on between ${from}::date and ${to}::date
        )
        select 'category' as grouping, category_code as key, sum(minutes)::text as minutes, sum(services)::text as services
          from facts group by category_code having sum(services) <> 0 or sum(minutes) <> 0
        union all
        select 'activity', activity_id::text, sum(minutes)::text, sum(services)::text
          from facts where activity_id is not null group by activity_id having sum(services) <> 0 or sum(minutes) <> 0
        order by 1, 2`,
  );
  const content: CertificateContent = { categories: [], activities: [] };
  for (const line of lines) {
    const figures = { minutes: Number(line.minutes), services: Number(line.services) };
    if (line.grouping === 'category') content.categories.push({ code: line.key, ...figures });
    else content.activities.push({ activityId: line.key, ...figures });
  }
  return {
    minutes: content.categories.reduce((sum, line) => sum + line.minutes, 0),
    services: content.categories.reduce((sum, line) => sum + line.services, 0),
    content,
  };
}

// Reading certificates
// --------------------

const openFlag = sql`not exists (select 1 from ${certificateReviewClearances} c where c.flag_id = f.id)`;

const certificateColumns = {
  certificate: certificates,
  revokedAt: certificateRevocations.revokedAt,
  revocationReason: certificateRevocations.reason,
  flaggedAt: sql<string | Date | null>`(select min(f.flagged_at) from ${certificateReviewFlags} f where f.certificate_id = ${certificates.id} and ${openFlag})`,
};

type CertificateJoin = { certificate: CertificateRow; revokedAt: Date | null; revocationReason: string | null; flaggedAt: string | Date | null };

function toCertificate({ certificate, revokedAt, revocationReason, flaggedAt }: CertificateJoin): CertificateModel {
  const flagged = flaggedAt === null ? null : new Date(flaggedAt);
  return { ...certificate, revokedAt, revocationReason, flaggedAt: flagged, status: revokedAt !== null ? 'revoked' : flagged !== null ? 'under_review' : 'valid' };
}

function selectCertificates(db: Executor) {
  return db.select(certificateColumns).from(certificates).leftJoin(certificateRevocations, eq(certificateRevocations.certificateId, certificates.id));
}

export async function findCertificatesByIds(db: Executor, ids: readonly string[]): Promise<CertificateModel[]> {
  const rows = await selectCertificates(db).where(inArray(certificates.id, [...ids]));
  return rows.map(toCertificate);
}

/** The certificate with this number, whatever its code (the service compares the code). */
export async function findCertificateByNumber(db: Executor, number: string): Promise<CertificateModel | null> {
  const [row] = await selectCertificates(db).where(eq(certificates.number, number));
  return row ? toCertificate(row) : null;
}

/** The certificates made out to each of `personIds`, newest first. */
export const findCertificatesOfPersons = (db: Executor, personIds: readonly string[]): Promise<CertificateModel[]> => findCertificatesOfSubjects(db, 'person', personIds);

/** The certificates of service projects (their honours), newest first. */
export const findCertificatesOfProjects = (db: Executor, projectIds: readonly string[]): Promise<CertificateModel[]> => findCertificatesOfSubjects(db, 'project', projectIds);

/** The honour certificates issued by campaigns or competitions, newest first. */
export async function findCertificatesOfSources(db: Executor, sourceIds: readonly string[]): Promise<CertificateModel[]> {
  const rows = await selectCertificates(db)
    .where(inArray(certificates.sourceId, [...sourceIds]))
    .orderBy(desc(certificates.issuedAt), desc(certificates.id));
  return rows.map(toCertificate);
}

async function findCertificatesOfSubjects(db: Executor, kind: CertificateRow['subjectKind'], subjectIds: readonly string[]): Promise<CertificateModel[]> {
  const rows = await selectCertificates(db)
    .where(and(eq(certificates.subjectKind, kind), inArray(certificates.subjectId, [...subjectIds])))
    .orderBy(desc(certificates.issuedAt), desc(certificates.id));
  return rows.map(toCertificate);
}

/** A page of certificates under review (not revoked, an open flag), oldest flag first; `visible` limits whose. */
export async function findUnderReviewPage(db: Executor, visible: Visibility, page: PageRequest): Promise<CertificateModel[]> {
  const flagged = sql`(select min(f.flagged_at) from ${certificateReviewFlags} f where f.certificate_id = ${certificates.id} and ${openFlag})`;
  const after = page.after ? sql`(${flagged}, ${certificates.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  const rows = await selectCertificates(db)
    .where(
      and(
        isNull(certificateRevocations.certificateId),
        sql`${flagged} is not null`,
        eq(certificates.subjectKind, 'person'),
        visibleCondition(visible, certificates.subjectId),
        after,
      ),
    )
    .orderBy(asc(flagged), asc(certificates.id))
    .limit(page.limit + 1);
  return rows.map(toCertificate);
}

/** The certificate, locked until the transaction ends, so a revocation and a clearance are decided one after the other. */
export async function lockCertificate(db: Executor, id: string): Promise<CertificateRow | null> {
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id)).for('update');
  return row ?? null;
}

/** Records a revocation; false when the certificate was revoked already. */
export async function insertRevocation(db: Executor, values: typeof certificateRevocations.$inferInsert): Promise<boolean> {
  const rows = await db.insert(certificateRevocations).values(values).onConflictDoNothing().returning({ id: certificateRevocations.certificateId });
  return rows.length > 0;
}

export async function isRevoked(db: Executor, certificateId: string): Promise<boolean> {
  const [row] = await db.select({ id: certificateRevocations.certificateId }).from(certificateRevocations).where(eq(certificateRevocations.certificateId, certificateId));
  return row !== undefined;
}

/** The ids of a certificate's flags not cleared yet. */
export async function findOpenFlagIds(db: Executor, certificateId: string): Promise<string[]> {
  const rows = await db
    .select({ id: certificateReviewFlags.id })
    .from(certificateReviewFlags)
    .leftJoin(certificateReviewClearances, eq(certificateReviewClearances.flagId, certificateReviewFlags.id))
    .where(and(eq(certificateReviewFlags.certificateId, certificateId), isNull(certificateReviewClearances.flagId)));
  return rows.map((row) => row.id);
}

export async function insertClearances(db: Executor, flagIds: readonly string[], clearance: { note: string; clearedBy: string }): Promise<void> {
  if (flagIds.length === 0) return;
  await db.insert(certificateReviewClearances).values(flagIds.map((flagId) => ({ flagId, ...clearance })));
}

/**
 * Flags for review every service-record certificate of the volunteer whose
 * period holds the reversed record's day and which counted that record (its
 * fact was recorded before the certificate was issued). Keyed by the
 * reversal's record id, so a redelivered reversal flags nothing new.
 * Returns how many certificates were flagged.
 */
export async function flagCertificatesCovering(db: Executor, reversal: { volunteerId: string; causeRecordId: string; reversesId: string }): Promise<number> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`insert into recognition.certificate_review_flags (id, certificate_id, cause_record_id, reverses_id)
        select gen_random_uuid(), c.id, ${reversal.causeRecordId}::uuid, ${reversal.reversesId}::uuid
        from recognition.certificates c
        join recognition.service_facts f on f.service_record_id = ${reversal.reversesId}::uuid
        where c.kind = 'service_record' and c.subject_kind = 'person' and c.subject_id = ${reversal.volunteerId}::uuid
          and f.served_on between c.period_from and c.period_to and f.recorded_at <= c.issued_at
        on conflict (certificate_id, cause_record_id) do nothing
        returning id`,
  );
  return rows.length;
}
