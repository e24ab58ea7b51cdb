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
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { clocksOnCustomerMessage, clocksOnRetarget, clocksOnStatusChange } from '@parley/common';
import { slaChange, slaContextOf } from '../sla/sla.service';
import type { Logger } from '../logger';
import { newTicketTriage, ticketTriageChange, triageInbound, type MessageTriage, type TriageSteps } from '../triage/triage.service';
import { recordShare } from '../triage/shares.service';
import { customerWrotePrivately } from '../workflows/move-to-private.sync';
import { ingestEcho } from './echo.service';
import { messageKeyOf, previewOf, registerMessageKey, threadKeyOf, threadMessage, type Threaded } from './threading';

export interface IngestDeps {
  events: DomainEventBus;
  locks: Locks;
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  log?: Logger;
  /** Tests only: triage steps that fail or stall, to see a message stored all the same. */
  triageSteps?: TriageSteps;
}

export type IngestOutcome =
  | { outcome: 'stored'; messageId: Types.ObjectId; ticketId: Types.ObjectId; ticketCreated: boolean }
  | { outcome: 'duplicate'; messageId: Types.ObjectId; ticketId: Types.ObjectId | null }
  | { outcome: 'updated'; messageId: Types.ObjectId; ticketId: Types.ObjectId | null }
  | { outcome: 'ignored'; reason: string }
  /** A share of the brand's post: counted for its author, not a message. */
  | { outcome: 'counted' };

function newMessage(channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, ticketId: Types.ObjectId, rawEventId: Types.ObjectId | null, triage: MessageTriage) {
  return {
    ticketId,
    channelId: channel._id,
    direction: 'inbound' as const,
    visibility: event.visibility,
    text: event.text,
    attachments: event.attachments,
    contactId,
    authorUserId: null,
    externalId: event.externalId,
    externalThreadId: event.externalThreadId ?? null,
    externalParentId: event.externalParentId ?? null,
    deliveryState: 'received' as const,
    language: triage.language ?? event.language ?? null,
    ...(triage.sentiment ? { sentiment: triage.sentiment } : {}),
    ...(triage.engagement ? { engagement: triage.engagement } : {}),
    ...(triage.complete ? {} : { triagePending: true }),
    tags: event.tags,
    sentAt: new Date(event.sentAt),
    rawEventId,
    ingestState: 'done' as const,
  };
}

/**
 * Counts the message on its ticket under the ticket's lock (FerretDB updates are
 * read-modify-write), and answers the ticket as it now is, for the realtime event.
 */
async function countOnTicket(ticketId: Types.ObjectId, event: InboundEvent, triage: MessageTriage, locks: Locks): Promise<TicketDoc | null> {
  return locks.withLock(ticketLock(ticketId), async () => {
    const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!ticket) return null;
    const sentAt = new Date(event.sentAt);
    const newer = sentAt.getTime() >= ticket.lastMessageAt.getTime();
    // The customer answered: a ticket waiting on them, or solved a moment ago, is open again.
    const reopen = ticket.status === 'pending' || ticket.status === 'solved';
    const now = new Date();
    const triaged = ticketTriageChange(ticket, triage, { reopened: reopen });
    const context = await slaContextOf(ticket, triaged.priority);
    const sla = context
      ? slaChange(context.sla, (clocks) => {
          const reopened = reopen ? clocksOnStatusChange(clocks, ticket.status, 'open', now, context.hours, context.pauseStatuses) : clocks;
          const counted = clocksOnCustomerMessage(reopened, new Date(Math.min(sentAt.getTime(), now.getTime())), context);
          // Triage raised the priority: the running clocks take its targets, counting the time used.
          return triaged.priority === ticket.priority ? counted : clocksOnRetarget(counted, now, context);
        })
      : {};
    const set = {
      ...(newer ? { lastMessageAt: sentAt, lastMessagePreview: previewOf(event.text) } : {}),
      ...(reopen ? { status: 'open' as const } : {}),
      ...triaged.set,
      ...sla,
      updatedAt: now,
    };
    await Ticket.updateOne(
      { _id: ticketId },
      { $inc: { unreadCount: 1, messageCount: 1 }, $set: set, ...(reopen ? { $unset: { solvedAt: 1 } } : {}) },
      { timestamps: false },
    );
    const { solvedAt, ...rest } = ticket;
    return { ...rest, ...(reopen ? {} : { solvedAt }), ...set, unreadCount: ticket.unreadCount + 1, messageCount: ticket.messageCount + 1 };
  });
}

