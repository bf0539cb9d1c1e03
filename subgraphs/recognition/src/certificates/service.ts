/**
 * Certificates (docs/recognition.md, "Certificates"). A volunteer applies
 * for a certificate of their service over a period (志愿服务记录证明); an
 * admin whose regions hold the volunteer's home accepts it, which issues the
 * certificate in the same transaction with the figures the service facts give
 * at that moment, frozen; or refuses it with a reason. Other modules issue
 * honour certificates inside their own transactions with
 * `issueHonourCertificate`. Each certificate has a number and a random code,
 * and anyone holding both may verify what it states. Admins revoke
 * certificates and clear the review a reversal of a counted record opens;
 * nothing is ever edited.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  UNIQUE_VIOLATION,
  hasRole,
  idInput,
  inTransaction,
  isPlatformAdmin,
  isUuid,
  parseInput,
  readPage,
  refuse,
  refuseUnseen,
  refused,
  requireRoles,
  requireSignedIn,
  textInput,
  toConnection,
  userError,
  type Connection,
  type Executor,
  type Result,
  type Transaction,
  type Viewer,
} from '@lianxin/shared';
import { STAR_ADMIN_ROLES } from '../access.js';
import { leadsSide } from '../competitions/projects.js';
import type { RecognitionContext } from '../context.js';
import type { CertificateRow } from '../db/schema.js';
import { beijingYearOf } from '../periods/store.js';
import { beijingDayOf } from '../stats/facts.js';
import { findHomeChains } from '../stars/store.js';
import type { CertificateApplicationModel, CertificateApplicationState, CertificateModel } from './model.js';
import {
  findApplicationPage,
  findApplicationsByIds,
  findCertificateByNumber,
  findCertificatesByIds,
  findDisplayName,
  findHonour,
  findOpenFlagIds,
  findUnderReviewPage,
  hasDecision,
  insertApplication,
  insertCertificate,
  insertClearances,
  insertDecision,
  insertRevocation,
  isRevoked,
  lockApplication,
  lockCertificate,
  nextSerial,
  serviceFigures,
  type Visibility,
} from './store.js';

/** The title a service-record certificate carries. */
export const SERVICE_RECORD_TITLE = '志愿服务记录证明';

/** The verification code's alphabet: digits and capitals without look-alikes (0/O, 1/I/L), 31 characters. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A number as `certificateVerify` takes it: `LX-`, a year, a serial of six to nine digits. */
export const NUMBER_PATTERN = /^LX-\d{4}-\d{6,9}$/;
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** Who may decide applications and withdraw certificates: station and community admins in their regions, and platform admins. */
const CERTIFICATE_ADMIN_ROLES = STAR_ADMIN_ROLES;

/** A fresh verification code: eight characters drawn uniformly from the alphabet (about 40 bits). */
export function newVerificationCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** `LX-2026-000123`: the Beijing year of issue and the year's serial, at least six digits. */
export const certificateNumber = (year: number, serial: number): string => `LX-${year}-${String(serial).padStart(6, '0')}`;

/** Allocates the number of a certificate issued at `issuedAt`. */
async function allocateNumber(tx: Executor, issuedAt: Date): Promise<{ number: string; year: number; serial: number }> {
  const year = beijingYearOf(issuedAt);
  const serial = await nextSerial(tx, year);
  return { number: certificateNumber(year, serial), year, serial };
}

// Who sees what
// -------------

/** Whether the viewer administers a person whose home's chain is `chain`: a platform admin, or a station or community admin whose regions hold it. */
function administersChain(viewer: Viewer, chain: readonly string[]): boolean {
  if (isPlatformAdmin(viewer)) return true;
  if (!hasRole(viewer, ...CERTIFICATE_ADMIN_ROLES) || viewer.regionIds.length === 0) return false;
  const scope = new Set(viewer.regionIds);
  return chain.some((region) => scope.has(region));
}

/** Whether the viewer administers where the person lives, read in a mutation's transaction. */
async function administersPerson(tx: Executor, viewer: Viewer, personId: string): Promise<boolean> {
  if (isPlatformAdmin(viewer)) return true;
  const [home] = await findHomeChains(tx, [personId]);
  return administersChain(viewer, home?.chain ?? []);
}

