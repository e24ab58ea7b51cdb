import { Types } from 'mongoose';
import { activeTicketStatuses, type InboundEvent } from '@parley/common';
import { isDuplicateKeyError } from '../db/errors';
import type { ChannelDoc } from '../channels/channel.model';
import type Redis from 'ioredis';
import { slaForNewTicket } from '../sla/sla.service';
import { Ticket, TicketThread, assigneeFields, priorityRank, type TicketDoc } from '../tickets/ticket.model';

/** How long after "solved" a new customer message reopens the ticket instead of starting another. */
export const REOPEN_WINDOW_MS = 7 * 24 * 3_600_000;

/** The key of the one private conversation with a person on a channel (a move to private claims it for its ticket). */
export const privateThreadKeyOf = (channelId: Types.ObjectId, contactId: Types.ObjectId) => `${channelId.toHexString()}:dm:${contactId.toHexString()}`;

export function threadKeyOf(channelId: Types.ObjectId, event: InboundEvent, contactId: Types.ObjectId): string {
  // A private conversation with one person is one ticket at a time, whatever the platform's thread ids.
  if (event.visibility === 'private') return privateThreadKeyOf(channelId, contactId);
  return `${channelId.toHexString()}:t:${event.externalThreadId ?? event.externalId}`;
}

export const messageKeyOf = (channelId: Types.ObjectId, externalId: string) => `${channelId.toHexString()}:t:${externalId}`;

function joinable(ticket: TicketDoc, now: number): boolean {
  if ((activeTicketStatuses as readonly string[]).includes(ticket.status)) return true;
  return ticket.status === 'solved' && now - (ticket.solvedAt ?? ticket.updatedAt).getTime() <= REOPEN_WINDOW_MS;
}

/**
 * Readable ticket numbers come from a Redis counter (atomic, and no lock to wait for),
 * seeded from the highest number stored. The unique index on number is what guarantees
 * uniqueness: after a Redis flush the counter is re-seeded from the database.
 */
async function nextTicketNumber(redis: Redis, prefix: string, reseed = false): Promise<number> {
  const key = `${prefix}:counter:ticketNumber`;
  if (reseed || (await redis.exists(key)) === 0) {
    const highest = await Ticket.findOne({}, { number: 1 }).sort({ number: -1 }).lean();
    // Only ever move the counter forward.
    await redis.eval(`local v = tonumber(redis.call('get', KEYS[1]) or '0') if v < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end return 1`, 1, key, String(highest?.number ?? 0));
  }
  return redis.incr(key);
}

function subjectOf(text: string): string {
  const firstLine = text.split('\n').find((line) => line.trim()) ?? '';
  return firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine || '(no text)';
}

export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/**
 * Creates the ticket with a known id; a replay after a crash, or a racer, finds it there.
 * A plain insert, not an upsert: concurrent upserts of one _id are not reliably atomic
 * on FerretDB, while a second insert of an _id always fails. The ticket is born counting
 * the message it is opened for (no second write), and remembers which message that was,
 * so a replay after a crash does not count it again. Answers the new ticket, or null
 * when it existed already.
 */
async function ensureTicket(ticketId: Types.ObjectId, channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, deps: ThreadingDeps, opening: OpeningTriage): Promise<TicketDoc | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0 && (await Ticket.exists({ _id: ticketId }))) return null;
    const number = await nextTicketNumber(deps.redis, deps.prefix, attempt > 0);
    try {
      return await createTicket(ticketId, number, channel, event, contactId, opening);
    } catch (error) {
      // A duplicate is either this ticket, made by a racer, or a number taken: look again.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('could not allocate a ticket number');
}

/** What triage decided for the message a ticket is opened for: its priority, reason, language, sentiment and reach. */
export type OpeningTriage = Pick<TicketDoc, 'priority' | 'priorityRank'> & Partial<Pick<TicketDoc, 'priorityReason' | 'prioritySource' | 'language' | 'sentiment' | 'sentimentRecent' | 'influenceTier' | 'reach'>>;

