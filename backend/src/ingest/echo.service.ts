import { Types } from 'mongoose';
import type { InboundEvent } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { ContactIdentityKey } from '../contacts/contact.model';
import { identityKey } from '../contacts/contacts.service';
import { isDuplicateKeyError } from '../db/errors';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, TicketThread, ticketLock, type TicketDoc } from '../tickets/ticket.model';
import type { IngestDeps, IngestOutcome } from './ingest.service';
import { messageKeyOf, registerMessageKey, threadKeyOf } from './threading';

/**
 * The brand's own messages as the platform shows them back (echoes). One Parley sent is
 * confirmed (sent, with the platform's id); one the brand wrote elsewhere — the platform's
 * own app, Meta Business Suite, another tool — is stored as an outbound message of the
 * conversation it answers, and its id becomes a thread anchor, so the customer's answer to
 * it joins that ticket. Neither is a customer message: no unread count, no reopening, and
 * the SLA clocks are left alone (they measure Parley's agents).
 */

type EchoDeps = Pick<IngestDeps, 'events' | 'locks'>;

/**
 * What of a text survives the platforms' rewriting of the brand's message, to recognise our
 * own reply in an echo that does not name it: X sends every link through t.co and puts the
 * @handles a reply answers in front of it; Meta gives the text back as sent. Whitespace
 * and Unicode composition are not compared either.
 */
