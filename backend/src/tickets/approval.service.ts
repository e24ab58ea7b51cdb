import { Types } from 'mongoose';
import { clocksOnAgentReply, type ApproveMessage, type RejectMessage } from '@parley/common';
import { Conflict, NotFound } from '../http/errors';
import { outboundLock } from '../outbound/outbound.queue';
import { enqueueOutbound } from '../outbound/outbound.queue';
import { slaChange, slaContextOf } from '../sla/sla.service';
import type { UserDoc } from '../users/user.model';
import { auditActorOf, userActor, type Actor } from './actor';
import { AuditEvent } from './audit-event.model';
import { Message, type MessageApprovalDoc, type MessageDoc } from './message.model';
import { Ticket, ticketLock, type TicketDoc } from './ticket.model';
import type { TicketDeps } from './tickets.service';

/**
 * Supervisor approval of public replies. A reply by an agent whose team asks for it is
 * stored as `pending_approval` and not queued; a supervisor or admin approves it (it is
 * queued through the one outbound path, exactly once) or rejects it with a comment the
 * agent reads (it is never sent). Each step is in the ticket's audit trail.
 *
 * SLA: a reply waiting for approval has not answered the customer. The response clocks stop
 * when it is approved, at the time of the approval, not when the agent wrote it (care teams
 * count the customer's wait, and the review is part of it) and not when the platform accepts
 * it (a platform's delay is not the team's, as for every reply).
 */

/** The approval a new pending reply starts with. */
export const pendingApproval = (requestedAt: Date): MessageApprovalDoc => ({ state: 'pending', requestedAt, decidedAt: null, decidedById: null, decidedByName: null, comment: null });

/** The agent's reply went into the queue: in the trail, and live to the supervisors and to them. */
export async function approvalRequested(actor: Actor, message: MessageDoc, deps: Pick<TicketDeps, 'events'>): Promise<void> {
  if (!message.ticketId) return;
  await AuditEvent.create({
    ticketId: message.ticketId,
    ...auditActorOf(actor),
    action: 'message.approval_requested',
    before: {},
    after: { messageId: message._id.toHexString(), deliveryState: 'pending_approval' },
    at: message.createdAt,
  });
  deps.events.emit('approval.updated', { ticketId: message.ticketId, messageId: message._id, message });
}

/** Stops the response clocks at the time the reply was approved: from then on the customer has their answer. */
async function answerClocks(ticketId: Types.ObjectId, at: Date, deps: TicketDeps): Promise<TicketDoc | null> {
  return deps.locks.withLock(ticketLock(ticketId), async () => {
    const current = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!current) return null;
    const context = await slaContextOf(current, current.priority);
    const set = context ? slaChange(context.sla, (clocks) => clocksOnAgentReply(clocks, at, context.hours)) : {};
    if (Object.keys(set).length === 0) return null;
    await Ticket.updateOne({ _id: ticketId }, { $set: set });
    return Ticket.findById(ticketId).lean<TicketDoc>();
  });
}

type Decision = { decision: 'approved'; comment: string | null } | { decision: 'rejected'; comment: string };

