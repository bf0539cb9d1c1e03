/**
 * The channels needs arrive through (民情收集): a resident's own filing in
 * the app, or one collected for them by whoever files on their behalf.
 */
import type { RequestChannel } from '../db/schema.js';

/** Needs collected in a group chat, at a courtyard meeting (院坝会) or on a home visit (大走访): recorded only by whoever files for the resident. */
export const COLLECTED_CHANNELS: readonly RequestChannel[] = ['wechat_group', 'qq_group', 'courtyard_meeting', 'home_visit'];

/** The channels a resident files through themselves. */
const OWN_CHANNELS: readonly RequestChannel[] = ['app', 'mini_program'];

/** The channels someone filing for a resident records. */
const ON_BEHALF_CHANNELS: readonly RequestChannel[] = ['grid_worker', 'phone', 'walk_in', ...COLLECTED_CHANNELS];

export function isCollectedChannel(channel: RequestChannel): boolean {
  return COLLECTED_CHANNELS.includes(channel);
}

/** Whether a wish may be posted through the channel: the wisher's own post comes through the app; one posted for them names how it was collected. */
export function wishChannelAllowed(channel: RequestChannel, onBehalf: boolean): boolean {
  return (onBehalf ? ON_BEHALF_CHANNELS : OWN_CHANNELS).includes(channel);
}
