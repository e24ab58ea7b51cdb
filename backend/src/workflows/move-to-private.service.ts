import { Types } from 'mongoose';
import { activeTicketStatuses, type MoveToPrivateInput } from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { connectorFor } from '../connectors';
import type { PrivatePath } from '../connectors/connector';
import { Contact } from '../contacts/contact.model';
import { isDuplicateKeyError } from '../db/errors';
import { GuardrailBlocked, Invalid, MoveRefused } from '../http/errors';
import { privateThreadKeyOf } from '../ingest/threading';
import { enforcePublicGuardrails } from '../outbound/guardrails';
import { enqueueOutbound } from '../outbound/outbound.queue';
import { checkReplyLength } from '../outbound/reply-check';
import { auditActorOf, type Actor } from '../tickets/actor';
import { AuditEvent } from '../tickets/audit-event.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, TicketThread, type TicketDoc } from '../tickets/ticket.model';
import { replyAuthorOf, replyDocument, type TicketDeps } from '../tickets/tickets.service';
import { invitationConfirmed, invitationFor } from './private-invite';
import { PrivateMove, privateMoveId, type PrivateMoveDoc } from './private-move.model';
import { mirrorMove } from './move-to-private.sync';

/**
 * Public, then private: one action that answers a public complaint briefly in public and
 * opens the private path on the same platform (ARCHITECTURE.md, "Public, then private").
 * The person, rule or policy starting it is the actor; both messages are ordinary replies
 * through the one outbound path, the private one held until the public one is sent.
 */

const platformNames: Record<ChannelDoc['kind'], string> = { x: 'X', facebook: 'Facebook', instagram: 'Instagram', simulator: 'this channel', webhook: 'this channel' };

/** The public customer message the move answers: the one named, else the latest. */
async function publicTargetOf(ticket: TicketDoc, replyToMessageId: string | undefined): Promise<MessageDoc> {
  if (replyToMessageId) {
    const named = await Message.findOne({ _id: replyToMessageId, ticketId: ticket._id }).lean<MessageDoc>();
    if (!named) throw new Invalid('replyToMessageId is not a message of this ticket', 'replyToMessageId');
    if (named.direction !== 'inbound' || named.visibility !== 'public') throw new Invalid('replyToMessageId must name a public message of the customer', 'replyToMessageId');
    return named;
  }
  const latest = await Message.findOne({ ticketId: ticket._id, direction: 'inbound', visibility: 'public' }).sort({ sentAt: -1 }).lean<MessageDoc>();
  if (!latest) throw new MoveRefused('no_public_message', 'There is no public message of the customer in this conversation to answer in public', 'replyToMessageId');
  return latest;
}

/** One move at a time: a new one only after the last failed. */
function refuseWhileUnderWay(ticket: TicketDoc): void {
  const move = ticket.moveToPrivate;
  if (!move || move.state === 'failed') return;
  if (move.state === 'private') throw new MoveRefused('already_private', 'This conversation is private already: answer the customer in their private messages');
  throw new MoveRefused('under_way', `A move of this conversation to private is already under way (started by ${move.startedBy.name})`);
}

/** The same checks as any reply of that visibility, naming the field they are about. */
async function checkedAs(field: 'publicText' | 'privateText', ticket: TicketDoc, text: string): Promise<void> {
  try {
    await checkReplyLength(ticket, { text, visibility: field === 'publicText' ? 'public' : 'private' });
  } catch (error) {
    if (error instanceof Invalid && error.field === 'text') throw new Invalid(error.message, field);
    throw error;
  }
}

/** The guardrails on the public acknowledgement, named as its field: 422 with the findings, or the confirmKeys let through. */
async function publicTextGuarded(ticket: TicketDoc, target: MessageDoc, text: string, confirm: readonly string[]): Promise<string[]> {
  try {
    return await enforcePublicGuardrails({ ticket, replyTo: target, text }, confirm);
  } catch (error) {
    if (error instanceof GuardrailBlocked) throw new GuardrailBlocked(error.message, error.findings, 'publicText');
    throw error;
  }
}

