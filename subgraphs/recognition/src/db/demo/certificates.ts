/**
 * The demo's certificates (docs/recognition.md, "Certificates"): the masked
 * display names people would have announced for the demo's persons (the demo
 * seeds persons in every subgraph rather than announcing them), and a
 * pending application for a service-record certificate, for an admin of
 * 兴乐社区 to decide. Service-record certificates are not seeded: their
 * figures are frozen from the service facts when issued, and the demo's
 * facts arrive as events after the seeds run.
 */
import { maskName, type Transaction } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLD_RESIDENTS, DEMO_LAST_YEAR, DEMO_MORE_VOLUNTEERS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { certificateApplications, personDisplayNames } from '../schema.js';

export const DEMO_PENDING_APPLICATION_ID = demoId(73, 3);

export async function seedCertificates(tx: Transaction): Promise<void> {
  const persons = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
  await tx
    .insert(personDisplayNames)
    .values(persons.map((person) => ({ personId: person.id, displayName: maskName(person.name) })))
    .onConflictDoNothing();
  await tx
    .insert(certificateApplications)
    .values({
      id: DEMO_PENDING_APPLICATION_ID,
      volunteerId: DEMO_VOLUNTEERS[1]!.id,
      periodFrom: `${DEMO_LAST_YEAR}-01-01`,
      periodTo: `${DEMO_LAST_YEAR}-12-31`,
      purpose: '大学志愿服务经历证明',
      appliedBy: DEMO_VOLUNTEERS[1]!.id,
    })
    .onConflictDoNothing();
}