export function comparableText(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .replace(/^(?:@\w+\s+)+/u, '')
    .replace(/https?:\/\/\S+/gu, '<link>')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Our reply, not yet confirmed with the platform's id, that this echo shows. What is
 * reliable differs per platform, so only what holds on all of them decides:
 * - the conversation: the echo's ticket is the reply's;
 * - the message answered: a public reply goes under the message it names, and the echo
 *   names the same parent (X's in_reply_to, a Meta comment's parent), exactly;
 * - the text, as comparableText sees it.
 * Meta's private messages carry our id back as metadata and are found by it before this.
 * Text the platform rewrote otherwise (X links a bare domain too) does not match: the echo
 * is then stored as the brand's own, and gives way to ours when the send's answer names
 * the same id (removeOutsideCopy). A queued reply counts as well as a sending one: one with
 * the same parent and words would only repeat to the customer what they were just told.
 */
async function pendingReplyOf(ticketId: Types.ObjectId, event: InboundEvent): Promise<MessageDoc | null> {
  const candidates = await Message.find({ ticketId, direction: 'outbound', deliveryState: { $in: ['queued', 'sending'] } })
    .sort({ createdAt: 1 })
    .lean<MessageDoc[]>();
  const text = comparableText(event.text);
  return (
    candidates.find(
      (candidate) =>
        candidate.externalId.startsWith('parley:') &&
        candidate.visibility === event.visibility &&
        (!event.externalParentId || candidate.externalParentId === event.externalParentId) &&
        comparableText(candidate.text) === text,
    ) ?? null
  );
}

/** Marks our message sent with the platform's id (an echo is proof it got there). */
async function confirm(channel: ChannelDoc, message: MessageDoc, event: InboundEvent, { events }: EchoDeps): Promise<IngestOutcome> {
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
  // The customer may answer it before our send hears back: the anchor is there already.
  if (message.ticketId && message.visibility === 'public') await registerMessageKey(channel._id, event.externalId, message.ticketId);
  if (message.ticketId) {
    events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
    events.emit('message.sent', { ticketId: message.ticketId, messageId: message._id });
  }
  return { outcome: 'updated', messageId: message._id, ticketId: message.ticketId };
}

/** Our own message the echo names: by the platform's id, or by our id carried back as metadata. */
async function namedMessageOf(channel: ChannelDoc, event: InboundEvent): Promise<MessageDoc | null> {
  const byPlatformId = await Message.findOne({ channelId: channel._id, externalId: event.externalId }).lean<MessageDoc>();
  if (byPlatformId) return byPlatformId;
  if (!event.outboundMessageId || !Types.ObjectId.isValid(event.outboundMessageId)) return null;
  return Message.findOne({ _id: event.outboundMessageId, channelId: channel._id, direction: 'outbound' }).lean<MessageDoc>();
}

interface Conversation {
  ticket: TicketDoc;
  /** The conversation lock: the one a customer's message that continues it takes too. */
  lockKey: string;
}

/**
 * The ticket the brand's message belongs to, whatever its status (a late answer from the
 * app belongs to the history of a solved ticket too), or why there is none. A public reply
 * is found through the message it answers (its anchor) or the platform thread; a private
 * message through the person it was sent to. None is ever created for it.
 */
async function conversationOf(channel: ChannelDoc, event: InboundEvent): Promise<Conversation | { reason: string }> {
  if (event.visibility === 'private') {
    const recipient = event.recipient?.externalId;
    if (!recipient) return { reason: 'echo of a private message that names no recipient' };
    const owner = await ContactIdentityKey.findById(identityKey(channel.kind, recipient)).lean();
    if (!owner) return { reason: 'echo of the brand\'s private message to someone with no conversation in Parley' };
    const key = threadKeyOf(channel._id, event, owner.contactId);
    const mapping = await TicketThread.findById(key).lean();
    const ticket = mapping ? await Ticket.findById(mapping.ticketId).lean<TicketDoc>() : null;
    if (!ticket) return { reason: 'echo of the brand\'s private message to someone with no conversation in Parley' };
    return { ticket, lockKey: key };
  }
  const keys = [
    ...(event.externalParentId ? [messageKeyOf(channel._id, event.externalParentId)] : []),
    // A post that is its own thread answers nothing: the brand's own post.
    ...(event.externalThreadId && event.externalThreadId !== event.externalId ? [messageKeyOf(channel._id, event.externalThreadId)] : []),
  ];
  const mappings = keys.length > 0 ? await TicketThread.find({ _id: { $in: keys } }).lean() : [];
  for (const key of keys) {
    const mapping = mappings.find((candidate) => candidate._id === key);
    const ticket = mapping ? await Ticket.findById(mapping.ticketId).lean<TicketDoc>() : null;
    // A customer answering this message threads by its id first: the same lock.
    if (ticket) return { ticket, lockKey: messageKeyOf(channel._id, event.externalId) };
  }
  return {
    reason: event.externalParentId
      ? 'echo of the brand\'s reply to a message in no conversation Parley holds'
      : 'echo of the brand\'s own post, which answers no conversation in Parley',
  };
}

/** Who wrote it, as agents read it in the thread: the brand, outside Parley, with what the platform names. */
function outsideAuthorName(channel: ChannelDoc, event: InboundEvent): string {
  const brand = event.author.displayName ?? event.author.handle ?? channel.name;
  return event.sentVia ? `${brand} via ${event.sentVia}` : `${brand}, sent outside Parley`;
}

/** Stores the brand's message written elsewhere in its ticket: outbound, sent, counted, never unread. */
async function storeOutside(channel: ChannelDoc, event: InboundEvent, ticketId: Types.ObjectId, rawEventId: Types.ObjectId | null, deps: EchoDeps): Promise<IngestOutcome> {
  let message: MessageDoc;
  try {
    const created = await Message.create({
      ticketId,
      channelId: channel._id,
      direction: 'outbound',
      visibility: event.visibility,
      text: event.text,
      attachments: event.attachments,
      contactId: null,
      authorUserId: null,
      authorName: outsideAuthorName(channel, event),
      externalId: event.externalId,
      externalThreadId: event.externalThreadId ?? null,
      externalParentId: event.externalParentId ?? null,
      deliveryState: 'sent',
      language: event.language ?? null,
      tags: event.tags,
      sentAt: new Date(event.sentAt),
      rawEventId,
      ingestState: 'done',
      sentOutsideParley: true,
    });
    message = created.toObject<MessageDoc>();
  } catch (error) {
    // A racer (a replay, or our own send's answer) stored this id first.
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await Message.findOne({ channelId: channel._id, externalId: event.externalId }, { _id: 1, ticketId: 1 }).lean();
    return { outcome: 'duplicate', messageId: winner?._id ?? new Types.ObjectId(), ticketId: winner?.ticketId ?? ticketId };
  }
  // The customer answering the brand's reply names it as parent: that answer joins this ticket.
  if (event.visibility === 'public') await registerMessageKey(channel._id, event.externalId, ticketId);

  const ticket = await deps.locks.withLock(ticketLock(ticketId), async () => {
    const current = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!current) return null;
    const updatedAt = new Date();
    await Ticket.updateOne({ _id: ticketId }, { $inc: { messageCount: 1 }, $set: { updatedAt } }, { timestamps: false });
    return { ...current, messageCount: current.messageCount + 1, updatedAt };
  });
  deps.events.emit('message.created', { ticketId, messageId: message._id, message, ...(ticket ? { ticket } : {}) });
  deps.events.emit('ticket.updated', { ticketId, ...(ticket ? { ticket } : {}) });
  return { outcome: 'stored', messageId: message._id, ticketId, ticketCreated: false };
}