/** The same for a read: the home chains of a request's persons are loaded together. */
async function readerAdministers(ctx: RecognitionContext, personId: string): Promise<boolean> {
  return isPlatformAdmin(ctx.viewer) || (hasRole(ctx.viewer, ...CERTIFICATE_ADMIN_ROLES) && administersChain(ctx.viewer, await ctx.loaders.homeChainOfPerson.load(personId)));
}

/**
 * Whether the viewer may read the certificate (its code included): a person's
 * certificate by its holder and the admins of where the holder lives; a
 * team's, an organisation's or a project's by those who lead its side
 * (captains of its teams, the admins of their communities); platform admins
 * any.
 */
export async function seesCertificate(ctx: RecognitionContext, certificate: CertificateRow): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  if (certificate.subjectKind !== 'person') return leadsSide(ctx.viewer, ctx.db, certificate.subjectKind, certificate.subjectId);
  return ctx.viewer.personId === certificate.subjectId || (await readerAdministers(ctx, certificate.subjectId));
}

// Applying and deciding
// ---------------------

/** A day as the Date scalar hands it over (a Date at UTC midnight) or as text, as `YYYY-MM-DD`. */
const day = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date (YYYY-MM-DD).')])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .refine((text) => Array.from(text).length <= max, `must be at most ${max} characters.`)
    .nullish()
    .transform((text) => (text ? text : null));

const applyInput = z.object({ from: day, to: day, purpose: optionalText(200) });

/** `certificateApply`: a volunteer applies for a certificate of their own service. */
export async function applyForCertificate(ctx: RecognitionContext, input: unknown, now = new Date()): Promise<Result<CertificateApplicationModel>> {
  const subject = requireRoles(ctx.viewer, ['volunteer'], 'apply for a service-record certificate');
  const volunteerId = ctx.viewer.personId;
  if (volunteerId === null) throw new ForbiddenError('Only a registered volunteer may apply for a certificate of their service.');
  const parsed = parseInput(applyInput, input);
  if (!parsed.ok) return parsed;
  const { from, to, purpose } = parsed.value;
  if (from > to) return refused(userError(['input', 'to'], 'INVALID', 'to must not be before from.'));
  if (to > beijingDayOf(now)) return refused(userError(['input', 'to'], 'INVALID', 'to must be today (Beijing time) at the latest: a certificate states service done.'));
  return inTransaction(ctx, async (tx) => {
    const row = await insertApplication(tx, { volunteerId, periodFrom: from, periodTo: to, purpose, appliedBy: subject });
    return { ...row, status: 'pending' as const, refusalReason: null, decidedAt: null, certificateId: null };
  });
}

const decideInput = z.object({
  application: idInput('a certificate application'),
  decision: z.enum(['accept', 'refuse']),
  issuer: optionalText(100),
  reason: optionalText(500),
});

/** Issues the certificate an accepted application asks for: the figures from the facts as they are now. */
async function issueServiceRecord(tx: Transaction, application: { id: string; volunteerId: string; periodFrom: string; periodTo: string }, issuer: string, by: string) {
  const issuedAt = new Date();
  const figures = await serviceFigures(tx, application.volunteerId, application.periodFrom, application.periodTo);
  const holderName = (await findDisplayName(tx, application.volunteerId)) ?? '志愿者';
  const certificate = await insertCertificate(tx, {
    ...(await allocateNumber(tx, issuedAt)),
    code: newVerificationCode(),
    kind: 'service_record',
    subjectKind: 'person',
    subjectId: application.volunteerId,
    holderName,
    title: SERVICE_RECORD_TITLE,
    issuer,
    periodFrom: application.periodFrom,
    periodTo: application.periodTo,
    ...figures,
    applicationId: application.id,
    issuedBy: by,
    issuedAt,
  });
  if (!certificate) refuse(['input', 'application'], 'INVALID_STATE', 'The application has been decided already.');
  return certificate;
}

const ALREADY_DECIDED = 'The application has been decided already.';

