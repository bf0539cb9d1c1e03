/**
 * The request's access log. Each unmasked read of someone else's data is
 * queued here, and the field's value is released only once its entry is
 * written; entries of one batch (a whole list of persons) go to the
 * database in one INSERT, one row per subject with every field read.
 */
import { DataLoader, isUuid, type BaseContext, type Database, type WaveScheduler } from '@lianxin/shared';
import { insertAccesses, type NewAccess } from './store.js';

/** Personal data whose unmasked reads are logged; the values of the `PersonalDataField` enum, lower case. */
export const PERSONAL_DATA_FIELDS = ['id_number', 'phone', 'birth_date', 'home_unit', 'hardship_level', 'special_needs'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

export interface AccessRead {
  subject: { kind: 'person' | 'household'; id: string };
  field: PersonalDataField;
}

export type AccessLogWriter = DataLoader<AccessRead, true, string>;

export function createAccessLogWriter(db: Database, base: BaseContext, waves: WaveScheduler): AccessLogWriter {
  return new DataLoader<AccessRead, true, string>(
    async (reads) => {
      const bySubject = new Map<string, { subject: AccessRead['subject']; fields: Set<PersonalDataField> }>();
      for (const read of reads) {
        const key = `${read.subject.kind}:${read.subject.id}`;
        const entry = bySubject.get(key) ?? { subject: read.subject, fields: new Set<PersonalDataField>() };
        entry.fields.add(read.field);
        bySubject.set(key, entry);
      }
      const rows: NewAccess[] = [...bySubject.values()].map(({ subject, fields }) => ({
        // Only signed-in viewers ever see unmasked data, so a subject is always there.
        viewerSubject: base.viewer.subject ?? 'unknown',
        viewerPersonId: base.viewer.personId !== null && isUuid(base.viewer.personId) ? base.viewer.personId : null,
        subjectPersonId: subject.kind === 'person' ? subject.id : null,
        subjectHouseholdId: subject.kind === 'household' ? subject.id : null,
        fields: PERSONAL_DATA_FIELDS.filter((field) => fields.has(field)),
        traceId: base.traceId,
      }));
      await waves.track(insertAccesses(db, rows));
      return reads.map(() => true as const);
    },
    {
      // The same read twice in one request is logged once.
      cacheKeyFn: (read) => `${read.subject.kind}:${read.subject.id}:${read.field}`,
      batchScheduleFn: (dispatch) => waves.schedule(dispatch),
    },
  );
}
