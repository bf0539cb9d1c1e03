/** What people resolvers pass between each other: database rows and connections of them. */
import type { Connection, Edge } from '@lianxin/shared';
import type {
  GridRow,
  HouseholdMemberRow,
  HouseholdRow,
  OrganizationRow,
  PersonalDataAccessRow,
  PersonRow,
  RegionRow,
  StationRow,
  TeamMemberRow,
  TeamRow,
  VolunteerProfileRow,
} from './db/schema.js';

export type RegionModel = RegionRow;
export type RegionConnectionModel = Connection<RegionRow>;
export type RegionEdgeModel = Edge<RegionRow>;
export type GridModel = GridRow;
export type StationModel = StationRow;
export type OrganizationModel = OrganizationRow;
export type OrganizationConnectionModel = Connection<OrganizationRow>;
export type OrganizationEdgeModel = Edge<OrganizationRow>;
export type PersonModel = PersonRow;
export type PersonConnectionModel = Connection<PersonRow>;
export type PersonEdgeModel = Edge<PersonRow>;
export type VolunteerProfileModel = VolunteerProfileRow;
export type HouseholdModel = HouseholdRow;
export type HouseholdConnectionModel = Connection<HouseholdRow>;
export type HouseholdEdgeModel = Edge<HouseholdRow>;
export type HouseholdMemberModel = HouseholdMemberRow;
export type TeamModel = TeamRow;
export type TeamConnectionModel = Connection<TeamRow>;
export type TeamEdgeModel = Edge<TeamRow>;
export type TeamMemberConnectionModel = Connection<TeamMemberRow>;
export type TeamMemberEdgeModel = Edge<TeamMemberRow>;
export type PersonalDataAccessModel = PersonalDataAccessRow;
export type PersonalDataAccessConnectionModel = Connection<PersonalDataAccessRow>;
export type PersonalDataAccessEdgeModel = Edge<PersonalDataAccessRow>;