async function createTicket(ticketId: Types.ObjectId, number: number, channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, opening: OpeningTriage): Promise<TicketDoc> {
  // The customer has been waiting since they wrote (a platform's clock ahead of ours counts from now).
  const openedAt = new Date(Math.min(new Date(event.sentAt).getTime(), Date.now()));
  const teamId = channel.teamId ?? null;
  const created = await Ticket.create({
    ...(await slaForNewTicket({ channelId: channel._id, origin: event.visibility, teamId, influenceTier: opening.influenceTier ?? 'standard', priority: opening.priority, openedAt })),
    ...opening,
    _id: ticketId,
    number,
    subject: subjectOf(event.text),
    status: 'new',
    channelId: channel._id,
    channelKind: channel.kind,
    origin: event.visibility,
    contactId,
    teamId,
    ...assigneeFields(null),
    tags: event.tags,
    unreadCount: 1,
    messageCount: 1,
    lastMessageAt: new Date(event.sentAt),
    lastMessagePreview: previewOf(event.text),
    openingExternalId: event.externalId,
  });
  return created.toObject<TicketDoc>();
}

export interface Threaded {
  ticketId: Types.ObjectId;
  /** The ticket was created for this message (and already counts it). */
  created: boolean;
  /** The ticket as read or created while threading, when it was. */
  ticket: TicketDoc | null;
  /** The thread key that decided. */
  key: string;
}

/**
 * Finds or creates the ticket of a message. The thread key document decides: messages of
 * one conversation read or claim the same key, so they join one ticket. Callers hold the
 * conversation's lock; the unique _id of the key is the backstop if a lock expired.
 */
export interface ThreadingDeps {
  redis: Redis;
  prefix: string;
}

async function onKey(key: string, ticketId: Types.ObjectId, channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, deps: ThreadingDeps, opening: OpeningTriage): Promise<Threaded> {
  const created = await ensureTicket(ticketId, channel, event, contactId, deps, opening);
  return { ticketId, created: created !== null, ticket: created, key };
}

export async function threadMessage(channel: ChannelDoc, event: InboundEvent, contactId: Types.ObjectId, deps: ThreadingDeps, opening: OpeningTriage = { priority: 'normal', priorityRank: priorityRank('normal') }, now = Date.now()): Promise<Threaded> {
  const keys = [threadKeyOf(channel._id, event, contactId)];
  // A reply whose parent we stored joins the parent's ticket, even without a thread id.
  if (event.externalParentId && event.visibility === 'public') keys.unshift(messageKeyOf(channel._id, event.externalParentId));

  const mappings = await TicketThread.find({ _id: { $in: keys } }).lean();
  for (const key of keys) {
    const mapping = mappings.find((candidate) => candidate._id === key);
    if (!mapping) continue;
    const ticket = await Ticket.findById(mapping.ticketId).lean<TicketDoc>();
    // The ticket's creation was interrupted: finish it.
    if (!ticket) return onKey(key, mapping.ticketId, channel, event, contactId, deps, opening);
    if (joinable(ticket, now)) return { ticketId: ticket._id, created: false, ticket, key };
    // A closed conversation: a new ticket takes over the key (compare-and-set, so racers agree).
    const ticketId = new Types.ObjectId();
    const swapped = await TicketThread.updateOne({ _id: key, ticketId: ticket._id }, { $set: { ticketId } });
    if (swapped.modifiedCount === 1) return onKey(key, ticketId, channel, event, contactId, deps, opening);
    const winner = await TicketThread.findById(key).lean();
    if (winner) return onKey(key, winner.ticketId, channel, event, contactId, deps, opening);
  }

  const key = keys[keys.length - 1] as string;
  const ticketId = new Types.ObjectId();
  try {
    await TicketThread.create({ _id: key, ticketId });
    return await onKey(key, ticketId, channel, event, contactId, deps, opening);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await TicketThread.findById(key).lean();
    if (!winner) throw error;
    return onKey(key, winner.ticketId, channel, event, contactId, deps, opening);
  }
}

/** Registers a stored message as a thread key, so replies to it find its ticket by _id. */
export async function registerMessageKey(channelId: Types.ObjectId, externalId: string, ticketId: Types.ObjectId): Promise<void> {
  try {
    // An insert, not an upsert: on FerretDB an upsert is a read and a write.
    await TicketThread.create({ _id: messageKeyOf(channelId, externalId), ticketId });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
