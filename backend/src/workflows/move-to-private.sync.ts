import { Types } from 'mongoose';
import type { MoveToPrivateState } from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { isDuplicateKeyError } from '../db/errors';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { releaseHeld } from '../outbound/outbound.held';
import { enqueueOutbound } from '../outbound/outbound.queue';
import { checkReplyLength } from '../outbound/reply-check';
import type { QueueFactory } from '../queue/queue.factory';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, ticketLock, type TicketDoc, type TicketMoveDoc } from '../tickets/ticket.model';
import { answeredChanges, replyDocument } from '../tickets/tickets.service';
import { invitationConfirmed, invitationFor } from './private-invite';
import { PrivateMove, type PrivateMoveDoc } from './private-move.model';

/**
 * The life of a move to private after it started, driven by what happens to its messages
 * (delivery outcomes) and by the customer (their private answer): its state is worked out
 * again from those facts each time, so running it twice, late or after a restart changes
 * nothing that is already right. The ticket's copy follows the move.
 */

export interface MoveDeps {
  events: DomainEventBus;
  locks: Locks;
  queues: QueueFactory;
  log: Logger;
}

const moveLock = (moveId: string) => `move:${moveId}`;

type StepState = Pick<MessageDoc, '_id' | 'deliveryState' | 'failureReason'> | null;

const delivered = (step: StepState) => step?.deliveryState === 'sent' || step?.deliveryState === 'read';

/** The ticket's copy of a move, as GET /api/tickets/:id and ticket events show it. */
function copyOf(move: PrivateMoveDoc): TicketMoveDoc {
  return {
    attempt: move.attempt,
    state: move.state,
    publicMessageId: move.publicMessageId,
    privateMessageId: move.privateMessageId,
    invitationMessageId: move.invitationMessageId,
    startedAt: move.startedAt,
    startedBy: move.startedBy,
    reason: move.reason,
  };
}

const sameCopy = (a: TicketMoveDoc, b: TicketMoveDoc) =>
  a.attempt === b.attempt &&
  a.state === b.state &&
  a.reason === b.reason &&
  String(a.invitationMessageId ?? '') === String(b.invitationMessageId ?? '') &&
  String(a.privateMessageId ?? '') === String(b.privateMessageId ?? '');

/**
 * Writes the move onto its ticket and tells the inbox. The first write of a move also counts
 * the messages it stored and, when a person started it, does what their answer does (opens a
 * new ticket, marks it read, stops the response clocks at the time they wrote); it is the same
 * write whether the request made it or a sweep after an interruption.
 */
export async function mirrorMove(move: PrivateMoveDoc, deps: Pick<MoveDeps, 'events' | 'locks'>, { counted = 0 }: { counted?: number } = {}): Promise<TicketDoc | null> {
  return deps.locks.withLock(ticketLock(move.ticketId), async () => {
    const current = await Ticket.findById(move.ticketId).lean<TicketDoc>();
    if (!current) return null;
    const shown = current.moveToPrivate;
    // A later move of this ticket has taken over the copy.
    if (shown && shown.attempt > move.attempt) return current;
    const copy = copyOf(move);
    const first = !shown || shown.attempt < move.attempt;
    if (!first && sameCopy(shown, copy) && counted === 0) return current;
    // Counted as they are stored: a start interrupted before its messages were leaves none to count.
    const ids = [move.publicMessageId, move.privateMessageId].filter((id): id is Types.ObjectId => id !== null);
    const stored = first ? (await Promise.all(ids.map((id) => Message.exists({ _id: id })))).filter(Boolean).length : 0;
    const answered = stored > 0 && move.startedBy.kind === 'user' ? await answeredChanges(current, move.startedAt) : {};
    const increment = stored + counted;
    await Ticket.updateOne({ _id: current._id }, { $set: { ...answered, moveToPrivate: copy }, ...(increment > 0 ? { $inc: { messageCount: increment } } : {}) });
    const updated = await Ticket.findById(current._id).lean<TicketDoc>();
    if (updated) deps.events.emit('ticket.updated', { ticketId: updated._id, ticket: updated });
    return updated;
  });
}

interface Decision {
  state: MoveToPrivateState;
  reason: string | null;
  /** The private path failed while the public one works: invite the customer to write privately. */
  invite: boolean;
}

/** Sentences of a reason, the later ones only when there are. */
const sentences = (...parts: Array<string | null | undefined>) => parts.filter((part): part is string => Boolean(part)).join('. ');