/** `certificateApplicationDecide`: accept (issue) or refuse an application of a volunteer living in the admin's regions. */
export async function decideApplication(ctx: RecognitionContext, input: unknown): Promise<Result<CertificateApplicationModel>> {
  const subject = requireRoles(ctx.viewer, CERTIFICATE_ADMIN_ROLES, 'decide certificate applications');
  const parsed = parseInput(decideInput, input);
  if (!parsed.ok) return parsed;
  const { decision, issuer, reason } = parsed.value;
  if (decision === 'accept' && issuer === null) return refused(userError(['input', 'issuer'], 'REQUIRED', 'Name the issuer printed on the certificate to accept.'));
  if (decision === 'refuse' && reason === null) return refused(userError(['input', 'reason'], 'REQUIRED', 'Give the volunteer a reason to refuse.'));
  const applicationId = parsed.value.application.toLowerCase();
  const decided = await inTransaction(
    ctx,
    async (tx) => {
      const application = await lockApplication(tx, applicationId);
      if (!application || !(await administersPerson(tx, ctx.viewer, application.volunteerId))) refuseUnseen(ctx.viewer, ['input', 'application'], 'certificate application');
      if (await hasDecision(tx, application.id)) refuse(['input', 'application'], 'INVALID_STATE', ALREADY_DECIDED);
      const certificate = decision === 'accept' ? await issueServiceRecord(tx, application, issuer!, subject) : null;
      await insertDecision(tx, {
        applicationId: application.id,
        outcome: decision === 'accept' ? 'accepted' : 'refused',
        reason: decision === 'accept' ? null : reason,
        certificateId: certificate?.id ?? null,
        decidedBy: subject,
      });
      return application.id;
    },
    [
      // A second decision the lock did not order (it cannot, but the database says so itself).
      { sqlState: UNIQUE_VIOLATION, constraint: 'certificate_decisions_pkey', error: userError(['input', 'application'], 'INVALID_STATE', ALREADY_DECIDED) },
      { sqlState: UNIQUE_VIOLATION, constraint: 'certificates_application_unique', error: userError(['input', 'application'], 'INVALID_STATE', ALREADY_DECIDED) },
    ],
  );
  if (!decided.ok) return decided;
  const [application] = await findApplicationsByIds(ctx.db, [decided.value]);
  return { ok: true, value: application! };
}

// Honour certificates
// -------------------

/** What another module states when it honours someone. */
export interface HonourCertificateInput {
  subject: { kind: 'PERSON' | 'TEAM' | 'ORGANIZATION' | 'PROJECT'; id: string };
  /** The holder's name as printed: a team's, an organisation's or a project's; for a person, used only when people never announced their masked name, and it must then be masked already. */
  displayName: string;
  title: string;
  citation?: string | null;
  issuer: string;
  source: { kind: 'CAMPAIGN' | 'COMPETITION'; id: string };
  issuedAt?: Date;
  /** Who issues it, for the audit column (the admin who published, or `system:…`). */
  issuedBy?: string;
}

const honourInput = z.object({
  subject: z.object({ kind: z.enum(['PERSON', 'TEAM', 'ORGANIZATION', 'PROJECT']), id: z.string().refine(isUuid, 'is not an id.') }),
  displayName: textInput(100),
  title: textInput(100),
  citation: optionalText(500),
  issuer: textInput(100),
  source: z.object({ kind: z.enum(['CAMPAIGN', 'COMPETITION']), id: z.string().refine(isUuid, 'is not an id.') }),
  issuedAt: z.date().optional(),
  issuedBy: z.string().min(1).optional(),
});

/**
 * Issues an honour certificate inside the caller's transaction (a campaign's
 * publication, a competition's final close), or returns the one issued
 * before for the same source, holder and title: safe to call again. A
 * person's name is the masked one people announced. Throws on an input no
 * caller should make (a programming error, not a user's).
 */
export async function issueHonourCertificate(tx: Transaction, input: HonourCertificateInput): Promise<CertificateRow> {
  const honour = honourInput.parse(input);
  const key = {
    sourceKind: honour.source.kind === 'CAMPAIGN' ? ('campaign' as const) : ('competition' as const),
    sourceId: honour.source.id.toLowerCase(),
    subjectKind: honour.subject.kind.toLowerCase() as CertificateRow['subjectKind'],
    subjectId: honour.subject.id.toLowerCase(),
    title: honour.title,
  };
  const existing = await findHonour(tx, key);
  if (existing) return existing;
  const issuedAt = honour.issuedAt ?? new Date();
  const holderName = key.subjectKind === 'person' ? ((await findDisplayName(tx, key.subjectId)) ?? honour.displayName) : honour.displayName;
  const inserted = await insertCertificate(tx, {
    ...key,
    ...(await allocateNumber(tx, issuedAt)),
    code: newVerificationCode(),
    kind: 'honour',
    holderName,
    citation: honour.citation,
    issuer: honour.issuer,
    issuedBy: honour.issuedBy ?? 'system:honours',
    issuedAt,
  });
  // A concurrent issue of the same honour committed first: it is the one.
  return inserted ?? (await findHonour(tx, key))!;
}

