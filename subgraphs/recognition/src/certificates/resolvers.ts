/** GraphQL resolvers for certificates; thin, they hand over to the service. */
import { hoursOf, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  applicationOf,
  applicationsOf,
  applyForCertificate,
  certificateOf,
  certificatesOfPerson,
  clearCertificateReview,
  decideApplication,
  revokeCertificate,
  underReviewOf,
  verifyCertificate,
} from './service.js';

const hoursOrNull = (minutes: number | null): number | null => (minutes === null ? null : hoursOf(minutes));

export const certificateResolvers: Resolvers = {
  Query: {
    certificateVerify: (_parent, args, ctx) => verifyCertificate(ctx, args),
    certificate: (_parent, { id }, ctx) => certificateOf(ctx, id),
    certificateApplications: (_parent, args, ctx) => applicationsOf(ctx, args),
    certificatesUnderReview: (_parent, args, ctx) => underReviewOf(ctx, args),
  },
  Mutation: {
    certificateApply: async (_parent, { input }, ctx) => toPayload('application', await applyForCertificate(ctx, input)),
    certificateApplicationDecide: async (_parent, { input }, ctx) => toPayload('application', await decideApplication(ctx, input)),
    certificateRevoke: async (_parent, { input }, ctx) => toPayload('certificate', await revokeCertificate(ctx, input)),
    certificateReviewClear: async (_parent, { input }, ctx) => toPayload('certificate', await clearCertificateReview(ctx, input)),
  },
  Person: {
    certificates: (person, _args, ctx) => certificatesOfPerson(ctx, person.id),
  },
  Certificate: {
    __resolveReference: (reference, ctx) => certificateOf(ctx, reference.id),
    holder: (certificate) => (certificate.subjectKind === 'person' ? { id: certificate.subjectId } : null),
    hours: (certificate) => hoursOrNull(certificate.minutes),
    categories: (certificate) => (certificate.content?.categories ?? []).map((line) => ({ key: line.code, minutes: line.minutes, services: line.services })),
    activities: (certificate) => (certificate.content?.activities ?? []).map((line) => ({ key: line.activityId, minutes: line.minutes, services: line.services })),
    application: (certificate, _args, ctx) => applicationOf(ctx, certificate.applicationId),
  },
  CertificateVerification: {
    hours: (certificate) => hoursOrNull(certificate.minutes),
  },
  CertificateCategoryLine: {
    category: (line) => line.key,
    hours: (line) => hoursOf(line.minutes),
  },
  CertificateActivityLine: {
    activity: (line) => ({ id: line.key }),
    hours: (line) => hoursOf(line.minutes),
  },
  CertificateApplication: {
    volunteer: (application) => ({ id: application.volunteerId }),
    from: (application) => application.periodFrom,
    to: (application) => application.periodTo,
    certificate: (application, _args, ctx) => (application.certificateId === null ? null : ctx.loaders.certificateById.load(application.certificateId)),
  },
};