/** Whether Parley has sent (or is sending) a private reply to this public message already. */
async function privateReplyUsed(ticket: TicketDoc, target: MessageDoc): Promise<boolean> {
  const answers = await Message.find({ ticketId: ticket._id, direction: 'outbound', visibility: 'private' }, { externalParentId: 1, deliveryState: 1 }).lean();
  return answers.some((answer) => answer.externalParentId === target.externalId && answer.deliveryState !== 'failed');
}

async function hasIdentityOn(ticket: TicketDoc, channel: ChannelDoc): Promise<boolean> {
  const contact = await Contact.findById(ticket.contactId, { identities: 1 }).lean();
  return contact?.identities.some((identity) => identity.kind === channel.kind) ?? false;
}

async function openingOf(path: PrivatePath, ticket: TicketDoc, channel: ChannelDoc, target: MessageDoc) {
  if (target.deleted) throw new MoveRefused('deleted', 'The customer deleted this message: there is nothing to answer in public', 'replyToMessageId');
  const opening = path.opens(
    { externalId: target.externalId, externalThreadId: target.externalThreadId, tags: target.tags, sentAt: target.sentAt, privateReplyUsed: await privateReplyUsed(ticket, target) },
    new Date(),
  );
  if ('via' in opening && opening.via === 'direct_message' && !(await hasIdentityOn(ticket, channel))) {
    return { refused: 'no_recipient' as const, message: `The customer has no identity on ${platformNames[channel.kind]} to write to privately` };
  }
  return opening;
}

/**
 * The customer's private conversation on this channel threads into this ticket from now on,
 * so their private answer joins it, even one that arrives before the platform confirms our
 * message. An open private conversation of theirs elsewhere is refused, naming it: the care
 * team answers one private conversation per person, in the ticket that already has it. A
 * solved or closed one gives its place to this ticket. Under the conversation's lock, the
 * one ingest takes for a private message of this person.
 */
async function claimPrivateThread(ticket: TicketDoc, deps: TicketDeps): Promise<void> {
  const key = privateThreadKeyOf(ticket.channelId, ticket.contactId);
  await deps.locks.withLock(`thread:${key}`, async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const mapping = await TicketThread.findById(key).lean();
      if (mapping?.ticketId.equals(ticket._id)) return;
      if (mapping) {
        const other = await Ticket.findById(mapping.ticketId, { number: 1, status: 1 }).lean<Pick<TicketDoc, '_id' | 'number' | 'status'>>();
        if (other && (activeTicketStatuses as readonly string[]).includes(other.status)) {
          throw new MoveRefused(
            'open_private_ticket',
            `The customer already has an open private conversation on this channel, ticket #${other.number}: answer them there, or solve it first`,
            'privateText',
            { ticketId: other._id.toHexString(), ticketNumber: other.number },
          );
        }
        // A conversation that ended: this ticket takes its place (compare-and-set, as threading does).
        const swapped = await TicketThread.updateOne({ _id: key, ticketId: mapping.ticketId }, { $set: { ticketId: ticket._id } });
        if (swapped.modifiedCount === 1) return;
        continue;
      }
      try {
        await TicketThread.create({ _id: key, ticketId: ticket._id });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new MoveRefused('under_way', 'The customer\'s private conversation changed meanwhile: try again');
  });
}


/**
 * Starts a move to private: checks what Parley knows (a public message to answer, a channel
 * with a private path, no move under way, the platform's rules for private replies), claims
 * the move and the customer's private conversation for this ticket, stores the public reply
 * (queued) and the private message (waiting for it), and answers the ticket as it now is.
 * Refusals are MoveRefused (409) naming the reason; with `fallback: "invite"` a private path
 * known to be closed posts the channel's invitation to write privately instead.
 */
