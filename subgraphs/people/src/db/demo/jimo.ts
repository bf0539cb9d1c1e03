/**
 * The Jimo caseload (即墨区): 朝阳社区's regions, a volunteer, and the twelve
 * special-needs households she is the caretaker of (包干), the cap's default.
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_JIMO_HOUSEHOLDS, DEMO_JIMO_REGIONS, DEMO_JIMO_VOLUNTEER, type DemoPerson } from '@lianxin/shared/demo';
import { idNumberLookup, sealIdNumber } from '../../privacy/crypto.js';
import { maskIdNumber } from '../../privacy/masks.js';
import type { PeopleSettings } from '../../settings.js';
import { householdMembers, households, persons, regions, volunteerProfiles } from '../schema.js';
import { DEMO_START, demoIdNumber, demoPhone } from './cast.js';

/** Places in the person index past the rest of the cast, so ID numbers and phones stay unique. */
const INDEX_BASE = 700;
const regionId = (key: keyof typeof DEMO_JIMO_REGIONS): string => DEMO_JIMO_REGIONS[key].id;

function personRow(person: DemoPerson, index: number, settings: PeopleSettings) {
  const idNumber = demoIdNumber(INDEX_BASE + index, person);
  return {
    id: person.id,
    name: person.name,
    homeRegionId: regionId(person.home as keyof typeof DEMO_JIMO_REGIONS),
    registeredAt: new Date(DEMO_START + (INDEX_BASE + index) * 60_000),
    phone: demoPhone(INDEX_BASE + index),
    idNumberSealed: sealIdNumber(settings.dataKey, person.id, idNumber),
    idNumberLookup: idNumberLookup(settings.lookupKey, idNumber),
    idNumberMasked: maskIdNumber(idNumber),
    gender: person.gender,
    birthDate: person.born,
    homeUnit: DEMO_JIMO_HOUSEHOLDS.find((household) => household.resident.id === person.id)?.unit ?? '1单元101',
    registeredBy: 'demo',
  };
}

export async function seedJimoCaseload(tx: Transaction, settings: PeopleSettings): Promise<void> {
  // Parents before children, for the foreign keys and the path trigger.
  for (const region of Object.values(DEMO_JIMO_REGIONS)) {
    await tx
      .insert(regions)
      .values({ id: region.id, parentId: region.parent ? regionId(region.parent) : null, kind: region.kind, name: region.name, code: region.code })
      .onConflictDoNothing();
  }
  const people = [DEMO_JIMO_VOLUNTEER, ...DEMO_JIMO_HOUSEHOLDS.map((household) => household.resident)];
  await tx
    .insert(persons)
    .values(people.map((person, index) => personRow(person, index, settings)))
    .onConflictDoNothing();
  await tx
    .insert(volunteerProfiles)
    .values({ personId: DEMO_JIMO_VOLUNTEER.id, skills: ['助老服务', '代购代办', '陪伴聊天'], partyMember: true, status: 'active', registeredAt: new Date(DEMO_START) })
    .onConflictDoNothing();
  await tx
    .insert(households)
    .values(
      DEMO_JIMO_HOUSEHOLDS.map((household, index) => ({
        id: household.id,
        addressRegionId: regionId(household.address),
        unit: household.unit,
        hardshipLevel: household.hardship,
        specialNeeds: household.needs,
        consents: ['contact_by_volunteers' as const, 'home_visits' as const],
        caretakerId: DEMO_JIMO_VOLUNTEER.id,
        registeredAt: new Date(DEMO_START + (INDEX_BASE + index) * 600_000),
        registeredBy: 'demo',
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(householdMembers)
    .values(DEMO_JIMO_HOUSEHOLDS.map((household) => ({ householdId: household.id, personId: household.resident.id, relation: 'head' as const, joinedAt: new Date(DEMO_START) })))
    .onConflictDoNothing();
}
