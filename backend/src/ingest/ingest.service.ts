import { Types } from 'mongoose';
import type { InboundEvent } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { ContactIdentityKey } from '../contacts/contact.model';
import { identityKey, resolveContact } from '../contacts/contacts.service';
import { isDuplicateKeyError } from '../db/errors';
import type { DomainEventBus } from '../events/domain-events';
import type Redis from 'ioredis';
import type { Locks } from '../lib/locks';
import { ticketLock } from '../tickets/ticket.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { registerMessageKey, threadKeyOf, threadMessage } from './threading';

export interface IngestDeps {
  events: DomainEventBus;
  locks: Locks;
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
}

export type IngestOutcome =
  | { outcome: 'stored'; messageId: Types.ObjectId; ticketId: Types.ObjectId; ticketCreated: boolean }
  | { outcome: 'duplicate'; messageId: Types.ObjectId; ticketId: Types.ObjectId | null }
  | { outcome: 'updated'; messageId: Types.ObjectId; ticketId: Types.ObjectId | null }
  | { outcome: 'ignored'; reason: string };

/**
 * Claims the message under the unique (channelId, externalId) index. The first delivery
 * wins; a replay finds the claim and either stops (ingest finished) or finishes it.
 */
async function claimMessage(channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, rawEventId: Types.ObjectId | null) {
  try {
    const created = await Message.create({
      ticketId: null,
      channelId: channel._id,
      direction: 'inbound',
      visibility: event.visibility,
      text: event.text,
      attachments: event.attachments,
      contactId,
      authorUserId: null,
      externalId: event.externalId,
      externalThreadId: event.externalThreadId ?? null,
      externalParentId: event.externalParentId ?? null,
      deliveryState: 'received',
      language: event.language ?? null,
      tags: event.tags,
      sentAt: new Date(event.sentAt),
      rawEventId,
      ingestState: 'claimed',
    });
    return created.toObject<MessageDoc>();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await Message.findOne({ channelId: channel._id, externalId: event.externalId }).lean<MessageDoc>();
    if (!existing) throw error;
    return existing;
  }
}

function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/** Counts the message on its ticket: once, since callers hold the conversation's lock. */
async function countOnTicket(ticketId: Types.ObjectId, event: InboundEvent, locks: Locks): Promise<void> {
  await locks.withLock(ticketLock(ticketId), async () => {
    const ticket = await Ticket.findById(ticketId).lean();
    if (!ticket) return;
    const sentAt = new Date(event.sentAt);
    const newer = sentAt.getTime() >= ticket.lastMessageAt.getTime();
    // The customer answered: a ticket waiting on them, or solved a moment ago, is open again.
    const reopen = ticket.status === 'pending' || ticket.status === 'solved';
    const set = {
      ...(newer ? { lastMessageAt: sentAt, lastMessagePreview: previewOf(event.text) } : {}),
      ...(reopen ? { status: 'open' } : {}),
    };
    await Ticket.updateOne(
      { _id: ticketId },
      {
        $inc: { unreadCount: 1, messageCount: 1 },
        ...(Object.keys(set).length > 0 ? { $set: set } : {}),
        ...(reopen ? { $unset: { solvedAt: 1 } } : {}),
      },
    );
  });
}

async function ingestCreate(channel: ChannelDoc, event: InboundEvent, rawEventId: Types.ObjectId | null, deps: IngestDeps): Promise<IngestOutcome> {
  const contactId = await resolveContact(channel.kind, event.author);
  // One conversation at a time: replays and racing messages of a thread run in turn.
  return deps.locks.withLock(`thread:${threadKeyOf(channel._id, event, contactId)}`, async () => {
    const message = await claimMessage(channel, event, contactId, rawEventId);
    if (message.ingestState === 'done') return { outcome: 'duplicate', messageId: message._id, ticketId: message.ticketId };

    const threaded = message.ticketId ? { ticketId: message.ticketId, created: false } : await threadMessage(channel, event, contactId, deps);
    const { ticketId } = threaded;
    if (!message.ticketId) await Message.updateOne({ _id: message._id }, { $set: { ticketId } });
    await registerMessageKey(channel._id, event.externalId, ticketId);

    // Done before counted: a crash in between undercounts once rather than counting twice.
    await Message.updateOne({ _id: message._id }, { $set: { ingestState: 'done' } });
    await countOnTicket(ticketId, event, deps.locks);

    deps.events.emit(threaded.created ? 'ticket.created' : 'ticket.updated', { ticketId });
    deps.events.emit('message.created', { ticketId, messageId: message._id });
    return { outcome: 'stored', messageId: message._id, ticketId, ticketCreated: threaded.created };
  });
}

