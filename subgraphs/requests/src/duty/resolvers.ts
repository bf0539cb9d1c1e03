import { derivedId, payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { RequestsContext } from '../context.js';
import { resolveServiceRecord } from '../records/service.js';
import {
  approveShift,
  checkInToShift,
  checkOutOfShift,
  confirmedCountOf,
  copyDutyWeek,
  createDutyPost,
  createDutyShifts,
  getDutyPost,
  listDutyPosts,
  resolveShiftReference,
  shiftDoorCode,
  shiftsOfPerson,
  shiftsOfPost,
  signUpForShift,
  signupsOfShift,
  viewerSignupAtCode,
  viewerSignupOnShift,
  withdrawFromShift,
} from './service.js';

/** The shift or post a row names; the foreign key guarantees it. */
async function shiftOf(ctx: RequestsContext, id: string) {
  return required(await ctx.loaders.dutyShiftById.load(id), `duty shift ${id}, named by one of its rows`);
}

export const dutyResolvers: Resolvers = {
  Query: {
    dutyPost: (_parent, { id }, ctx) => getDutyPost(ctx, id),
    dutyPosts: (_parent, { filter, first, after }, ctx) => listDutyPosts(ctx, filter, { first, after }),
  },
  Mutation: {
    dutyPostCreate: async (_parent, { input }, ctx) => toPayload('post', await createDutyPost(ctx, input)),
    dutyShiftsCreate: async (_parent, { input }, ctx) => {
      const result = await createDutyShifts(ctx, input);
      return result.ok ? { shifts: result.value, userErrors: [] } : { shifts: [], userErrors: result.errors };
    },
    dutyShiftsCopyWeek: async (_parent, { input }, ctx) => {
      const result = await copyDutyWeek(ctx, input);
      return result.ok ? { shifts: result.value, userErrors: [] } : { shifts: [], userErrors: result.errors };
    },
    // Refused, the viewer's own place as it stands: the only one these payloads ever show a volunteer.
    dutyShiftSignUp: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await signUpForShift(ctx, input), () => viewerSignupOnShift(ctx, input.shift)),
    dutyShiftWithdraw: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await withdrawFromShift(ctx, input), () => viewerSignupOnShift(ctx, input.shift)),
    dutyShiftCheckIn: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await checkInToShift(ctx, input), () => viewerSignupAtCode(ctx, input.code, 'in')),
    dutyShiftCheckOut: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await checkOutOfShift(ctx, input), () => viewerSignupAtCode(ctx, input.code, 'out')),
    dutyShiftApprove: async (_parent, { input }, ctx) => {
      const result = await approveShift(ctx, input);
      return result.ok ? { ...result.value, userErrors: [] } : { shift: null, serviceRecords: [], noShows: 0, userErrors: result.errors };
    },
  },
  DutyPost: {
    __resolveReference: async (reference, ctx) => getDutyPost(ctx, reference.id),
    category: async (post, _args, ctx) => required(await ctx.loaders.categoryByCode.load(post.categoryCode), `category of duty post ${post.id}`),
    place: (post) => ({ id: post.regionId }),
    organiser: (post) => ({ id: post.organiserId }),
    shifts: (post, { from, to }, ctx) => shiftsOfPost(ctx, post, from, to),
  },
  DutyShift: {
    __resolveReference: (reference, ctx) => resolveShiftReference(ctx, reference.id),
    post: async (shift, _args, ctx) => required(await ctx.loaders.dutyPostById.load(shift.postId), `post of duty shift ${shift.id}`),
    confirmedCount: (shift, _args, ctx) => confirmedCountOf(ctx, shift),
    signUps: (shift, { includeWithdrawn }, ctx) => signupsOfShift(ctx, shift, includeWithdrawn ?? false),
    checkInCode: (shift, _args, ctx) => shiftDoorCode(ctx, shift, 'in'),
    checkOutCode: (shift, _args, ctx) => shiftDoorCode(ctx, shift, 'out'),
  },
  DutyShiftSignup: {
    id: (signup) => derivedId('DutyShiftSignup', signup.shiftId, signup.personId),
    shift: (signup, _args, ctx) => shiftOf(ctx, signup.shiftId),
    person: (signup) => ({ id: signup.personId }),
    serviceRecord: (signup, _args, ctx) => resolveServiceRecord(ctx, signup.serviceRecordId),
  },
  Person: {
    dutyShifts: (person, { from, to }, ctx) => shiftsOfPerson(ctx, person.id, from, to),
  },
  ServiceRecord: {
    dutyShift: async (record, _args, ctx) => (record.dutyShiftId ? ((await ctx.loaders.dutyShiftById.load(record.dutyShiftId)) ?? null) : null),
  },
};
