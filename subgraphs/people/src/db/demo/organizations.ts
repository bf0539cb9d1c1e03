/** The demo's organisations, each with a contact person from the cast. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS, demoRegionId } from '@lianxin/shared/demo';
import { organizations } from '../schema.js';
import { demoPhone, everyone } from './cast.js';

export async function seedOrganizations(tx: Transaction): Promise<void> {
  const cast = everyone();
  await tx
    .insert(organizations)
    .values(
      DEMO_ORGANIZATIONS.map((organization, index) => ({
        ...organization,
        regionId: demoRegionId(organization.region),
        contactName: cast[index + 20]!.name,
        contactPhone: demoPhone(900 + index),
      })),
    )
    .onConflictDoNothing();
}