/**
 * A customer message, stored once: under the conversation's lock, a stored message with
 * this (channel, platform id) makes it a replay; otherwise the message is threaded and
 * inserted under the unique (channelId, externalId) index, which stops any racer whose
 * lock expired. A crash between the ticket's creation and the message's insert is mended
 * by the replay: the ticket remembers the message it was opened for and counted.
 */
async function ingestCreate(channel: ChannelDoc, event: InboundEvent, rawEventId: Types.ObjectId | null, deps: IngestDeps): Promise<IngestOutcome> {
  const contact = await resolveContact(channel.kind, event.author);
  const { contactId } = contact;
  // Before the conversation's lock: reading the text is the slowest step and needs no lock.
  const triage = await triageInbound(event, contact, deps.log, deps.triageSteps);
  const threadKey = threadKeyOf(channel._id, event, contactId);
  // One conversation at a time: replays and racing messages of a thread run in turn.
  return deps.locks.withLock(`thread:${threadKey}`, async () => {
    const existing = await Message.findOne({ channelId: channel._id, externalId: event.externalId }).lean<MessageDoc>();
    if (existing?.ingestState === 'done') return { outcome: 'duplicate', messageId: existing._id, ticketId: existing.ticketId };

    const threaded: Threaded = existing?.ticketId
      ? { ticketId: existing.ticketId, created: false, ticket: null, key: threadKey }
      : await threadMessage(channel, event, contactId, deps, newTicketTriage(triage));
    const { ticketId } = threaded;
    // The customer answered privately in a conversation moving to private: the move is done
    // (before the message is stored, so a replay after a crash still finds the move right).
    if (event.visibility === 'private' && threaded.ticket?.moveToPrivate) await customerWrotePrivately(threaded.ticket, new Date(event.sentAt), deps);

    let message: MessageDoc;
    if (existing) {
      // Left "claimed" by an earlier version's interrupted ingest: finish it.
      await Message.updateOne({ _id: existing._id }, { $set: { ticketId, ingestState: 'done' } });
      message = { ...existing, ticketId, ingestState: 'done' };
    } else {
      try {
        message = (await Message.create(newMessage(channel, event, contactId, ticketId, rawEventId, triage))).toObject<MessageDoc>();
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await Message.findOne({ channelId: channel._id, externalId: event.externalId }, { _id: 1, ticketId: 1 }).lean();
        return { outcome: 'duplicate', messageId: winner?._id ?? new Types.ObjectId(), ticketId: winner?.ticketId ?? ticketId };
      }
    }
    // Replies name public messages as their parent; a message that is itself the deciding key needs no second one.
    if (event.visibility === 'public' && messageKeyOf(channel._id, event.externalId) !== threaded.key) {
      await registerMessageKey(channel._id, event.externalId, ticketId);
    }

    const countedAtCreation = threaded.created || threaded.ticket?.openingExternalId === event.externalId;
    const ticket = countedAtCreation ? threaded.ticket : await countOnTicket(ticketId, event, triage, deps.locks);

    deps.events.emit(threaded.created ? 'ticket.created' : 'ticket.updated', { ticketId, ...(ticket ? { ticket } : {}) });
    deps.events.emit('message.created', { ticketId, messageId: message._id, message, ...(ticket ? { ticket } : {}) });
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
      return ingestEcho(channel, event, rawEventId, deps);
    case 'read':
      return ingestRead(channel, event, deps);
    case 'share':
      return recordShare(channel, event);
  }
}
