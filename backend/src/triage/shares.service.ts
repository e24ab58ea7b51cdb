import type { InboundEvent } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { resolveContact } from '../contacts/contacts.service';
import { isDuplicateKeyError } from '../db/errors';
import type { IngestOutcome } from '../ingest/ingest.service';
import { Share } from './share.model';

/** A repost of the brand's post, counted once for its author (the unique _id stops a replay). */
export async function recordShare(channel: ChannelDoc, event: InboundEvent): Promise<IngestOutcome> {
  const { contactId } = await resolveContact(channel.kind, event.author);
  try {
    await Share.create({ _id: `${channel._id.toHexString()}:${event.externalId}`, channelId: channel._id, contactId, sharedPostId: event.externalParentId ?? null, sentAt: new Date(event.sentAt) });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return { outcome: 'counted' };
}
