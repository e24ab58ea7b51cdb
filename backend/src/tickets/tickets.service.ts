import { Types } from 'mongoose';
import { clocksOnAgentReply, clocksOnRetarget, clocksOnStatusChange, type PostMessage, type PrioritySource, type QuickReply, type TicketUpdate } from '@parley/common';
import type { DomainEventBus } from '../events/domain-events';
import { Invalid, NotFound } from '../http/errors';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { enforcePublicGuardrails } from '../outbound/guardrails';
import { enqueueOutbound } from '../outbound/outbound.queue';
import { checkReplyLength } from '../outbound/reply-check';
import type { QueueFactory } from '../queue/queue.factory';
import { slaChange, slaContextOf } from '../sla/sla.service';
import { Team } from '../users/team.model';
import { publicReplyNeedsApproval } from '../users/teams.service';
import { User, type UserDoc } from '../users/user.model';
import { handoffChanges, learntOf } from '../bot/handoff.service';
import { auditActorOf, userActor, type Actor } from './actor';
import { approvalRequested, pendingApproval } from './approval.service';
import { AuditEvent } from './audit-event.model';
import { Message, type MessageDoc } from './message.model';
import { Ticket, assigneeFields, priorityRank, ticketLock, type TicketDoc } from './ticket.model';