/** An edit keeps the earlier text; a removal marks the message deleted and keeps it. */
async function ingestChange(channel: ChannelDoc, event: InboundEvent, { events }: IngestDeps): Promise<IngestOutcome> {
  const message = await Message.findOne({ channelId: channel._id, externalId: event.externalId }).lean<MessageDoc>();
  if (!message) return { outcome: 'ignored', reason: `${event.action} of a message Parley never stored` };
  if (event.action === 'delete') {
    if (message.deleted) return { outcome: 'duplicate', messageId: message._id, ticketId: message.ticketId };
    await Message.updateOne({ _id: message._id }, { $set: { deleted: true } });
  } else {
    if (message.text === event.text) return { outcome: 'duplicate', messageId: message._id, ticketId: message.ticketId };
    await Message.updateOne({ _id: message._id, text: message.text }, { $set: { text: event.text }, $push: { previousTexts: message.text } });
  }
  if (message.ticketId) events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  return { outcome: 'updated', messageId: message._id, ticketId: message.ticketId };
}

/**
 * The platform shows us a message we sent: it confirms delivery (a send whose answer was
 * lost ends up sent, with the platform's id) and never becomes a customer message.
 */
async function ingestEcho(channel: ChannelDoc, event: InboundEvent, { events }: IngestDeps): Promise<IngestOutcome> {
  const byPlatformId = await Message.findOne({ channelId: channel._id, externalId: event.externalId }).lean<MessageDoc>();
  const byOurId =
    !byPlatformId && event.outboundMessageId && Types.ObjectId.isValid(event.outboundMessageId)
      ? await Message.findOne({ _id: event.outboundMessageId, channelId: channel._id }).lean<MessageDoc>()
      : null;
  const message = byPlatformId ?? byOurId;
  if (!message || message.direction !== 'outbound') return { outcome: 'ignored', reason: 'echo of a message Parley did not send' };
  if (message.externalId === event.externalId && (message.deliveryState === 'sent' || message.deliveryState === 'read')) {
    return { outcome: 'duplicate', messageId: message._id, ticketId: message.ticketId };
  }
  try {
    await Message.updateOne(
      { _id: message._id },
      { $set: { externalId: event.externalId, ...(message.deliveryState === 'read' ? {} : { deliveryState: 'sent' }), failureReason: null } },
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return { outcome: 'duplicate', messageId: message._id, ticketId: message.ticketId };
  }
  if (message.ticketId) events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  return { outcome: 'updated', messageId: message._id, ticketId: message.ticketId };
}

/** The customer read our messages up to event.sentAt: those sent to them on this channel are read. */
async function ingestRead(channel: ChannelDoc, event: InboundEvent, { events }: IngestDeps): Promise<IngestOutcome> {
  const owner = await ContactIdentityKey.findById(identityKey(channel.kind, event.author.externalId)).lean();
  if (!owner) return { outcome: 'ignored', reason: 'read receipt from someone Parley does not know' };
  const ticketIds = (await Ticket.find({ contactId: owner.contactId, channelId: channel._id }, { _id: 1 }).lean()).map((ticket) => ticket._id);
  if (ticketIds.length === 0) return { outcome: 'ignored', reason: 'read receipt without a conversation' };
  const read = await Message.find(
    { ticketId: { $in: ticketIds }, direction: 'outbound', deliveryState: 'sent', sentAt: { $lte: new Date(event.sentAt) } },
    { _id: 1, ticketId: 1 },
  ).lean();
  if (read.length === 0) return { outcome: 'duplicate', messageId: new Types.ObjectId(), ticketId: null };
  await Message.updateMany({ _id: { $in: read.map((message) => message._id) } }, { $set: { deliveryState: 'read' } });
  for (const message of read) if (message.ticketId) events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  return { outcome: 'updated', messageId: read[read.length - 1]!._id, ticketId: read[read.length - 1]!.ticketId };
}

/**
 * Stores one normalized event exactly once, whatever is replayed, retried or raced:
 * contact, message (unique index), ticket (thread keys), counters, then domain events.
 */
export function ingest(channel: ChannelDoc, event: InboundEvent, rawEventId: Types.ObjectId | null, deps: IngestDeps): Promise<IngestOutcome> {
  switch (event.action) {
    case 'create':
      return ingestCreate(channel, event, rawEventId, deps);
    case 'edit':
    case 'delete':
      return ingestChange(channel, event, deps);
    case 'echo':
      return ingestEcho(channel, event, deps);
    case 'read':
      return ingestRead(channel, event, deps);
  }
}