// Revoking and reviewing
// ----------------------

const revokeInput = z.object({ certificate: idInput('a certificate'), reason: textInput(500) });
const clearInput = z.object({ certificate: idInput('a certificate'), note: textInput(500) });

/** The certificate the input names, locked, when the viewer administers its holder; FORBIDDEN (NOT_FOUND for a platform admin) otherwise. */
async function lockAdministered(tx: Transaction, viewer: Viewer, id: string): Promise<CertificateRow> {
  const certificate = await lockCertificate(tx, id);
  const administers = certificate !== null && (isPlatformAdmin(viewer) || (certificate.subjectKind === 'person' && (await administersPerson(tx, viewer, certificate.subjectId))));
  if (!certificate || !administers) refuseUnseen(viewer, ['input', 'certificate'], 'certificate');
  return certificate;
}

async function certificateNow(ctx: RecognitionContext, result: Result<string>): Promise<Result<CertificateModel>> {
  if (!result.ok) return result;
  const [certificate] = await findCertificatesByIds(ctx.db, [result.value]);
  return { ok: true, value: certificate! };
}

/** `certificateRevoke`: an admin of the holder withdraws a certificate, once. */
export async function revokeCertificate(ctx: RecognitionContext, input: unknown): Promise<Result<CertificateModel>> {
  const subject = requireRoles(ctx.viewer, CERTIFICATE_ADMIN_ROLES, 'revoke certificates');
  const parsed = parseInput(revokeInput, input);
  if (!parsed.ok) return parsed;
  const revoked = await inTransaction(ctx, async (tx) => {
    const certificate = await lockAdministered(tx, ctx.viewer, parsed.value.certificate.toLowerCase());
    if (!(await insertRevocation(tx, { certificateId: certificate.id, reason: parsed.value.reason, revokedBy: subject })))
      refuse(['input', 'certificate'], 'INVALID_STATE', 'The certificate has been revoked already.');
    return certificate.id;
  });
  return certificateNow(ctx, revoked);
}

/** `certificateReviewClear`: an admin of the holder clears every open review flag of a certificate that stands. */
export async function clearCertificateReview(ctx: RecognitionContext, input: unknown): Promise<Result<CertificateModel>> {
  const subject = requireRoles(ctx.viewer, CERTIFICATE_ADMIN_ROLES, 'clear certificate reviews');
  const parsed = parseInput(clearInput, input);
  if (!parsed.ok) return parsed;
  const cleared = await inTransaction(ctx, async (tx) => {
    const certificate = await lockAdministered(tx, ctx.viewer, parsed.value.certificate.toLowerCase());
    if (await isRevoked(tx, certificate.id)) refuse(['input', 'certificate'], 'INVALID_STATE', 'The certificate has been revoked.');
    const flags = await findOpenFlagIds(tx, certificate.id);
    if (flags.length === 0) refuse(['input', 'certificate'], 'INVALID_STATE', 'The certificate is not under review.');
    await insertClearances(tx, flags, { note: parsed.value.note, clearedBy: subject });
    return certificate.id;
  });
  return certificateNow(ctx, cleared);
}

// Reading
// -------

/**
 * `certificateVerify`: the certificate whose number and code both match, for
 * anyone; null otherwise, the same whichever is wrong. The code is compared
 * in constant time, so how long the answer takes says nothing either.
 */
export async function verifyCertificate(ctx: RecognitionContext, args: { number: string; code: string }): Promise<CertificateModel | null> {
  const number = args.number.trim().toUpperCase();
  const code = args.code.trim().toUpperCase();
  if (!NUMBER_PATTERN.test(number)) throw new BadInputError('number is not a certificate number (LX-<year>-<serial>).', 'number');
  if (!CODE_PATTERN.test(code)) throw new BadInputError(`code is not a verification code (${CODE_LENGTH} characters).`, 'code');
  const certificate = await findCertificateByNumber(ctx.db, number);
  const expected = Buffer.from(certificate?.code ?? CODE_ALPHABET.slice(0, CODE_LENGTH));
  const matches = timingSafeEqual(expected, Buffer.from(code)) && certificate !== null;
  return matches ? certificate : null;
}