/** Where a move stands, from its messages and the customer's answer. */
function decide(move: PrivateMoveDoc, ack: StepState, privateStep: StepState, invitation: StepState, { missingFails }: { missingFails: boolean }): Decision {
  if (move.answeredAt) return { state: 'private', reason: null, invite: false };
  const notPosted = (step: StepState) => (step?.deliveryState === 'failed' ? `The invitation to write privately could not be posted either: ${step.failureReason ?? 'no reason given'}` : null);
  // The invitation went instead of the private message: the refusal stays the reason.
  if (move.refusal !== null) return { state: 'failed', reason: sentences(move.refusal, notPosted(ack)), invite: false };
  if (!ack || (move.privateMessageId && !privateStep)) {
    return missingFails
      ? { state: 'failed', reason: 'Parley stopped before the messages of this move were stored, and nothing was sent: start the move again', invite: false }
      : { state: move.state, reason: move.reason, invite: false };
  }
  if (ack.deliveryState === 'failed') {
    return { state: 'failed', reason: `The public reply could not be sent, so the private message was not sent either: ${ack.failureReason ?? 'no reason given'}`, invite: false };
  }
  if (privateStep?.deliveryState === 'failed') {
    return { state: 'failed', reason: sentences(privateStep.failureReason ?? 'The private message could not be sent', notPosted(invitation)), invite: delivered(ack) };
  }
  if (delivered(privateStep)) return { state: 'awaiting_customer', reason: null, invite: false };
  return { state: 'ack_sent', reason: null, invite: false };
}

const stepOf = (id: Types.ObjectId | null): Promise<StepState> =>
  id ? Message.findById(id, { deliveryState: 1, failureReason: 1 }).lean<Pick<MessageDoc, '_id' | 'deliveryState' | 'failureReason'>>() : Promise.resolve(null);

/**
 * The public invitation to write privately, when the private message failed: a public reply
 * to the message the move answered, posted once. Its placeholder id is derived from the move,
 * so even two syncs racing past the move's lock store one; the move then names it.
 */
