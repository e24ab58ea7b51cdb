import type { Channel as ChannelShape } from '@parley/common';
import type { ChannelDoc } from './channel.model';

/** A channel as the API shows it: never its credentials. */
export function presentChannel(channel: ChannelDoc, publicUrl: string | undefined): ChannelShape {
  const id = channel._id.toHexString();
  return {
    id,
    kind: channel.kind,
    name: channel.name,
    externalAccountId: channel.externalAccountId,
    status: channel.status,
    statusReason: channel.statusReason ?? null,
    settings: channel.settings,
    teamId: channel.teamId?.toHexString() ?? null,
    webhookUrl: `${(publicUrl ?? '').replace(/\/$/, '')}/webhooks/${channel.kind}/${id}`,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}
