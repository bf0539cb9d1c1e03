/**
 * The demo cast: the places and people of the seed article (Xi'an, Xincheng
 * district, Xiyilu street, Xingle community and its 乐修匠 repair team), with
 * fixed ids so each subgraph can load its own part of the demo and the parts
 * meet through the graph. Personal data here is synthetic.
 */

/*
 * When the stories happen. They are written on the calendar of 2022 (Beijing
 * wall-clock time) and told as if that story's "today", 3 December 2022, were
 * the day the demo data is loaded: every moment moves by the same whole
 * number of days, so the last stories (a call button pressed, a sensor gone
 * silent) happened the days before, the planned activity day is ahead, and a
 * dashboard's "this month" or "this year" has data. Whole days keep each
 * moment's time of day and the order of everything. Each subgraph seeds its
 * own part; they agree because they read the same day. `DEMO_TODAY`
 * (YYYY-MM-DD) names that day instead, so that processes started around
 * midnight (a test run's workers) agree.
 */
const STORY_TODAY = Date.UTC(2022, 11, 3);
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Days from the story's today to `now`'s date in Beijing. */
export function demoShiftDays(now: number = Date.now()): number {
  const beijingNow = new Date(now + BEIJING_OFFSET_MS);
  return Math.round((Date.UTC(beijingNow.getUTCFullYear(), beijingNow.getUTCMonth(), beijingNow.getUTCDate()) - STORY_TODAY) / DAY_MS);
}

/** The day the demo data is loaded: DEMO_TODAY when set, else today in Beijing; as an instant on that day. */
function loadingDay(): number {
  const pinned = process.env['DEMO_TODAY'];
  if (pinned === undefined || pinned === '') return Date.now();
  const noon = /^\d{4}-\d{2}-\d{2}$/.test(pinned) ? Date.parse(`${pinned}T12:00:00+08:00`) : Number.NaN;
  if (Number.isNaN(noon)) throw new Error(`DEMO_TODAY must be a date like 2026-12-05, not ${JSON.stringify(pinned)}`);
  return noon;
}

/** Days the stories move, fixed when this process loads the demo cast so every row it seeds moves alike. */
export const DEMO_SHIFT_DAYS = demoShiftDays(loadingDay());

/** The Beijing calendar year before the loading day's: the last year a bank can have closed (Yanjiang's, below). */
export const DEMO_LAST_YEAR = new Date(loadingDay() + BEIJING_OFFSET_MS).getUTCFullYear() - 1;
const SHIFT_MS = DEMO_SHIFT_DAYS * DAY_MS;

/** A moment of the stories, written as a UTC instant in 2022, moved to its place relative to today. */
export const demoTime = (storyUtc: number): Date => new Date(storyUtc + SHIFT_MS);

/** A moment of the stories as Beijing wall-clock time in 2022 (how the community would tell it), moved relative to today. */
export const demoBeijing = (month: number, day: number, hour: number, minute = 0): Date => demoTime(Date.UTC(2022, month - 1, day, hour - 8, minute));