async function decide(decider: UserDoc, ticket: TicketDoc, messageId: string, { decision, comment }: Decision, deps: TicketDeps): Promise<MessageDoc> {
  if (!/^[a-f0-9]{24}$/.test(messageId)) throw new NotFound('Message');
  const now = new Date();
  // The delivery lock: two supervisors deciding at once, or a decision racing a delivery
  // sweep, see the reply one after the other, and only the first finds it pending.
  const decided = await deps.locks.withLock(outboundLock(messageId), async () => {
    const current = await Message.findOne({ _id: messageId, ticketId: ticket._id }).lean<MessageDoc>();
    if (!current || current.direction !== 'outbound') throw new NotFound('Message');
    if (current.deliveryState !== 'pending_approval') {
      const was = current.approval?.state === 'approved' ? 'approved already' : current.approval?.state === 'rejected' ? 'rejected already' : 'not waiting for approval';
      throw new Conflict(`This reply is ${was}`, 'deliveryState');
    }
    const approval: MessageApprovalDoc = {
      ...(current.approval ?? pendingApproval(current.createdAt)),
      state: decision,
      decidedAt: now,
      decidedById: decider._id,
      decidedByName: decider.name,
      comment,
    };
    const set = { deliveryState: decision === 'approved' ? ('queued' as const) : ('rejected' as const), approval, failureReason: null };
    await Message.updateOne({ _id: current._id }, { $set: set });
    return { ...current, ...set, updatedAt: now };
  });

  await AuditEvent.create({
    ticketId: ticket._id,
    ...auditActorOf(userActor(decider)),
    action: decision === 'approved' ? 'message.approved' : 'message.rejected',
    before: { messageId, deliveryState: 'pending_approval' },
    after: { messageId, deliveryState: decided.deliveryState, ...(comment ? { comment } : {}) },
    at: now,
  });

  let updatedTicket: TicketDoc | null = null;
  if (decision === 'approved') {
    updatedTicket = await answerClocks(ticket._id, now, deps);
    // Stored as queued first: if Redis cannot take the job now, the outbound sweep queues it.
    await enqueueOutbound(deps.queues, decided._id).catch((error: unknown) => deps.log.warn({ err: error, messageId }, 'could not queue an approved reply; the sweep will'));
  }
  const fresh = (await Message.findById(decided._id).lean<MessageDoc>()) ?? decided;
  deps.events.emit('message.updated', { ticketId: ticket._id, messageId: decided._id, message: fresh });
  deps.events.emit('approval.updated', { ticketId: ticket._id, messageId: decided._id, message: fresh });
  if (updatedTicket) deps.events.emit('ticket.updated', { ticketId: ticket._id, ticket: updatedTicket });
  return fresh;
}

/** A supervisor lets the reply go out: it is queued for delivery, and the response clocks stop now. */
export function approveReply(decider: UserDoc, ticket: TicketDoc, messageId: string, input: ApproveMessage, deps: TicketDeps): Promise<MessageDoc> {
  return decide(decider, ticket, messageId, { decision: 'approved', comment: input.comment ?? null }, deps);
}

/** A supervisor holds the reply back for good, saying why: the agent sees the comment and writes another. */
export function rejectReply(decider: UserDoc, ticket: TicketDoc, messageId: string, input: RejectMessage, deps: TicketDeps): Promise<MessageDoc> {
  return decide(decider, ticket, messageId, { decision: 'rejected', comment: input.comment }, deps);
}

/** How many replies wait for a supervisor (an equality on the indexed deliveryState). */
export const pendingApprovalCount = () => Message.countDocuments({ deliveryState: 'pending_approval' });

/** The replies waiting, longest first, each with its ticket. */
export async function pendingApprovals(limit = 100): Promise<{ items: Array<{ message: MessageDoc; ticket: TicketDoc }>; count: number }> {
  const [messages, count] = await Promise.all([
    Message.find({ deliveryState: 'pending_approval' }).sort({ createdAt: 1 }).limit(limit).lean<MessageDoc[]>(),
    pendingApprovalCount(),
  ]);
  const ticketIds = [...new Set(messages.flatMap((message) => (message.ticketId ? [message.ticketId.toHexString()] : [])))];
  const tickets = new Map<string, TicketDoc>();
  for (const ticket of await Promise.all(ticketIds.map((id) => Ticket.findById(id).lean<TicketDoc>()))) if (ticket) tickets.set(ticket._id.toHexString(), ticket);
  const items = messages.flatMap((message) => {
    const ticket = message.ticketId ? tickets.get(message.ticketId.toHexString()) : undefined;
    return ticket ? [{ message, ticket }] : [];
  });
  return { items, count };
}
