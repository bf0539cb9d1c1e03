/**
 * The people seed's reading of the shared demo cast: everyone in the order
 * they are registered, the instant the demo's registrations start, and the
 * synthetic phones and ID numbers derived from each person's place in it.
 */
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLD_RESIDENTS, DEMO_MORE_VOLUNTEERS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoTime, type DemoPerson } from '@lianxin/shared/demo';
import { idNumberCheckCharacter } from '../../persons/id-number.js';

/** Gender and birth of the seed's first cast, who predate these columns in the shared cast. */
const FIRST_CAST: Record<string, Pick<DemoPerson, 'gender' | 'born'>> = {
  王建国: { gender: 'male', born: '1956-03-12' },
  张秀英: { gender: 'female', born: '1960-07-01' },
  刘志强: { gender: 'male', born: '1958-11-23' },
  陈桂兰: { gender: 'female', born: '1962-02-14' },
  杨明: { gender: 'male', born: '1975-05-30' },
  赵磊: { gender: 'male', born: '1983-09-09' },
  黄伟: { gender: 'male', born: '1979-12-02' },
  周静: { gender: 'female', born: '1988-04-18' },
  吴强: { gender: 'male', born: '1966-08-08' },
  徐丽: { gender: 'female', born: '1971-10-10' },
  孙海: { gender: 'male', born: '1969-01-21' },
  马军: { gender: 'male', born: '1963-06-16' },
  刘桂芳: { gender: 'female', born: '1941-09-03' },
  何德顺: { gender: 'male', born: '1958-12-20' },
  郑小红: { gender: 'female', born: '1985-03-08' },
  林晓: { gender: 'female', born: '1988-11-11' },
};

/** Every person of the cast, in registration order: the first cast, then the volunteers, residents and grid workers added since. */
export function everyone(): DemoPerson[] {
  const firstCast = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF].map((person) => ({
    id: person.id,
    name: person.name,
    home: person.home,
    ...(FIRST_CAST[person.name] ?? { gender: 'male' as const, born: '1970-01-01' }),
  }));
  return [...firstCast, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
}

/**
 * The first registration (10 January of the stories' year, 09:00 in Beijing,
 * moved relative to today: see `demoTime`), as milliseconds. The seed's
 * instants step from it a minute, ten minutes, an hour or a day apart, which
 * keeps the demo's listing order stable.
 */
export const DEMO_START = demoTime(Date.UTC(2022, 0, 10, 1, 0, 0)).getTime();

/** A checksum-valid synthetic ID number: Xincheng's region code, the birth date, a sequence of the right parity. */
export function demoIdNumber(index: number, person: Pick<DemoPerson, 'gender' | 'born'>): string {
  const sequence = (index * 2 + (person.gender === 'male' ? 1 : 0)) % 1000;
  const first17 = `610102${person.born.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** A valid-looking, unique mobile number. */
export function demoPhone(index: number): string {
  return `1${['38', '39', '58', '86', '35'][index % 5]}0029${String(index).padStart(4, '0')}`;
}