async function postInvitation(move: PrivateMoveDoc, deps: MoveDeps): Promise<{ id: Types.ObjectId; created: boolean } | { failed: string }> {
  const [ticket, target] = await Promise.all([Ticket.findById(move.ticketId).lean<TicketDoc>(), Message.findById(move.targetMessageId).lean<MessageDoc>()]);
  const channel = ticket ? await Channel.findById(ticket.channelId).lean<ChannelDoc>() : null;
  if (!ticket || !target || !channel) return { failed: 'The conversation or its channel is gone' };
  const text = await invitationFor(ticket, channel);
  try {
    await checkReplyLength(ticket, { text, visibility: 'public' });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
  const externalId = `parley:${move._id}:invitation`;
  const _id = new Types.ObjectId();
  const author = { userId: move.startedBy.kind === 'user' ? move.startedBy.id : null, name: move.startedBy.name, ...(move.startedBy.kind === 'bot' ? { bot: true } : {}) };
  try {
    const guardrailConfirmed = await invitationConfirmed(ticket, target, text);
    await Message.create(replyDocument(ticket, { _id, text, visibility: 'public', target, author, at: new Date(), externalId, moveId: move._id, guardrailConfirmed }));
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await Message.findOne({ channelId: ticket.channelId, externalId }, { _id: 1 }).lean();
    if (!existing) throw error;
    return { id: existing._id, created: false };
  }
  await enqueueOutbound(deps.queues, _id).catch((error: unknown) => deps.log.warn({ err: error, messageId: _id.toHexString() }, 'could not queue the invitation; the sweep will'));
  deps.events.emit('message.created', { ticketId: ticket._id, messageId: _id });
  return { id: _id, created: true };
}

/**
 * Works out the move's state again from its messages and the customer's answer, posts the
 * invitation to write privately when the private message failed, and writes the ticket's copy.
 * `missingFails`: the sweep's call for a move whose messages never got stored (an interrupted
 * start) marks it failed, where a call during the start would be too early to tell.
 */
export async function syncMove(moveId: string, deps: MoveDeps, { missingFails = false }: { missingFails?: boolean } = {}): Promise<void> {
  await deps.locks.withLock(moveLock(moveId), async () => {
    const move = await PrivateMove.findById(moveId).lean<PrivateMoveDoc>();
    if (!move) return;
    const [ack, privateStep, invitation] = await Promise.all([stepOf(move.publicMessageId), stepOf(move.privateMessageId), stepOf(move.invitationMessageId)]);
    const decision = decide(move, ack, privateStep, invitation, { missingFails });
    let invitationMessageId = move.invitationMessageId;
    let reason = decision.reason;
    let counted = 0;
    if (decision.invite && !invitationMessageId) {
      const posted = await postInvitation(move, deps);
      if ('failed' in posted) reason = sentences(reason, `The invitation to write privately could not be posted: ${posted.failed}`);
      else {
        invitationMessageId = posted.id;
        if (posted.created) counted = 1;
      }
    }
    const next: PrivateMoveDoc = { ...move, state: decision.state, reason, invitationMessageId };
    // The ticket's copy first: a move whose own record still says ack_sent is looked at again by the sweep.
    await mirrorMove(next, deps, { counted });
    if (next.state !== move.state || next.reason !== move.reason || String(next.invitationMessageId ?? '') !== String(move.invitationMessageId ?? '')) {
      await PrivateMove.updateOne({ _id: move._id }, { $set: { state: next.state, reason: next.reason, invitationMessageId: next.invitationMessageId } });
      deps.log.info({ moveId, state: next.state, reason: next.reason }, 'move to private changed');
    }
  });
}

/**
 * A step of a move settled (sent, or failed for good): the private message waiting for the
 * public one goes, or fails with it, and the move's state follows.
 */
export async function moveStepSettled(message: Pick<MessageDoc, '_id' | 'moveId'>, deps: MoveDeps): Promise<void> {
  if (!message.moveId) return;
  const move = await PrivateMove.findById(message.moveId, { publicMessageId: 1, privateMessageId: 1 }).lean();
  if (!move) return;
  if (move.privateMessageId && move.publicMessageId.equals(message._id)) await releaseHeld(move.privateMessageId, deps);
  await syncMove(message.moveId, deps);
}

/**
 * The customer wrote privately in a ticket whose conversation is moving to private: the move
 * is done. Called by ingest before the message is stored, so a crash in between leaves the
 * move right and the replayed delivery stores the message.
 */
export async function customerWrotePrivately(ticket: Pick<TicketDoc, '_id' | 'moveToPrivate'>, at: Date, deps: Pick<MoveDeps, 'events' | 'locks'>): Promise<void> {
  const shown = ticket.moveToPrivate;
  if (!shown || shown.state === 'private') return;
  const moveId = `${ticket._id.toHexString()}:${shown.attempt}`;
  await deps.locks.withLock(moveLock(moveId), async () => {
    const move = await PrivateMove.findById(moveId).lean<PrivateMoveDoc>();
    if (!move || move.state === 'private') return;
    const next: PrivateMoveDoc = { ...move, state: 'private', reason: null, answeredAt: move.answeredAt ?? at };
    await PrivateMove.updateOne({ _id: move._id }, { $set: { state: next.state, reason: null, answeredAt: next.answeredAt } });
    await mirrorMove(next, deps);
  });
}

const SWEEP_BATCH = 200;

/**
 * Finishes what an interrupted worker left of moves: a private message still waiting although
 * the public one it follows was sent or failed (the worker stopped between the two), and moves
 * whose state never caught up with their messages. Touches nothing changed within staleAfterMs,
 * which the workers are handling right now. Answers how many it moved on.
 */
export async function sweepPrivateMoves(
  deps: MoveDeps,
  { staleAfterMs, releaseAfterMs = staleAfterMs, now = Date.now() }: { staleAfterMs: number; releaseAfterMs?: number; now?: number },
): Promise<number> {
  const before = new Date(now - staleAfterMs);
  let moved = 0;
  const waiting = await Message.find({ deliveryState: 'waiting', updatedAt: { $lt: new Date(now - releaseAfterMs) } }, { _id: 1, moveId: 1 })
    .limit(SWEEP_BATCH)
    .lean<Array<Pick<MessageDoc, '_id' | 'moveId'>>>();
  for (const held of waiting) {
    const outcome = await releaseHeld(held._id, deps);
    if (outcome === 'held' || outcome === 'unchanged') continue;
    moved += 1;
    if (held.moveId) await syncMove(held.moveId, deps);
  }
  const underWay = await PrivateMove.find({ state: 'ack_sent', updatedAt: { $lt: before } }, { _id: 1, state: 1 }).limit(SWEEP_BATCH).lean();
  for (const move of underWay) {
    await syncMove(move._id, deps, { missingFails: true });
    const after = await PrivateMove.findById(move._id, { state: 1 }).lean();
    if (after && after.state !== move.state) moved += 1;
  }
  if (moved > 0) deps.log.info({ moved }, 'moves to private continued after an interruption');
  return moved;
}