/** `certificate(id)`: the holder's and their admins'; FORBIDDEN to anyone else, and for an id naming none (null to a platform admin). */
export async function certificateOf(ctx: RecognitionContext, id: string): Promise<CertificateModel | null> {
  requireSignedIn(ctx.viewer, 'see certificates');
  if (!isUuid(id)) throw new BadInputError('id is not a certificate id.', 'id');
  const certificate = await ctx.loaders.certificateById.load(id.toLowerCase());
  if (certificate && (await seesCertificate(ctx, certificate))) return certificate;
  if (isPlatformAdmin(ctx.viewer)) return null;
  throw new ForbiddenError('There is no such certificate, or you may not see it.');
}

/**
 * The honour certificate a campaign or competition issued to a subject under
 * a title, for those who may read it (`seesCertificate`); null for anyone
 * else, and before it is issued.
 */
export async function honourCertificateOf(
  ctx: RecognitionContext,
  honour: { sourceId: string; subjectKind: CertificateRow['subjectKind']; subjectId: string; title: string },
): Promise<CertificateModel | null> {
  if (ctx.viewer.subject === null) return null;
  const issued = (await ctx.loaders.certificatesOfSource.load(honour.sourceId)).find(
    (certificate) => certificate.subjectKind === honour.subjectKind && certificate.subjectId === honour.subjectId && certificate.title === honour.title,
  );
  return issued && (await seesCertificate(ctx, issued)) ? issued : null;
}

/** `Person.certificates`: for the person and the admins of where they live; null for anyone else. */
export async function certificatesOfPerson(ctx: RecognitionContext, personId: string): Promise<CertificateModel[] | null> {
  const viewer = ctx.viewer;
  if (viewer.subject === null) return null;
  if (viewer.personId !== personId && !(await readerAdministers(ctx, personId))) return null;
  return ctx.loaders.certificatesOfPerson.load(personId);
}

/** An application for `CertificateApplication`'s references and `Certificate.application`: whoever sees the certificate sees what it answered. */
export const applicationOf = (ctx: RecognitionContext, id: string | null): Promise<CertificateApplicationModel | null> =>
  id === null ? Promise.resolve(null) : ctx.loaders.certificateApplicationById.load(id);

const STATUSES: Record<string, CertificateApplicationState> = { pending: 'pending', accepted: 'accepted', refused: 'refused' };

/** `certificateApplications`: the viewer's own, and (for admins) those of the volunteers living in their regions, newest first. */
export async function applicationsOf(
  ctx: RecognitionContext,
  args: { status?: string | null; first?: number | null; after?: string | null },
): Promise<Connection<CertificateApplicationModel>> {
  requireSignedIn(ctx.viewer, 'see certificate applications');
  const page = readPage(args, ['timestamp', 'uuid']);
  const status = args.status ? (STATUSES[args.status] ?? null) : null;
  const rows = await findApplicationPage(ctx.db, { visible: visibility(ctx.viewer), status }, page);
  return toConnection(rows, page, (row) => [row.appliedAt.toISOString(), row.id]);
}

/** `certificatesUnderReview`: for admins, the certificates of the people living in their regions (platform admins all). */
export async function underReviewOf(ctx: RecognitionContext, args: { first?: number | null; after?: string | null }): Promise<Connection<CertificateModel>> {
  requireRoles(ctx.viewer, CERTIFICATE_ADMIN_ROLES, 'see certificates under review');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findUnderReviewPage(ctx.db, visibility(ctx.viewer), page);
  return toConnection(rows, page, (row) => [row.flaggedAt!.toISOString(), row.id]);
}

/** Whose rows a list shows the viewer: everyone's to a platform admin, else their own and, for an admin, those of the people living in their regions. */
function visibility(viewer: Viewer): Visibility {
  if (isPlatformAdmin(viewer)) return { everyone: true };
  return { everyone: false, personId: viewer.personId, regionIds: hasRole(viewer, ...CERTIFICATE_ADMIN_ROLES) ? viewer.regionIds : [] };
}
