import { Types } from 'mongoose';
import { botChannelSettingsSchema, type BotChannelSettings, type BusinessHoursSpec } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { businessHoursById, channelBusinessHours } from '../sla/sla.service';

/** A channel's settings.bot as stored (validated when an admin wrote it); off when absent or unreadable. */
export function botSettingsOf(channel: Pick<ChannelDoc, 'settings'> | null): BotChannelSettings {
  const parsed = botChannelSettingsSchema.safeParse(channel?.settings.bot ?? {});
  return parsed.success ? parsed.data : { mode: 'off' };
}

/**
 * The schedule "after hours" is read in: the one the channel's bot names, else its SLA policy's,
 * else the first one defined; null (always on shift) when there is none.
 */
export async function botHoursOf(channel: ChannelDoc, settings: BotChannelSettings): Promise<BusinessHoursSpec | null> {
  if (settings.businessHoursId) return businessHoursById(new Types.ObjectId(settings.businessHoursId));
  return (await channelBusinessHours(channel._id)) ?? (await businessHoursById(null));
}