/** Builds a fixed, valid UUIDv7-shaped id from a group and a number. */
const id = (group: number, n: number): string => `00000000-0000-7000-8${group.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

export const DEMO_REGIONS = {
  shaanxi: { id: id(1, 1), name: '陕西省', kind: 'province', code: '610000', parent: null },
  xian: { id: id(1, 2), name: '西安市', kind: 'city', code: '610100', parent: 'shaanxi' },
  xincheng: { id: id(1, 3), name: '新城区', kind: 'district', code: '610102', parent: 'xian' },
  xiyilu: { id: id(1, 4), name: '西一路街道', kind: 'street', code: '610102001', parent: 'xincheng' },
  xingle: { id: id(1, 5), name: '兴乐社区', kind: 'community', code: '610102001001', parent: 'xiyilu' },
  xingleCompoundEast: { id: id(1, 6), name: '兴乐东院', kind: 'compound', code: null, parent: 'xingle' },
  xingleCompoundWest: { id: id(1, 7), name: '兴乐西院', kind: 'compound', code: null, parent: 'xingle' },
  eastBuilding1: { id: id(1, 8), name: '东院1号楼', kind: 'building', code: null, parent: 'xingleCompoundEast' },
  eastBuilding2: { id: id(1, 9), name: '东院2号楼', kind: 'building', code: null, parent: 'xingleCompoundEast' },
  westBuilding1: { id: id(1, 10), name: '西院1号楼', kind: 'building', code: null, parent: 'xingleCompoundWest' },
} as const;

export type DemoRegionKey = keyof typeof DEMO_REGIONS;

/** Volunteers of the 乐修匠 repair team (synthetic names), the first one its captain. */
const volunteerNames = ['王建国', '张秀英', '刘志强', '陈桂兰', '杨明', '赵磊', '黄伟', '周静', '吴强', '徐丽', '孙海', '马军'];
const volunteerHomes: DemoRegionKey[] = ['eastBuilding1', 'eastBuilding2', 'westBuilding1'];

export const DEMO_VOLUNTEERS = volunteerNames.map((name, index) => ({
  id: id(2, index + 1),
  name,
  home: volunteerHomes[index % volunteerHomes.length] as DemoRegionKey,
}));

/** Residents who order help: an elder living alone, a low-income family, an ordinary one. */
export const DEMO_RESIDENTS = [
  { id: id(3, 1), name: '刘桂芳', home: 'eastBuilding1' as DemoRegionKey },
  { id: id(3, 2), name: '何德顺', home: 'westBuilding1' as DemoRegionKey },
  { id: id(3, 3), name: '郑小红', home: 'eastBuilding2' as DemoRegionKey },
];

/** Staff who act for the community. */
export const DEMO_STAFF = [{ id: id(4, 1), name: '林晓', home: 'xingle' as DemoRegionKey, role: 'community_admin' as const }];

export const DEMO_TEAM = { id: id(5, 1), name: '乐修匠服务队', community: 'xingle' as DemoRegionKey };

/** The person the start banner's sample query and token are about. */
export const DEMO_SAMPLE_PERSON_ID = DEMO_VOLUNTEERS[0]!.id;

/** Fixed ids for rows other subgraphs own. */
export const demoId = id;

/*
 * The wider Xincheng cast (docs/domain.md#places-and-people): three streets, four communities with
 * compounds and buildings, the practice network, grids, organisations, the
 * teams named in the seed article, about 100 volunteers and 50 households.
 * Fixed ids in groups 40–49. Every name, birth date and address is synthetic.
 */

export interface DemoRegion {
  id: string;
  name: string;
  kind: 'street' | 'community' | 'village' | 'compound' | 'building';
  code: string | null;
  /** Key of the parent in DEMO_REGIONS or DEMO_XINCHENG_REGIONS. */
  parent: string;
}

const region = (n: number, name: string, kind: DemoRegion['kind'], code: string | null, parent: string): DemoRegion => ({
  id: id(40, n),
  name,
  kind,
  code,
  parent,
});

/** Regions added to the seed's tree, parents before children. */
export const DEMO_XINCHENG_REGIONS: Record<string, DemoRegion> = {
  changleZhonglu: region(1, '长乐中路街道', 'street', '610102002', 'xincheng'),
  ziqianglu: region(2, '自强路街道', 'street', '610102003', 'xincheng'),
  ziming: region(3, '紫铭社区', 'community', '610102002001', 'changleZhonglu'),
  xiangyang: region(4, '向阳社区', 'community', '610102002002', 'changleZhonglu'),
  xiangrong: region(5, '向荣社区', 'community', '610102003001', 'ziqianglu'),
  xingleCompoundNorth: region(6, '兴乐北院', 'compound', null, 'xingle'),
  zimingGarden: region(7, '紫铭花园', 'compound', null, 'ziming'),
  zimingNorth: region(8, '紫铭北苑', 'compound', null, 'ziming'),
  xiangyangCompound: region(9, '向阳小区', 'compound', null, 'xiangyang'),
  xiangrongCompound: region(10, '向荣小区', 'compound', null, 'xiangrong'),
  northBuilding1: region(11, '北院1号楼', 'building', null, 'xingleCompoundNorth'),
  zimingBuilding1: region(12, '紫铭花园1号楼', 'building', null, 'zimingGarden'),
  zimingBuilding2: region(13, '紫铭花园2号楼', 'building', null, 'zimingGarden'),
  zimingNorthBuilding1: region(14, '紫铭北苑1号楼', 'building', null, 'zimingNorth'),
  xiangyangBuilding1: region(15, '向阳小区1号楼', 'building', null, 'xiangyangCompound'),
  xiangyangBuilding2: region(16, '向阳小区2号楼', 'building', null, 'xiangyangCompound'),
  xiangrongBuilding1: region(17, '向荣小区1号楼', 'building', null, 'xiangrongCompound'),
  xiangrongBuilding2: region(18, '向荣小区2号楼', 'building', null, 'xiangrongCompound'),
  /** A village on the district's edge whose savings office is paired with Xingle's (城乡结对); its rows are in group 27. */
  baotai: { id: id(27, 1), name: '宝台村', kind: 'village', code: null, parent: 'ziqianglu' },
};

/** Buildings of each community, where its volunteers and households live. */
const BUILDINGS_OF = {
  xingle: ['eastBuilding1', 'eastBuilding2', 'westBuilding1', 'northBuilding1'],
  ziming: ['zimingBuilding1', 'zimingBuilding2', 'zimingNorthBuilding1'],
  xiangyang: ['xiangyangBuilding1', 'xiangyangBuilding2'],
  xiangrong: ['xiangrongBuilding1', 'xiangrongBuilding2'],
} as const;
type DemoCommunity = keyof typeof BUILDINGS_OF;

/** Id of a region of any of the tables by key. */
export function demoRegionId(key: string): string {
  const found = (DEMO_REGIONS as Record<string, { id: string }>)[key] ?? DEMO_XINCHENG_REGIONS[key] ?? DEMO_YANJIANG_REGIONS[key];
  if (!found) throw new Error(`no demo region ${key}`);
  return found.id;
}

export interface DemoPerson {
  id: string;
  name: string;
  /** Key of the home building. */
  home: string;
  gender: 'male' | 'female';
  /** `YYYY-MM-DD`. */
  born: string;
}

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const MALE_NAMES = ['志刚', '建华', '国强', '文斌', '海涛', '永明', '德胜', '振华', '俊杰', '子轩', '浩然', '宇航', '春生', '立新', '保国', '庆丰', '明远', '嘉伟', '晨阳', '博文'];
const FEMALE_NAMES = [
  '秀兰',
  '玉梅',
  '丽华',
  '淑珍',
  '美玲',
  '晓燕',
  '雅琴',
  '慧敏',
  '静怡',
  '欣悦',
  '梓涵',
  '思雨',
  '凤英',
  '桂香',
  '春梅',
  '红霞',
  '佳琪',
  '雨桐',
  '翠萍',
  '海燕',
];

/** A synthetic name, unique for n < 400; even n male, odd n female. */
function syntheticName(n: number): { name: string; gender: DemoPerson['gender'] } {
  const given = n % 2 === 0 ? MALE_NAMES : FEMALE_NAMES;
  return { name: `${SURNAMES[n % 20]}${given[Math.floor(n / 20) % 20]}`, gender: n % 2 === 0 ? 'male' : 'female' };
}

const pad = (value: number): string => String(value).padStart(2, '0');
const bornIn = (year: number, n: number): string => `${year}-${pad((n % 12) + 1)}-${pad((n % 28) + 1)}`;

export const DEMO_MORE_TEAMS = {
  qiseguang: { id: id(44, 1), name: '七色光志愿服务队', community: 'ziming' as DemoCommunity, kind: 'special_needs' as const },
  jiankang: { id: id(44, 2), name: '健康有约青年志愿服务队', community: 'xiangyang' as DemoCommunity, kind: 'health' as const },
  shangshan: { id: id(44, 3), name: '尚善学苑家长帮帮团', community: 'xingle' as DemoCommunity, kind: 'parents_help' as const },
};
export type DemoTeamKey = keyof typeof DEMO_MORE_TEAMS | 'lexiujiang';

/** How many new volunteers each team gets, and where they live. */
const TEAM_RECRUITS: [DemoTeamKey, DemoCommunity, number][] = [
  ['lexiujiang', 'xingle', 18],
  ['qiseguang', 'ziming', 30],
  ['jiankang', 'xiangyang', 25],
  ['shangshan', 'xingle', 15],
];

/** 88 more volunteers (100 with the 乐修匠 twelve), each in one team; the first of each new team is its captain. */
export const DEMO_MORE_VOLUNTEERS: (DemoPerson & { team: DemoTeamKey })[] = TEAM_RECRUITS.flatMap(([team, community, count], teamIndex) =>
  Array.from({ length: count }, (_, k) => {
    const n = TEAM_RECRUITS.slice(0, teamIndex).reduce((sum, [, , size]) => sum + size, 0) + k;
    const buildings = BUILDINGS_OF[community];
    return {
      id: id(41, n + 1),
      ...syntheticName(n),
      home: buildings[k % buildings.length]!,
      born: bornIn(team === 'jiankang' ? 1990 + (n % 10) : team === 'shangshan' ? 1982 + (n % 8) : 1955 + (n % 30), n),
      team,
    };
  }),
);

export interface DemoHousehold {
  id: string;
  /** Key of the building the household lives in. */
  address: string;
  unit: string;
  hardship: 'ordinary' | 'low_income' | 'special_hardship';
  needs: ('living_alone' | 'elderly' | 'disabled' | 'chronic_illness' | 'home_schooling' | 'quarantined')[];
  members: { personId: string; relation: 'head' | 'spouse' | 'child' | 'grandchild' }[];
}

/** Shapes the 50 households cycle through, so every tag and level appears. */
const HOUSEHOLD_SHAPES: Pick<DemoHousehold, 'hardship' | 'needs'>[] = [
  { hardship: 'special_hardship', needs: ['living_alone', 'elderly'] },
  { hardship: 'low_income', needs: ['disabled'] },
  { hardship: 'ordinary', needs: [] },
  { hardship: 'ordinary', needs: ['elderly', 'chronic_illness'] },
  { hardship: 'low_income', needs: ['elderly', 'living_alone', 'chronic_illness'] },
  { hardship: 'ordinary', needs: ['home_schooling'] },
  { hardship: 'special_hardship', needs: ['disabled', 'chronic_illness'] },
  { hardship: 'ordinary', needs: ['elderly'] },
  { hardship: 'ordinary', needs: [] },
  { hardship: 'low_income', needs: [] },
];

const COMMUNITY_ORDER: DemoCommunity[] = ['xingle', 'ziming', 'xiangyang', 'xiangrong'];

/** Residents of the 47 new households (the other three are the seed's residents). */
export const DEMO_HOUSEHOLD_RESIDENTS: DemoPerson[] = [];

/** 50 households: the seed's three residents head the first three. */
export const DEMO_HOUSEHOLDS: DemoHousehold[] = Array.from({ length: 50 }, (_, h) => {
  const shape = HOUSEHOLD_SHAPES[h % HOUSEHOLD_SHAPES.length]!;
  const community = COMMUNITY_ORDER[h % COMMUNITY_ORDER.length]!;
  const buildings = BUILDINGS_OF[community];
  const seedResident = DEMO_RESIDENTS[h];
  const address = seedResident ? seedResident.home : buildings[Math.floor(h / 4) % buildings.length]!;
  const livingAlone = shape.needs.includes('living_alone');
  const elderly = shape.needs.includes('elderly');
  const size = seedResident ? 1 : livingAlone ? 1 : shape.needs.includes('home_schooling') ? 3 : 2;
  const members: DemoHousehold['members'] = [];
  for (let m = 0; m < size; m += 1) {
    const relation = m === 0 ? 'head' : m === 1 && size === 2 ? 'spouse' : m === 1 ? 'spouse' : 'child';
    if (m === 0 && seedResident) {
      members.push({ personId: seedResident.id, relation: 'head' });
      continue;
    }
    const n = 100 + DEMO_HOUSEHOLD_RESIDENTS.length;
    const headBorn = elderly ? 1938 + (h % 15) : 1970 + (h % 15);
    const resident: DemoPerson = {
      id: id(42, DEMO_HOUSEHOLD_RESIDENTS.length + 1),
      ...syntheticName(n),
      home: address,
      born: bornIn(relation === 'child' ? 2010 + (h % 6) : headBorn + (m === 0 ? 0 : 2), n),
    };
    DEMO_HOUSEHOLD_RESIDENTS.push(resident);
    members.push({ personId: resident.id, relation });
  }
  return { id: id(45, h + 1), address, unit: `${(h % 3) + 1}单元${(h % 6) + 1}0${(h % 4) + 1}`, hardship: shape.hardship, needs: shape.needs, members };
});

/** Grid workers (网格员) and building captains (楼栋长) who are not volunteers above. */
export const DEMO_GRID_WORKERS: DemoPerson[] = (['xingle', 'xingle', 'ziming', 'xiangyang', 'xiangrong'] as DemoCommunity[]).map((community, k) => ({
  id: id(43, k + 1),
  ...syntheticName(300 + k),
  home: BUILDINGS_OF[community][0],
  born: bornIn(1980 + k * 2, 300 + k),
}));

export interface DemoGrid {
  id: string;
  name: string;
  community: string;
  /** Keys of the compounds it covers. */
  coverage: string[];
  workerId: string;
}

export const DEMO_GRIDS: DemoGrid[] = [
  { id: id(46, 1), name: '兴乐社区第一网格', community: 'xingle', coverage: ['xingleCompoundEast'], workerId: DEMO_GRID_WORKERS[0]!.id },
  { id: id(46, 2), name: '兴乐社区第二网格', community: 'xingle', coverage: ['xingleCompoundWest', 'xingleCompoundNorth'], workerId: DEMO_GRID_WORKERS[1]!.id },
  { id: id(46, 3), name: '紫铭社区网格', community: 'ziming', coverage: ['zimingGarden', 'zimingNorth'], workerId: DEMO_GRID_WORKERS[2]!.id },
  { id: id(46, 4), name: '向阳社区网格', community: 'xiangyang', coverage: ['xiangyangCompound'], workerId: DEMO_GRID_WORKERS[3]!.id },
  { id: id(46, 5), name: '向荣社区网格', community: 'xiangrong', coverage: ['xiangrongCompound'], workerId: DEMO_GRID_WORKERS[4]!.id },
];

/** Building captains: retired party members among the volunteers, one per building that has one. */
export const DEMO_BUILDING_CAPTAINS: { building: string; personId: string }[] = [
  { building: 'eastBuilding1', personId: DEMO_VOLUNTEERS[2]!.id },
  { building: 'westBuilding1', personId: DEMO_VOLUNTEERS[4]!.id },
  ...Object.values(BUILDINGS_OF)
    .flat()
    .filter((building) => !['eastBuilding1', 'eastBuilding2', 'westBuilding1'].includes(building))
    .flatMap((building) => {
      const volunteer = DEMO_MORE_VOLUNTEERS.find((candidate) => candidate.home === building && candidate.born < '1965');
      return volunteer ? [{ building, personId: volunteer.id }] : [];
    }),
];

export interface DemoStation {
  id: string;
  name: string;
  kind: 'practice_centre' | 'institute' | 'station';
  region: string;
  /** Index in its own list (DEMO_STATIONS or DEMO_YANJIANG_STATIONS) of the unit above; null for the centre. */
  parent: number | null;
}

/** Xincheng's practice network: the district centre, an institute per street, a station per community. */
export const DEMO_STATIONS: DemoStation[] = [
  { id: id(47, 1), name: '新城区新时代文明实践中心', kind: 'practice_centre', region: 'xincheng', parent: null },
  { id: id(47, 2), name: '西一路街道新时代文明实践所', kind: 'institute', region: 'xiyilu', parent: 0 },
  { id: id(47, 3), name: '长乐中路街道新时代文明实践所', kind: 'institute', region: 'changleZhonglu', parent: 0 },
  { id: id(47, 4), name: '自强路街道新时代文明实践所', kind: 'institute', region: 'ziqianglu', parent: 0 },
  { id: id(47, 5), name: '兴乐社区新时代文明实践站', kind: 'station', region: 'xingle', parent: 1 },
  { id: id(47, 6), name: '紫铭社区新时代文明实践站', kind: 'station', region: 'ziming', parent: 2 },
  { id: id(47, 7), name: '向阳社区新时代文明实践站', kind: 'station', region: 'xiangyang', parent: 2 },
  { id: id(47, 8), name: '向荣社区新时代文明实践站', kind: 'station', region: 'xiangrong', parent: 3 },
  { id: id(27, 2), name: '宝台村新时代文明实践站', kind: 'station', region: 'baotai', parent: 3 },
];

export interface DemoOrganization {
  id: string;
  name: string;
  kind: 'social_organization' | 'school' | 'resident_unit' | 'company' | 'supermarket';
  region: string;
}

/** Organisations; the supermarkets are the love alliance's merchants (points subgraph). */
export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  { id: id(48, 1), name: '尚善学苑', kind: 'social_organization', region: 'xingle' },
  { id: id(48, 2), name: '新城区大康医院', kind: 'resident_unit', region: 'xiangyang' },
  { id: id(48, 3), name: '西一路小学', kind: 'school', region: 'xiyilu' },
  { id: id(48, 4), name: '兴乐幸福超市', kind: 'supermarket', region: 'xingle' },
  { id: id(48, 5), name: '紫铭爱心超市', kind: 'supermarket', region: 'ziming' },
  { id: id(48, 6), name: '长乐物业服务有限公司', kind: 'company', region: 'changleZhonglu' },
  // Yonghui gave ¥200,000 of gifts to volunteers and backs points redemption (seed article, Gulou).
  { id: id(48, 7), name: '永辉超市新城店', kind: 'supermarket', region: 'xincheng' },
  // The village cooperative whose sweet potatoes and paper-cuts the paired Xingle office lists (城乡结对).
  { id: id(27, 3), name: '宝台村农产品专业合作社', kind: 'company', region: 'baotai' },
];

/*
 * A second district: 雁江区 of Ziyang, Sichuan, whose public welfare bank the
 * seed article tells of rating its savings offices every year (9 four-star
 * and 3 five-star offices). Its regions, practice stations and bank (fixed
 * ids in groups 50–52) are here so that each subgraph seeds its part; its
 * offices' figures for the year before the demo's are recognition's
 * (subgraphs/recognition/src/db/demo.ts). Street and community names are
 * synthetic.
 */

export interface DemoYanjiangRegion {
  id: string;
  name: string;
  kind: 'province' | 'city' | 'district' | 'street' | 'community';
  code: string;
  /** Key of the parent in this table; null for the province. */
  parent: string | null;
}

const YANJIANG_STREETS = [
  { key: 'zixi', name: '资溪街道', communities: ['东门社区', '南门社区', '西门社区', '北门社区', '雁城社区'] },
  { key: 'sanxianci', name: '三贤祠街道', communities: ['三贤祠社区', '和平路社区', '建设路社区', '沱江社区', '滨江社区'] },
  { key: 'shizishan', name: '狮子山街道', communities: ['狮子山社区', '迎宾社区', '晨曦社区', '凤岭社区'] },
] as const;

/** 雁江区's regions, parents before children: the province, the city, the district, three streets and fourteen communities. */
export const DEMO_YANJIANG_REGIONS: Record<string, DemoYanjiangRegion> = Object.fromEntries([
  ['sichuan', { id: id(50, 1), name: '四川省', kind: 'province', code: '510000', parent: null }],
  ['ziyang', { id: id(50, 2), name: '资阳市', kind: 'city', code: '512000', parent: 'sichuan' }],
  ['yanjiang', { id: id(50, 3), name: '雁江区', kind: 'district', code: '512002', parent: 'ziyang' }],
  ...YANJIANG_STREETS.map((street, s): [string, DemoYanjiangRegion] => [
    street.key,
    { id: id(50, 0x10 + s), name: street.name, kind: 'street', code: `512002${pad(s + 1).padStart(3, '0')}`, parent: 'yanjiang' },
  ]),
  ...YANJIANG_STREETS.flatMap((street, s) =>
    street.communities.map((name, c): [string, DemoYanjiangRegion] => [
      `${street.key}${c + 1}`,
      { id: id(50, 0x100 + s * 0x10 + c), name, kind: 'community', code: `512002${pad(s + 1).padStart(3, '0')}${pad(c + 1).padStart(3, '0')}`, parent: street.key },
    ]),
  ),
]);

/** Keys of Yanjiang's communities, in order: where its fourteen savings offices and their stations sit. */
export const DEMO_YANJIANG_COMMUNITIES: string[] = Object.entries(DEMO_YANJIANG_REGIONS)
  .filter(([, region]) => region.kind === 'community')
  .map(([key]) => key);

/** Yanjiang's practice network: the district centre, an institute per street, a station per community. */
export const DEMO_YANJIANG_STATIONS: DemoStation[] = [
  { id: id(52, 1), name: '雁江区新时代文明实践中心', kind: 'practice_centre', region: 'yanjiang', parent: null },
  ...YANJIANG_STREETS.map((street, s): DemoStation => ({ id: id(52, 0x10 + s), name: `${street.name}新时代文明实践所`, kind: 'institute', region: street.key, parent: 0 })),
  ...DEMO_YANJIANG_COMMUNITIES.map((key): DemoStation => {
    const region = DEMO_YANJIANG_REGIONS[key]!;
    return {
      id: id(52, 0x100 + DEMO_YANJIANG_COMMUNITIES.indexOf(key)),
      name: `${region.name}新时代文明实践站`,
      kind: 'station',
      region: key,
      parent: 1 + YANJIANG_STREETS.findIndex((street) => street.key === region.parent),
    };
  }),
];

/** A unit of Yanjiang's bank: its id (group 51), name, area (a key of DEMO_YANJIANG_REGIONS) and, for an office, its station. */
export interface DemoYanjiangUnit {
  id: string;
  name: string;
  region: string;
  /** The branch above an office. */
  parent?: string;
  station?: string;
}

/**
 * 雁江区公益银行 on the three tiers: a head bank, a branch per street, a
 * savings office at each community's station. Points opens them (with no
 * demo customers); recognition holds their last year's figures.
 */
export const DEMO_YANJIANG_BANK: { head: DemoYanjiangUnit; branches: DemoYanjiangUnit[]; offices: DemoYanjiangUnit[] } = {
  head: { id: id(51, 1), name: '雁江区公益银行', region: 'yanjiang' },
  branches: YANJIANG_STREETS.map((street, s) => ({ id: id(51, 0x10 + s), name: `${street.name}分行`, region: street.key })),
  offices: DEMO_YANJIANG_COMMUNITIES.map((key, c) => {
    const region = DEMO_YANJIANG_REGIONS[key]!;
    return {
      id: id(51, 0x100 + c),
      name: `${region.name}储蓄所`,
      region: key,
      parent: id(51, 0x10 + YANJIANG_STREETS.findIndex((street) => street.key === region.parent)),
      station: DEMO_YANJIANG_STATIONS.find((station) => station.region === key)!.id,
    };
  }),
};

/*
 * 即墨区 (Qingdao, Shandong): the Jimo model of caseloads (包干), one volunteer
 * of 朝阳社区 looking after twelve special-needs households and filing their
 * needs. Ids in group 80; the subgraphs' rows about them in group 81.
 */
export const DEMO_JIMO_REGIONS = {
  shandong: { id: id(80, 1), name: '山东省', kind: 'province', code: '370000', parent: null },
  qingdao: { id: id(80, 2), name: '青岛市', kind: 'city', code: '370200', parent: 'shandong' },
  jimo: { id: id(80, 3), name: '即墨区', kind: 'district', code: '370215', parent: 'qingdao' },
  tongji: { id: id(80, 4), name: '通济街道', kind: 'street', code: '370215001', parent: 'jimo' },
  chaoyang: { id: id(80, 5), name: '朝阳社区', kind: 'community', code: null, parent: 'tongji' },
  chaoyangCompound: { id: id(80, 6), name: '朝阳小区', kind: 'compound', code: null, parent: 'chaoyang' },
  chaoyangBuilding1: { id: id(80, 7), name: '朝阳小区1号楼', kind: 'building', code: null, parent: 'chaoyangCompound' },
  chaoyangBuilding2: { id: id(80, 8), name: '朝阳小区2号楼', kind: 'building', code: null, parent: 'chaoyangCompound' },
} as const;
export type DemoJimoRegionKey = keyof typeof DEMO_JIMO_REGIONS;

/** The Jimo caseload volunteer. */
export const DEMO_JIMO_VOLUNTEER: DemoPerson = { id: id(80, 0x10), name: '孙丽娟', home: 'chaoyangBuilding1', gender: 'female', born: '1974-06-12' };

export interface DemoJimoHousehold {
  id: string;
  address: DemoJimoRegionKey;
  unit: string;
  hardship: DemoHousehold['hardship'];
  needs: DemoHousehold['needs'];
  /** The household's one member, its head. */
  resident: DemoPerson;
}

const JIMO_NEEDS: DemoHousehold['needs'][] = [['living_alone', 'elderly'], ['disabled'], ['elderly', 'chronic_illness'], ['living_alone', 'disabled']];
const JIMO_RESIDENTS = ['于桂香', '姜德福', '蓝秀珍', '黄玉兰', '孙茂林', '张凤英', '李春花', '周福海', '宋淑贞', '刘长顺', '王翠兰', '邵明德'];

/**
 * The twelve special-needs households in the Jimo volunteer's caseload, all
 * of special hardship (特殊困难): the households such a caseload is formed for.
 */
export const DEMO_JIMO_HOUSEHOLDS: DemoJimoHousehold[] = JIMO_RESIDENTS.map((name, h) => ({
  id: id(80, 0x100 + h),
  address: h % 2 === 0 ? 'chaoyangBuilding1' : 'chaoyangBuilding2',
  unit: `${(h % 3) + 1}单元${Math.floor(h / 3) + 1}01`,
  hardship: 'special_hardship',
  needs: JIMO_NEEDS[h % JIMO_NEEDS.length]!,
  resident: {
    id: id(80, 0x20 + h),
    name,
    home: h % 2 === 0 ? 'chaoyangBuilding1' : 'chaoyangBuilding2',
    gender: ['姜德福', '孙茂林', '周福海', '刘长顺', '邵明德'].includes(name) ? 'male' : 'female',
    born: `193${h % 10}-0${(h % 9) + 1}-1${h % 10}`,
  },
}));
