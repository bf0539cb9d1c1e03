/** What requests resolvers pass between each other: database rows, connections of them, and bare person references. */
import type { Connection, Edge } from '@lianxin/shared';
import type { CategoryRow, ServiceRequestRow } from './db/schema.js';

export type ServiceRequestModel = ServiceRequestRow;
export type ServiceRequestConnectionModel = Connection<ServiceRequestRow>;
export type ServiceRequestEdgeModel = Edge<ServiceRequestRow>;
export type CategoryModel = CategoryRow;
/** A person known here only by id: the people subgraph owns the rest. */
export type PersonModel = { id: string };
