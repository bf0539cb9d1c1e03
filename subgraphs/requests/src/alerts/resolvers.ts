import { payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { relatedRequest } from '../requests/reads.js';
import { acknowledge, ageOf, getAlert, listOpenAlerts, registerDevice, resolveAlertReference } from './service.js';

export const alertResolvers: Resolvers = {
  Query: {
    alert: (_parent, { id }, ctx) => getAlert(ctx, id),
    openAlerts: (_parent, { filter, first, after }, ctx) => listOpenAlerts(ctx, filter, { first, after }),
  },
  Mutation: {
    deviceRegister: async (_parent, { input }, ctx) => toPayload('device', await registerDevice(ctx, input)),
    alertAcknowledge: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'alert', await acknowledge(ctx, input), () => getAlert(ctx, input.alert)),
  },
  Alert: {
    __resolveReference: (reference, ctx) => resolveAlertReference(ctx, reference.id),
    device: async (alert, _args, ctx) => {
      const device = await ctx.loaders.deviceById.load(alert.deviceId);
      return required(device, `device of alert ${alert.id}`);
    },
    household: (alert) => ({ id: alert.householdId }),
    resident: (alert) => ({ id: alert.residentId }),
    place: (alert) => ({ id: alert.regionId }),
    ageSeconds: (alert, _args, ctx) => ageOf(ctx, alert),
    serviceRequest: (alert, _args, ctx) => relatedRequest(ctx, alert.requestId),
    notify: (alert) => ({ id: alert.notifyPersonId }),
    acknowledgedBy: (alert) => (alert.acknowledgedById ? { id: alert.acknowledgedById } : null),
  },
  Device: {
    household: (device) => ({ id: device.householdId }),
    resident: (device) => ({ id: device.residentId }),
    notify: (device) => ({ id: device.notifyPersonId }),
    place: (device) => ({ id: device.regionId }),
  },
};
