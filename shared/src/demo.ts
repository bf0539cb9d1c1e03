/**
 * The demo cast: the places and people of the seed article (Xi'an, Xincheng
 * district, Xiyilu street, Xingle community and its 乐修匠 repair team), with
 * fixed ids so each subgraph can load its own part of the demo and the parts
 * meet through the graph. Personal data here is synthetic.
 */

/** Builds a fixed, valid UUIDv7-shaped id from a group and a number. */
const id = (group: number, n: number): string =>
  `00000000-0000-7000-8${group.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

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
