import { Types } from 'mongoose';
import type { ChannelContext } from '../connectors/connector';
import { Channel, type ChannelDoc } from './channel.model';
import { decryptCredentials } from './credentials';

export async function findChannel(channelId: string): Promise<ChannelDoc | null> {
  if (!Types.ObjectId.isValid(channelId) || !/^[a-f0-9]{24}$/i.test(channelId)) return null;
  return Channel.findById(channelId).lean<ChannelDoc>();
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
