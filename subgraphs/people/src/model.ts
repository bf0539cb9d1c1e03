/** What people resolvers pass between each other: database rows and connections of them. */
import type { Connection, Edge } from '@lianxin/shared';
import type { PersonRow, RegionRow, TeamMemberRow, TeamRow } from './db/schema.js';

export type RegionModel = RegionRow;
export type RegionConnectionModel = Connection<RegionRow>;
export type RegionEdgeModel = Edge<RegionRow>;
/** A person as the people store knows it, or a bare reference the gateway sent. */
export type PersonModel = PersonRow;
export type PersonConnectionModel = Connection<PersonRow>;
export type PersonEdgeModel = Edge<PersonRow>;
export type TeamModel = TeamRow;
export type TeamMemberConnectionModel = Connection<TeamMemberRow>;
export type TeamMemberEdgeModel = Edge<TeamMemberRow>;
