import { payloadAsItStands, required, toPayload, type Result } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { RequestsContext } from '../context.js';
import { alertOfRequest } from '../alerts/service.js';
import type { ServiceRequestModel } from '../model.js';
import { agreedPriceOf, agreeServiceRequestQuote, costOf, quoteOf, quoteServiceRequest } from '../pricing/service.js';
import { resolveServiceRecord } from '../records/service.js';
import {
  acceptServiceRequest,
  approveServiceRequest,
  cancelServiceRequest,
  completeServiceRequest,
  createServiceRequest,
  dispatchServiceRequest,
  rateServiceRequest,
  rejectServiceRequest,
  startServiceRequest,
} from './lifecycle.js';
import {
  getServiceRequest,
  listMyServiceRequests,
  listOpenTasksOf,
  listRequestsOfPerson,
  listServiceRequests,
  listTeamQueue,
  resolvePersonReference,
  resolveServiceRequestReference,
} from './reads.js';

const seconds = (from: Date | null, to: Date | null): number | null => (from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null);
const person = (id: string | null) => (id ? { id } : null);
/** A new request: there is nothing to show when filing is refused. */
const createdPayload = async (work: Promise<Result<ServiceRequestModel>>) => toPayload('serviceRequest', await work);
/** A change of a request: refused, the payload still shows the request as it stands, to a viewer who may see it. */
const requestPayload = async (ctx: RequestsContext, id: string, work: Promise<Result<ServiceRequestModel>>) =>
  payloadAsItStands(ctx, 'serviceRequest', await work, () => getServiceRequest(ctx, id));

export const requestResolvers: Resolvers = {
  Query: {
    serviceRequest: (_parent, { id }, ctx) => getServiceRequest(ctx, id),
    serviceRequests: (_parent, { filter, first, after }, ctx) => listServiceRequests(ctx, filter, { first, after }),
    myServiceRequests: (_parent, { relation, status, first, after }, ctx) => listMyServiceRequests(ctx, relation ?? 'requested', status, { first, after }),
    teamQueue: (_parent, { team, status, first, after }, ctx) => listTeamQueue(ctx, team, status, { first, after }),
  },
  Mutation: {
    serviceRequestCreate: (_parent, { input }, ctx) => createdPayload(createServiceRequest(ctx, input)),
    serviceRequestApprove: (_parent, { input }, ctx) => requestPayload(ctx, input.request, approveServiceRequest(ctx, input)),
    serviceRequestReject: (_parent, { input }, ctx) => requestPayload(ctx, input.request, rejectServiceRequest(ctx, input)),
    serviceRequestDispatch: (_parent, { input }, ctx) => requestPayload(ctx, input.request, dispatchServiceRequest(ctx, input)),
    serviceRequestAccept: (_parent, { input }, ctx) => requestPayload(ctx, input.request, acceptServiceRequest(ctx, input)),
    serviceRequestQuote: (_parent, { input }, ctx) => requestPayload(ctx, input.request, quoteServiceRequest(ctx, input)),
    serviceRequestQuoteAgree: (_parent, { input }, ctx) => requestPayload(ctx, input.request, agreeServiceRequestQuote(ctx, input)),
    serviceRequestStart: (_parent, { input }, ctx) => requestPayload(ctx, input.request, startServiceRequest(ctx, input)),
    serviceRequestComplete: (_parent, { input }, ctx) => requestPayload(ctx, input.request, completeServiceRequest(ctx, input)),
    serviceRequestRate: (_parent, { input }, ctx) => requestPayload(ctx, input.request, rateServiceRequest(ctx, input)),
    serviceRequestCancel: (_parent, { input }, ctx) => requestPayload(ctx, input.request, cancelServiceRequest(ctx, input)),
  },
  ServiceRequest: {
    __resolveReference: async (reference, ctx) => {
      const request = await resolveServiceRequestReference(ctx, reference.id);
      if (!request) return null;
      // The gateway adds the requester's household (as the people subgraph reported it) when `quote` is asked for;
      // a requester people does not know (null) has no household it knows of either.
      const requester = 'requester' in reference ? reference.requester : undefined;
      return requester === undefined ? request : { ...request, reportedHousehold: requester?.household ?? null };
    },
    requester: (request) => ({ id: request.requesterId }),
    category: async (request, _args, ctx) => {
      const category = await ctx.loaders.categoryByCode.load(request.categoryCode);
      // The foreign key guarantees the row; a miss means the database is broken.
      return required(category, `category of service request ${request.id}`);
    },
    filedBy: (request) => person(request.filedById),
    place: (request) => (request.regionId ? { id: request.regionId } : null),
    dispatchedTeam: (request) => (request.dispatchedTeamId ? { id: request.dispatchedTeamId } : null),
    dispatchedPerson: (request) => person(request.dispatchedPersonId),
    assignee: (request) => person(request.assigneeId),
    responseTimes: (request) => ({ toAccept: seconds(request.createdAt, request.acceptedAt), toComplete: seconds(request.acceptedAt, request.completedAt) }),
    completion: (request) =>
      request.completedAt && request.completionNote !== null ? { note: request.completionNote, evidenceUrls: request.evidenceUrls, materialsUsed: request.materialsUsed } : null,
    rating: (request) =>
      request.rating !== null && request.ratedById && request.ratedAt
        ? { score: request.rating, comment: request.ratingComment, ratedById: request.ratedById, ratedAt: request.ratedAt }
        : null,
    history: (request, _args, ctx) => ctx.loaders.transitionsOfRequest.load(request.id),
    cost: (request, _args, ctx) => costOf(ctx, request),
    quote: (request, _args, ctx) => quoteOf(ctx, request),
    agreedPrice: (request, _args, ctx) => agreedPriceOf(ctx, request),
    serviceRecord: async (request, _args, ctx) => {
      const record = await ctx.loaders.recordOfRequest.load(request.id);
      return resolveServiceRecord(ctx, record?.id ?? null);
    },
    alert: (request, _args, ctx) => alertOfRequest(ctx, request.id),
  },
  RequestTransition: {
    from: (transition) => transition.fromStatus,
    to: (transition) => transition.toStatus,
    actor: (transition) => person(transition.actorId),
    dispatchedTeam: (transition) => (transition.teamId ? { id: transition.teamId } : null),
    dispatchedPerson: (transition) => person(transition.personId),
  },
  Rating: {
    ratedBy: (rating) => ({ id: rating.ratedById }),
  },
  Person: {
    __resolveReference: (reference) => resolvePersonReference(reference.id),
    requests: (parent, { first, after }, ctx) => listRequestsOfPerson(ctx, parent.id, { first, after }),
    openTasks: (parent, { first, after }, ctx) => listOpenTasksOf(ctx, parent.id, { first, after }),
  },
};
