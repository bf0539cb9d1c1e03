/** What certificate resolvers receive: rows with the status worked out from the rows beside them (revocations, review flags, decisions). */
import type { CertificateApplicationRow, CertificateRow } from '../db/schema.js';

/** A certificate's status: revoked wins over a review, which is open while any flag is not cleared. */
export type CertificateState = 'valid' | 'revoked' | 'under_review';

/** A certificate as read: the row as issued, and its state. */
export interface CertificateModel extends CertificateRow {
  status: CertificateState;
  revokedAt: Date | null;
  revocationReason: string | null;
  /** When its oldest open review flag was raised; null when none is open. */
  flaggedAt: Date | null;
}

/** An application's state: pending until its one decision. */
export type CertificateApplicationState = 'pending' | 'accepted' | 'refused';

/** An application as read: the row, and its decision if any. */
export interface CertificateApplicationModel extends CertificateApplicationRow {
  status: CertificateApplicationState;
  refusalReason: string | null;
  decidedAt: Date | null;
  certificateId: string | null;
}

/** A content line of a service-record certificate: a category's code or an activity's id, with its figures. */
export interface CertificateLineModel {
  key: string;
  minutes: number;
  services: number;
}
