import type { Resolvers } from '../__generated__/resolvers-types.js';
import { markNotificationsReadFor, notificationsOf, unreadCountOf } from './service.js';
import { notificationText } from './text.js';

/** A reference to another subgraph's entity, or null when the notification is about none. */
const reference = (id: string | null) => (id === null ? null : { id });

export const notificationResolvers: Resolvers = {
  Mutation: {
    notificationsMarkRead: async (_parent, { input }, ctx) => {
      const result = await markNotificationsReadFor(ctx, input);
      return result.ok ? { unreadCount: result.value, userErrors: [] } : { unreadCount: null, userErrors: result.errors };
    },
  },
  Viewer: {
    notifications: (viewer, { first, after, unreadOnly }, ctx) => notificationsOf(ctx, viewer, { first, after, unreadOnly }),
    unreadCount: (viewer, _args, ctx) => unreadCountOf(ctx, viewer),
  },
  Notification: {
    title: (row) => notificationText(row).title,
    body: (row) => notificationText(row).body,
    request: (row) => reference(row.requestId),
    serviceRecord: (row) => reference(row.serviceRecordId),
    alert: (row) => reference(row.alertId),
    account: (row) => reference(row.accountId),
    hold: (row) => reference(row.holdId),
    badge: (row) => reference(row.badgeId),
  },
};
