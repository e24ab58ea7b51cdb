import type { Types } from 'mongoose';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { channelContext } from '../channels/channels.service';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import type { DeliveryPart, WebhookDelivery } from '../connectors/connector';
import { enqueueInbound } from '../ingest/inbound.queue';
import { RawEvent, type RawEventDoc } from '../ingest/raw-event.model';
import type { Logger } from '../logger';
import { platformItemsIgnored } from '../metrics';
import type { QueueFactory } from '../queue/queue.factory';

type NewRawEvent = Pick<RawEventDoc, 'channelId' | 'kind' | 'body' | 'status' | 'receivedAt' | 'enqueuedAt'> & Partial<Pick<RawEventDoc, 'ignoredTypes' | 'processedAt'>>;

/** The parts of a delivery that carries updates for several accounts, or null when it is one account's. */
function partsOf(channel: ChannelDoc, delivery: WebhookDelivery, config: Config): DeliveryPart[] | null {
  const connector = connectorFor(channel.kind);
  if (!connector.split) return null;
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    return null; // stored whole: normalize marks it failed with the reason
  }
  const parts = connector.split(channelContext(channel, config.CREDENTIALS_KEY), body);
  return parts.some((part) => part.externalAccountId !== channel.externalAccountId) ? parts : null;
}

/** Channels of the other accounts whose secret signed this very delivery (Meta: one app, several Pages). */
async function siblingsOf(channel: ChannelDoc, accountIds: string[], delivery: WebhookDelivery, config: Config): Promise<Map<string, ChannelDoc>> {
  const candidates = await Channel.find({ externalAccountId: { $in: accountIds }, status: { $ne: 'disabled' } }).lean<ChannelDoc[]>();
  const siblings = new Map<string, ChannelDoc>();
  for (const candidate of candidates) {
    const connector = connectorFor(candidate.kind);
    if (!connector.split || candidate._id.equals(channel._id)) continue;
    let signedBySibling = false;
    try {
      signedBySibling = connector.verify(channelContext(candidate, config.CREDENTIALS_KEY), delivery);
    } catch {
      continue; // unreadable credentials: not a sibling we can vouch for
    }
    const known = siblings.get(candidate.externalAccountId);
    // Two kinds may share an account id; the receiving channel's kind wins.
    if (signedBySibling && (!known || candidate.kind === channel.kind)) siblings.set(candidate.externalAccountId, candidate);
  }
  return siblings;
}

/**
 * Stores a verified delivery as raw events and queues their processing. A delivery for
 * several accounts is split: this channel's part, parts for sibling channels signed with
 * the same secret (stored as theirs), and parts for accounts Parley does not know (stored
 * as processed and ignored, so nothing is lost and nothing is retried). No platform call
 * happens here: the platform gets its answer as soon as the documents are written.
 * Answers the id of the raw event of the receiving channel (or the first stored).
 */
export async function storeDelivery(channel: ChannelDoc, delivery: WebhookDelivery, config: Config, queues: QueueFactory, log: Logger): Promise<Types.ObjectId> {
  const now = new Date();
  const pending = (target: ChannelDoc, body: string): NewRawEvent => ({
    channelId: target._id,
    kind: target.kind,
    body,
    status: 'pending',
    receivedAt: now,
    enqueuedAt: now,
  });

  const parts = partsOf(channel, delivery, config);
  let documents: NewRawEvent[];
  if (!parts) {
    documents = [pending(channel, delivery.rawBody.toString('utf8'))];
  } else {
    const otherIds = [...new Set(parts.map((part) => part.externalAccountId).filter((id) => id !== channel.externalAccountId))];
    const siblings = await siblingsOf(channel, otherIds, delivery, config);
    documents = parts.map((part) => {
      const body = JSON.stringify(part.body);
      if (part.externalAccountId === channel.externalAccountId) return pending(channel, body);
      const sibling = siblings.get(part.externalAccountId);
      if (sibling) return pending(sibling, body);
      platformItemsIgnored.inc({ kind: channel.kind, type: 'unknown_account' });
      return { ...pending(channel, body), status: 'processed', processedAt: now, ignoredTypes: ['unknown_account'] };
    });
    // The receiving channel's part first, so its id is the one answered.
    documents.sort((a, b) => Number(b.channelId.equals(channel._id) && b.status === 'pending') - Number(a.channelId.equals(channel._id) && a.status === 'pending'));
  }

  const stored = await RawEvent.insertMany(documents);
  await Promise.all(
    stored
      .filter((rawEvent) => rawEvent.status === 'pending')
      .map((rawEvent) =>
        enqueueInbound(queues, rawEvent._id).catch((error: unknown) => {
          // Stored is safe: the sweeper queues pending raw events whose job never existed.
          log.warn({ err: error, rawEventId: rawEvent._id.toHexString() }, 'could not queue a stored webhook; the sweeper will');
        }),
      ),
  );
  return stored[0]!._id;
}