/**
 * An echo, stored once whatever is replayed or raced: our message it names is confirmed;
 * otherwise, under the conversation's lock, our pending reply it shows is confirmed, or the
 * brand's message from elsewhere is stored under the unique (channelId, externalId) index.
 */
export async function ingestEcho(channel: ChannelDoc, event: InboundEvent, rawEventId: Types.ObjectId | null, deps: IngestDeps): Promise<IngestOutcome> {
  const named = await namedMessageOf(channel, event);
  if (named) {
    if (named.direction !== 'outbound' || named.sentOutsideParley) return { outcome: 'duplicate', messageId: named._id, ticketId: named.ticketId };
    return confirm(channel, named, event, deps);
  }
  const conversation = await conversationOf(channel, event);
  if ('reason' in conversation) return { outcome: 'ignored', reason: conversation.reason };
  return deps.locks.withLock(`thread:${conversation.lockKey}`, async () => {
    const stored = await namedMessageOf(channel, event);
    if (stored) return stored.direction === 'outbound' && !stored.sentOutsideParley ? confirm(channel, stored, event, deps) : { outcome: 'duplicate', messageId: stored._id, ticketId: stored.ticketId };
    const pending = await pendingReplyOf(conversation.ticket._id, event);
    if (pending) return confirm(channel, pending, event, deps);
    return storeOutside(channel, event, conversation.ticket._id, rawEventId, deps);
  });
}

/**
 * Our send's answer names a platform id that an echo was stored under first, as the brand's
 * message from elsewhere, because it could not be recognised as ours (pendingReplyOf): it
 * was ours. Parley's message keeps the id (its author, its place in the agent's thread and
 * its job); the copy goes, uncounted, and the inbox is told to drop it. Answers whether the
 * id is free for our message now.
 */
export async function removeOutsideCopy(channelId: Types.ObjectId, externalId: string, ours: Types.ObjectId, deps: { events: DomainEventBus; locks: Locks }): Promise<boolean> {
  const holder = await Message.findOne({ channelId, externalId }).lean<MessageDoc>();
  if (!holder || holder._id.equals(ours)) return true;
  if (!holder.sentOutsideParley) return false;
  const { deletedCount } = await Message.deleteOne({ _id: holder._id });
  if (deletedCount === 0 || !holder.ticketId) return true;
  const ticketId = holder.ticketId;
  const ticket = await deps.locks.withLock(ticketLock(ticketId), async () => {
    const current = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!current) return null;
    const updatedAt = new Date();
    const messageCount = Math.max(0, current.messageCount - 1);
    await Ticket.updateOne({ _id: ticketId }, { $set: { messageCount, updatedAt } }, { timestamps: false });
    return { ...current, messageCount, updatedAt };
  });
  deps.events.emit('message.removed', { ticketId, messageId: holder._id });
  deps.events.emit('ticket.updated', { ticketId, ...(ticket ? { ticket } : {}) });
  return true;
}