export async function startMoveToPrivate(actor: Actor, ticket: TicketDoc, input: MoveToPrivateInput, deps: TicketDeps): Promise<TicketDoc> {
  const channel = await Channel.findById(ticket.channelId).lean<ChannelDoc>();
  if (!channel || channel.deletedAt || channel.status !== 'active') {
    throw new MoveRefused('channel_unavailable', 'The channel of this conversation is not working now (disabled, removed or waiting to be reconnected)');
  }
  const path = connectorFor(channel.kind).privatePath;
  if (!path) throw new MoveRefused('no_private_path', `${channel.name} has no private channel to move this conversation to: answer here`, 'privateText');
  const target = await publicTargetOf(ticket, input.replyToMessageId);
  refuseWhileUnderWay(ticket);
  await checkedAs('publicText', ticket, input.publicText);
  await checkedAs('privateText', ticket, input.privateText);
  // What is said in public takes the guardrails of every public reply (a warning the agent confirmed goes through).
  const guardrailConfirmed = await publicTextGuarded(ticket, target, input.publicText, input.confirm ?? []);

  const opening = await openingOf(path, ticket, channel, target);
  let invitation: string | null = null;
  let refusal: string | null = null;
  if ('refused' in opening) {
    const offered = await invitationFor(ticket, channel);
    if (input.fallback !== 'invite') throw new MoveRefused(opening.refused, opening.message, 'privateText', { invitation: offered });
    await checkedAs('publicText', ticket, offered);
    invitation = offered;
    refusal = opening.message;
  }

  const attempt = (ticket.moveToPrivate?.attempt ?? 0) + 1;
  const startedAt = new Date();
  const audit = auditActorOf(actor);
  const move: PrivateMoveDoc = {
    _id: privateMoveId(ticket._id, attempt),
    ticketId: ticket._id,
    attempt,
    state: refusal ? 'failed' : 'ack_sent',
    publicMessageId: new Types.ObjectId(),
    privateMessageId: refusal ? null : new Types.ObjectId(),
    invitationMessageId: null,
    targetMessageId: target._id,
    startedAt,
    startedBy: { kind: audit.actorKind ?? 'user', id: audit.actorId, name: audit.actorName ?? '' },
    reason: refusal,
    refusal,
    answeredAt: null,
    createdAt: startedAt,
    updatedAt: startedAt,
  };
  // The claim: of two moves started at once, one inserts this id.
  try {
    await PrivateMove.create(move);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new MoveRefused('under_way', 'A move of this conversation to private is already under way');
    throw error;
  }
  try {
    await claimPrivateThread(ticket, deps);
  } catch (error) {
    await PrivateMove.deleteOne({ _id: move._id });
    throw error;
  }

  const author = replyAuthorOf(actor);
  await Message.create(
    replyDocument(ticket, {
      _id: move.publicMessageId,
      text: invitation ?? input.publicText,
      visibility: 'public',
      target,
      author,
      at: startedAt,
      moveId: move._id,
      guardrailConfirmed: invitation ? await invitationConfirmed(ticket, target, invitation) : guardrailConfirmed,
    }),
  );
  if (move.privateMessageId) {
    await Message.create(
      replyDocument(ticket, {
        _id: move.privateMessageId,
        text: input.privateText,
        visibility: 'private',
        target,
        author,
        at: startedAt,
        deliveryState: 'waiting',
        moveId: move._id,
        sendAfter: move.publicMessageId,
      }),
    );
  }
  const updated = await mirrorMove(move, deps);
  await AuditEvent.create({
    ticketId: ticket._id,
    ...audit,
    action: 'ticket.move_to_private',
    before: {},
    after: { attempt, state: move.state, publicMessageId: move.publicMessageId, privateMessageId: move.privateMessageId, ...(refusal ? { reason: refusal } : {}) },
    at: startedAt,
  });
  // Stored as queued: if Redis cannot take the job now, the outbound sweep queues it.
  await enqueueOutbound(deps.queues, move.publicMessageId).catch((error: unknown) => deps.log.warn({ err: error, messageId: move.publicMessageId.toHexString() }, 'could not queue a reply; the sweep will'));
  deps.events.emit('message.created', { ticketId: ticket._id, messageId: move.publicMessageId });
  if (move.privateMessageId) deps.events.emit('message.created', { ticketId: ticket._id, messageId: move.privateMessageId });
  deps.log.info({ ticketId: ticket._id.toHexString(), moveId: move._id, by: audit.actorName, invited: refusal !== null }, 'move to private started');
  return updated ?? ticket;
}