export interface TicketDeps {
  events: DomainEventBus;
  locks: Locks;
  queues: QueueFactory;
  log: Logger;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function checkReferences(patch: TicketUpdate): Promise<void> {
  if (patch.assigneeId && !(await User.exists({ _id: patch.assigneeId, active: true }))) throw new Invalid('assigneeId is not an active user', 'assigneeId');
  if (patch.teamId && !(await Team.exists({ _id: patch.teamId }))) throw new Invalid('teamId is not a team', 'teamId');
}

function prioritySetBy(actor: Actor): { prioritySource: PrioritySource; priorityReason: string } {
  switch (actor.kind) {
    case 'user':
      return { prioritySource: 'user', priorityReason: `set by ${actor.user.name}` };
    case 'rule':
      return { prioritySource: 'rule', priorityReason: `rule “${actor.name}”` };
    case 'policy':
      return { prioritySource: 'policy', priorityReason: `SLA policy “${actor.name}”` };
    case 'system':
    case 'bot':
      return { prioritySource: 'user', priorityReason: `set by ${actor.name}` };
  }
}

/** Applies a change to a ticket, records who did it, and tells everyone watching. */
export async function updateTicket(actor: Actor, ticket: TicketDoc, patch: TicketUpdate, deps: TicketDeps): Promise<TicketDoc> {
  await checkReferences(patch);
  return deps.locks.withLock(ticketLock(ticket._id), async () => {
    const current = await Ticket.findById(ticket._id).lean<TicketDoc>();
    if (!current) throw new NotFound('Ticket');
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const record = (field: string, from: unknown, to: unknown) => {
      if (sameValue(from, to)) return;
      before[field] = from;
      after[field] = to;
    };
    if (patch.status !== undefined) {
      record('status', current.status, patch.status);
      set.status = patch.status;
      if (patch.status === 'solved' && current.status !== 'solved') set.solvedAt = new Date();
    }
    if (patch.priority !== undefined) {
      record('priority', current.priority, patch.priority);
      // Whoever sets it decides from now on: triage no longer changes it (the reason says who did).
      Object.assign(set, { priority: patch.priority, priorityRank: priorityRank(patch.priority), ...prioritySetBy(actor) });
    }
    if (patch.assigneeId !== undefined) {
      record('assigneeId', current.assigneeId?.toHexString() ?? null, patch.assigneeId);
      Object.assign(set, assigneeFields(patch.assigneeId ? new Types.ObjectId(patch.assigneeId) : null));
    }
    if (patch.teamId !== undefined) {
      record('teamId', current.teamId?.toHexString() ?? null, patch.teamId);
      set.teamId = patch.teamId ? new Types.ObjectId(patch.teamId) : null;
    }
    if (patch.tags !== undefined) {
      const tags = [...new Set(patch.tags)];
      record('tags', current.tags, tags);
      set.tags = tags;
    }
    if (Object.keys(after).length === 0) return current;

    const now = new Date();
    const status = patch.status ?? current.status;
    const priority = patch.priority ?? current.priority;
    const context = await slaContextOf(current, priority);
    if (context) {
      Object.assign(
        set,
        slaChange(context.sla, (clocks) => {
          const moved = clocksOnStatusChange(clocks, current.status, status, now, context.hours, context.pauseStatuses);
          return priority === current.priority ? moved : clocksOnRetarget(moved, now, context);
        }),
      );
    }
    await Ticket.updateOne({ _id: current._id }, { $set: set });
    await AuditEvent.create({ ticketId: current._id, ...auditActorOf(actor), action: 'ticket.updated', before, after, at: now });
    const updated = await Ticket.findById(current._id).lean<TicketDoc>();
    if (!updated) throw new NotFound('Ticket');
    deps.events.emit('ticket.updated', { ticketId: updated._id, ticket: updated });
    return updated;
  });
}

/** The agent has the conversation open: nothing in it is unread any more. */
export async function markTicketRead(ticket: TicketDoc, deps: TicketDeps): Promise<TicketDoc> {
  if (ticket.unreadCount === 0) return ticket;
  return deps.locks.withLock(ticketLock(ticket._id), async () => {
    const current = await Ticket.findById(ticket._id).lean<TicketDoc>();
    if (!current) throw new NotFound('Ticket');
    if (current.unreadCount === 0) return current;
    await Ticket.updateOne({ _id: current._id }, { $set: { unreadCount: 0 } });
    const updated = (await Ticket.findById(current._id).lean<TicketDoc>()) ?? { ...current, unreadCount: 0 };
    deps.events.emit('ticket.updated', { ticketId: updated._id, ticket: updated });
    return updated;
  });
}

/** The customer message a public reply answers: the one named, else the latest public one. */
async function replyTarget(ticket: TicketDoc, replyToMessageId: string | undefined): Promise<MessageDoc | null> {
  if (replyToMessageId) {
    const target = await Message.findOne({ _id: replyToMessageId, ticketId: ticket._id }).lean<MessageDoc>();
    if (!target) throw new Invalid('replyToMessageId is not a message of this ticket', 'replyToMessageId');
    return target;
  }
  return Message.findOne({ ticketId: ticket._id, direction: 'inbound' }).sort({ sentAt: -1 }).lean<MessageDoc>();
}

/** Who wrote a reply, as the thread shows it: an agent, or (no user) a rule or Parley itself. */
export interface ReplyAuthor {
  userId: Types.ObjectId | null;
  name: string;
  /** The bot's messages are marked as its own in the thread. */
  bot?: boolean;
}

export function replyAuthorOf(actor: Actor): ReplyAuthor {
  if (actor.kind === 'user') return { userId: actor.user._id, name: actor.user.name };
  return { userId: null, name: actor.name, ...(actor.kind === 'bot' ? { bot: true } : {}) };
}

export interface NewReply {
  _id: Types.ObjectId;
  text: string;
  visibility: 'public' | 'private' | 'note';
  /** The customer message answered: a public reply goes under it; a private one to a public comment is a private reply to it. */
  target: MessageDoc | null;
  author: ReplyAuthor;
  at: Date;
  /**
   * Replies are queued for the one way out, held `waiting` for the message they follow
   * (sendAfter), or `pending_approval` until a supervisor decides (with `approval`).
   */
  deliveryState?: 'queued' | 'waiting' | 'pending_approval';
  approval?: MessageDoc['approval'];
  /** The guardrail warnings confirmed for a public reply (their confirmKeys), let through again at send time. */
  guardrailConfirmed?: string[];
  /** The placeholder id until the platform names its own ("parley:<_id>" unless given). */
  externalId?: string;
  moveId?: string;
  sendAfter?: Types.ObjectId;
  /** The bot's buttons, sent where the platform has them. */
  quickReplies?: QuickReply[];
}

/** The document an agent's reply or note is stored as, before anything is sent. */
export function replyDocument(ticket: Pick<TicketDoc, '_id' | 'channelId'>, reply: NewReply): Omit<MessageDoc, 'createdAt' | 'updatedAt'> {
  return {
    _id: reply._id,
    ticketId: ticket._id,
    channelId: ticket.channelId,
    direction: 'outbound',
    visibility: reply.visibility,
    text: reply.text,
    attachments: [],
    contactId: null,
    authorUserId: reply.author.userId,
    authorName: reply.author.name,
    ...(reply.author.bot ? { authorType: 'bot' as const } : {}),
    ...(reply.quickReplies && reply.quickReplies.length > 0 ? { quickReplies: reply.quickReplies } : {}),
    externalId: reply.externalId ?? `parley:${reply._id.toHexString()}`,
    externalThreadId: reply.target?.externalThreadId ?? null,
    externalParentId: reply.target?.externalId ?? null,
    deliveryState: reply.visibility === 'note' ? 'internal' : (reply.deliveryState ?? 'queued'),
    failureReason: null,
    deleted: false,
    previousTexts: [],
    language: null,
    tags: [],
    sentAt: reply.at,
    rawEventId: null,
    ingestState: 'done',
    ...(reply.moveId ? { moveId: reply.moveId } : {}),
    ...(reply.sendAfter ? { sendAfter: reply.sendAfter } : {}),
    ...(reply.approval ? { approval: reply.approval } : {}),
    ...(reply.guardrailConfirmed && reply.guardrailConfirmed.length > 0 ? { guardrailConfirmed: reply.guardrailConfirmed } : {}),
  };
}

/**
 * What a person's answer to the customer (not a note) does to its ticket, written with it: the
 * first answer opens a new ticket, an answer means the agent has read the thread, and it stops
 * the response clocks at the time it was written, not delivered — unless it waits for a
 * supervisor's approval, which stops them when it is approved (`stopsClocks: false`).
 */
export async function answeredChanges(current: TicketDoc, at: Date, { stopsClocks = true }: { stopsClocks?: boolean } = {}): Promise<Record<string, unknown>> {
  const set: Record<string, unknown> = { unreadCount: 0 };
  if (current.status === 'new') set.status = 'open';
  if (!current.firstResponseAt) set.firstResponseAt = at;
  if (!current.firstHumanResponseAt) set.firstHumanResponseAt = at;
  const context = stopsClocks ? await slaContextOf(current, current.priority) : null;
  if (context) Object.assign(set, slaChange(context.sla, (clocks) => clocksOnAgentReply(clocks, at, context.hours)));
  return set;
}

/**
 * The bot's reply: the first response by anyone (the report compares it with the first by a
 * person), and an answer on the SLA only where the policy counts the bot's replies. It neither
 * opens the ticket nor marks it read: people have not looked at it.
 */
async function botAnsweredChanges(current: TicketDoc, at: Date): Promise<Record<string, unknown>> {
  const set: Record<string, unknown> = current.firstResponseAt ? {} : { firstResponseAt: at };
  const context = await slaContextOf(current, current.priority);
  if (context?.countBotReplies) Object.assign(set, slaChange(context.sla, (clocks) => clocksOnAgentReply(clocks, at, context.hours)));
  return set;
}

/** A person answering a conversation the bot holds takes it over: the hand-off first, then their answer on the clocks it restarted. */
async function personAnsweredChanges(current: TicketDoc, at: Date, options: { stopsClocks: boolean }): Promise<Record<string, unknown>> {
  if (current.botState !== 'active') return answeredChanges(current, at, options);
  const handoff = await handoffChanges(current, 'agent_replied', learntOf(current), at);
  return { ...handoff, ...(await answeredChanges({ ...current, ...handoff }, at, options)) };
}

/**
 * messageId: the id the message takes, chosen ahead by an automation so that running it again
 * finds the message instead of writing it twice. quickReplies: the bot's buttons.
 */
export interface PostMessageOptions {
  messageId?: Types.ObjectId;
  quickReplies?: QuickReply[];
}

/**
 * An agent's message: a note is stored and shown to colleagues only; a public or private
 * reply is stored as queued and handed to the outbound queue, the one way out. A public reply
 * a guardrail holds back is refused (422 with the findings) before anything is stored. A public
 * reply by an agent whose team asks for approval waits as pending_approval instead
 * (approval.service.ts): not queued, and not yet an answer for the SLA.
 */
export function postMessage(author: UserDoc, ticket: TicketDoc, body: PostMessage, deps: TicketDeps): Promise<MessageDoc> {
  return postMessageAs(userActor(author), ticket, body, deps);
}

/**
 * A message in a ticket by anyone who may write one: an agent (postMessage), or an automation
 * rule, whose reply takes the same checks and the same way out. Only a person's reply counts
 * as the team answering: it opens a new ticket, marks the thread read and stops the response
 * clocks; an automatic acknowledgement does none of these.
 */
export async function postMessageAs(actor: Actor, ticket: TicketDoc, body: PostMessage, deps: TicketDeps, options: PostMessageOptions = {}): Promise<MessageDoc> {
  await checkReplyLength(ticket, body);
  const target = body.visibility === 'note' ? null : await replyTarget(ticket, body.replyToMessageId);
  if (body.visibility === 'private' && ticket.origin === 'public' && !target) {
    throw new Invalid('there is no customer message to answer privately', 'visibility');
  }
  // Every public reply goes through the guardrails, whoever writes it (a rule sends no confirm keys).
  const guardrailConfirmed = body.visibility === 'public' ? await enforcePublicGuardrails({ ticket, replyTo: target, text: body.text }, body.confirm ?? []) : [];
  // Approval is about people: a team may ask a supervisor to look at some agents' public replies.
  const needsApproval = body.visibility === 'public' && actor.kind === 'user' && (await publicReplyNeedsApproval(actor.user));
  const _id = options.messageId ?? new Types.ObjectId();
  const now = new Date();
  // Only a person's reply is the team answering (an automatic acknowledgement is not).
  const answers = body.visibility !== 'note' && actor.kind === 'user';
  const botAnswers = body.visibility !== 'note' && actor.kind === 'bot';
  const message = await Message.create(
    replyDocument(ticket, {
      _id,
      text: body.text,
      visibility: body.visibility,
      target,
      author: replyAuthorOf(actor),
      at: now,
      ...(needsApproval ? { deliveryState: 'pending_approval' as const, approval: pendingApproval(now) } : {}),
      guardrailConfirmed,
      ...(options.quickReplies ? { quickReplies: options.quickReplies } : {}),
    }),
  );

  const updated = await deps.locks.withLock(ticketLock(ticket._id), async () => {
    const current = await Ticket.findById(ticket._id).lean<TicketDoc>();
    if (!current) return null;
    const set = answers ? await personAnsweredChanges(current, now, { stopsClocks: !needsApproval }) : botAnswers ? await botAnsweredChanges(current, now) : {};
    await Ticket.updateOne({ _id: ticket._id }, { $inc: { messageCount: 1 }, ...(Object.keys(set).length > 0 ? { $set: set } : {}) });
    return Ticket.findById(ticket._id).lean<TicketDoc>();
  });

  if (body.visibility !== 'note' && !needsApproval) {
    // The reply is stored: if Redis cannot take the job now, the outbound sweep queues it, and
    // the agent must not be told it failed (they would send it twice).
    await enqueueOutbound(deps.queues, _id).catch((error: unknown) => deps.log.warn({ err: error, messageId: _id.toHexString() }, 'could not queue a reply; the sweep will'));
  }
  const stored = message.toObject<MessageDoc>();
  deps.events.emit('message.created', { ticketId: ticket._id, messageId: _id });
  deps.events.emit('ticket.updated', { ticketId: ticket._id, ...(updated ? { ticket: updated } : {}) });
  if (needsApproval) await approvalRequested(actor, stored, deps);
  return stored;
}
