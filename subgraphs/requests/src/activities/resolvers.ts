import { derivedId, payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { resolveServiceRecord } from '../records/service.js';
import {
  approveHours,
  cancelSignUp,
  checkIn,
  checkOut,
  createActivity,
  doorCodeOf,
  getActivity,
  listActivities,
  listAttendances,
  listSignups,
  resolveActivityReference,
  signUp,
  viewerAttendanceAt,
  viewerSignupAt,
  viewerSignupOf,
} from './service.js';

/** The activity a sign-up or attendance belongs to; the foreign key guarantees it. */
async function activityOf(ctx: Parameters<typeof getActivity>[0], id: string) {
  const activity = await ctx.loaders.activityById.load(id);
  return required(activity, `activity ${id}, named by one of its rows`);
}

export const activityResolvers: Resolvers = {
  Query: {
    activity: (_parent, { id }, ctx) => getActivity(ctx, id),
    activities: (_parent, { filter, first, after }, ctx) => listActivities(ctx, filter, { first, after }),
  },
  Mutation: {
    activityCreate: async (_parent, { input }, ctx) => toPayload('activity', await createActivity(ctx, input)),
    // Refused, the viewer's own sign-up or attendance as it stands: the only ones these payloads ever show a volunteer.
    activitySignUp: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await signUp(ctx, input), () => viewerSignupAt(ctx, input.activity)),
    activitySignUpCancel: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'signup', await cancelSignUp(ctx, input), () => viewerSignupAt(ctx, input.activity)),
    activityCheckIn: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'attendance', await checkIn(ctx, input), () => viewerAttendanceAt(ctx, input.code, 'in')),
    activityCheckOut: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'attendance', await checkOut(ctx, input), () => viewerAttendanceAt(ctx, input.code, 'out')),
    // The records an approval writes do not exist before it: refused, there are none to show.
    activityHoursApprove: async (_parent, { input }, ctx) => {
      const result = await approveHours(ctx, input);
      return result.ok ? { serviceRecords: result.value, userErrors: [] } : { serviceRecords: [], userErrors: result.errors };
    },
  },
  Activity: {
    __resolveReference: (reference, ctx) => resolveActivityReference(ctx, reference.id),
    category: async (activity, _args, ctx) => {
      const category = await ctx.loaders.categoryByCode.load(activity.categoryCode);
      return required(category, `category of activity ${activity.id}`);
    },
    organiser: (activity) => ({ id: activity.organiserId }),
    place: (activity) => ({ id: activity.regionId }),
    confirmedCount: async (activity, _args, ctx) => (await ctx.loaders.signupCountsOfActivity.load(activity.id)).confirmed,
    waitlistCount: async (activity, _args, ctx) => (await ctx.loaders.signupCountsOfActivity.load(activity.id)).waitlisted,
    viewerSignup: (activity, _args, ctx) => viewerSignupOf(ctx, activity),
    signups: (activity, { includeCancelled, first, after }, ctx) => listSignups(ctx, activity, includeCancelled ?? false, { first, after }),
    attendances: (activity, { first, after }, ctx) => listAttendances(ctx, activity, { first, after }),
    checkInCode: (activity, _args, ctx) => doorCodeOf(ctx, activity, 'in'),
    checkOutCode: (activity, _args, ctx) => doorCodeOf(ctx, activity, 'out'),
  },
  ActivitySignup: {
    id: (signup) => derivedId('ActivitySignup', signup.activityId, signup.personId),
    activity: (signup, _args, ctx) => activityOf(ctx, signup.activityId),
    person: (signup) => ({ id: signup.personId }),
  },
  ActivityAttendance: {
    id: (attendance) => derivedId('ActivityAttendance', attendance.activityId, attendance.personId),
    activity: (attendance, _args, ctx) => activityOf(ctx, attendance.activityId),
    person: (attendance) => ({ id: attendance.personId }),
    approvedBy: (attendance) => (attendance.approvedById ? { id: attendance.approvedById } : null),
    serviceRecord: (attendance, _args, ctx) => resolveServiceRecord(ctx, attendance.serviceRecordId),
  },
};
