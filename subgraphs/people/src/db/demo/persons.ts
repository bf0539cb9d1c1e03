/** The demo's persons, with sealed synthetic ID numbers, and the volunteer profiles of its volunteers. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_VOLUNTEERS, demoRegionId, type DemoTeamKey } from '@lianxin/shared/demo';
import { idNumberLookup, sealIdNumber } from '../../privacy/crypto.js';
import { maskIdNumber } from '../../privacy/masks.js';
import type { PeopleSettings } from '../../settings.js';
import { persons, volunteerProfiles } from '../schema.js';
import { DEMO_START, demoIdNumber, demoPhone, everyone } from './cast.js';

const SKILLS: Record<DemoTeamKey, string[]> = {
  lexiujiang: ['水电维修', '家电维修', '管道疏通'],
  qiseguang: ['陪伴聊天', '代购代办', '助老服务'],
  jiankang: ['健康咨询', '慢病随访', '康复指导'],
  shangshan: ['课业辅导', '看护儿童', '手工'],
};

export async function seedPersons(tx: Transaction, settings: PeopleSettings): Promise<void> {
  const unitOf = new Map(DEMO_HOUSEHOLDS.flatMap((household) => household.members.map((member) => [member.personId, household.unit] as const)));
  // Registration times a minute apart keep the demo's listing order stable.
  await tx
    .insert(persons)
    .values(
      everyone().map((person, index) => {
        const idNumber = demoIdNumber(index, person);
        return {
          id: person.id,
          name: person.name,
          homeRegionId: demoRegionId(person.home),
          registeredAt: new Date(DEMO_START + index * 60_000),
          phone: demoPhone(index),
          idNumberSealed: sealIdNumber(settings.dataKey, person.id, idNumber),
          idNumberLookup: idNumberLookup(settings.lookupKey, idNumber),
          idNumberMasked: maskIdNumber(idNumber),
          gender: person.gender,
          birthDate: person.born,
          homeUnit: unitOf.get(person.id) ?? `${(index % 3) + 1}单元${(index % 6) + 1}0${(index % 4) + 1}`,
          registeredBy: 'demo',
        };
      }),
    )
    .onConflictDoNothing();
}

export async function seedVolunteerProfiles(tx: Transaction): Promise<void> {
  const volunteers: { id: string; team: DemoTeamKey }[] = [...DEMO_VOLUNTEERS.map((volunteer) => ({ id: volunteer.id, team: 'lexiujiang' as const })), ...DEMO_MORE_VOLUNTEERS];
  await tx
    .insert(volunteerProfiles)
    .values(
      volunteers.map((volunteer, index) => ({
        personId: volunteer.id,
        skills: SKILLS[volunteer.team].filter((_, k) => (index + k) % 3 !== 2),
        partyMember: index % 3 === 0,
        // A few take a break or have left, so every status appears.
        status: index % 29 === 7 ? ('paused' as const) : index % 31 === 11 ? ('left' as const) : ('active' as const),
        registeredAt: new Date(DEMO_START + index * 3_600_000),
      })),
    )
    .onConflictDoNothing();
}
