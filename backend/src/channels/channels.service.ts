import { Types } from 'mongoose';
import type { DomainEventBus } from '../events/domain-events';
import type { Logger } from '../logger';
import type { ChannelContext } from '../connectors/connector';
import { Channel, type ChannelDoc } from './channel.model';
import { decryptCredentials } from './credentials';

export async function findChannel(channelId: string): Promise<ChannelDoc | null> {
  if (!Types.ObjectId.isValid(channelId) || !/^[a-f0-9]{24}$/i.test(channelId)) return null;
  return Channel.findById(channelId).lean<ChannelDoc>();
}

const recentlyRead = new Map<string, { channel: ChannelDoc | null; at: number }>();

/**
 * The channel, read at most every few seconds per process: the inbound worker needs it
 * for every event, and channels change rarely. A change (disabled, new credentials)
 * reaches the workers within maxAgeMs; webhook intake reads it fresh.
 */
export async function cachedChannel(channelId: Types.ObjectId, maxAgeMs = 5_000): Promise<ChannelDoc | null> {
  const key = channelId.toHexString();
  const hit = recentlyRead.get(key);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.channel;
  const channel = await Channel.findById(channelId).lean<ChannelDoc>();
  if (recentlyRead.size > 10_000) recentlyRead.clear();
  recentlyRead.set(key, { channel, at: Date.now() });
  return channel;
}

/** Forgets a channel this process changed, so its own next read is fresh. */
export function forgetChannel(channelId: Types.ObjectId | string): void {
  recentlyRead.delete(typeof channelId === 'string' ? channelId : channelId.toHexString());
}

/**
 * A platform refused the channel's token: it stops sending and polling until an admin
 * reconnects it, and admins (in the supervisors' room) see it live.
 */
export async function markChannelNeedsReauth(channelId: Types.ObjectId, reason: string, events: DomainEventBus, log: Logger): Promise<void> {
  await Channel.updateOne({ _id: channelId, status: 'active' }, { $set: { status: 'needs_reauth', statusReason: reason } });
  forgetChannel(channelId);
  events.emit('channel.updated', { channelId });
  log.warn({ channelId: channelId.toHexString(), reason }, 'channel needs to be reconnected');
}

/** The channel as its connector sees it, credentials decrypted. */
export function channelContext(channel: ChannelDoc, credentialsKey: string | undefined): ChannelContext {
  return {
    id: channel._id.toHexString(),
    kind: channel.kind,
    externalAccountId: channel.externalAccountId,
    settings: channel.settings,
    credentials: decryptCredentials(channel.credentialsEncrypted, credentialsKey),
  };
}
