import type { Job } from 'bull';
import { channelContext, markChannelNeedsReauth } from '../channels/channels.service';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { DeliveryError, PermanentFailure, RateLimited, ReauthRequired, type ChannelContext, type Connector, type OutboundMessage } from '../connectors/connector';
import { Contact } from '../contacts/contact.model';
import { addIdentity } from '../contacts/contacts.service';
import { isDuplicateKeyError } from '../db/errors';
import type { DomainEventBus } from '../events/domain-events';
import { removeOutsideCopy } from '../ingest/echo.service';
import { registerMessageKey } from '../ingest/threading';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { outboundDeliveries } from '../metrics';
import type { QueueFactory } from '../queue/queue.factory';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { guardrailFindingsFor, heldBackReason } from './guardrails';
import { moveStepSettled } from '../workflows/move-to-private.sync';
import { followedFailure } from './outbound.held';
import { enqueueOutbound, outboundJobId, outboundLock, type OutboundJob } from './outbound.queue';

export interface OutboundDeps {
  config: Config;
  events: DomainEventBus;
  locks: Locks;
  queues: QueueFactory;
  log: Logger;
}

/** What one delivery attempt came to (for metrics and tests). */
export type DeliveryOutcome = 'sent' | 'found_sent' | 'rate_limited' | 'retry' | 'failed' | 'reauth' | 'skipped' | 'held';

/** Outcomes after which a message is done with, sent or not: the next step of a move to private may follow. */
const SETTLED: ReadonlySet<DeliveryOutcome> = new Set(['sent', 'found_sent', 'failed', 'reauth']);

/** A check of ours that fails the message before any platform is called. */
class NotDeliverable extends Error {}

/** Everything the connector needs about the reply: ids and context, never whole documents. */
async function outboundMessage(message: MessageDoc, channel: ChannelDoc): Promise<OutboundMessage> {
  const ticket = message.ticketId ? await Ticket.findById(message.ticketId, { contactId: 1 }).lean() : null;
  const contact = ticket ? await Contact.findById(ticket.contactId, { identities: 1 }).lean() : null;
  const recipient = contact?.identities.find((identity) => identity.kind === channel.kind)?.externalId;
  const answered = message.externalParentId
    ? await Message.findOne({ channelId: channel._id, externalId: message.externalParentId }, { visibility: 1, tags: 1 }).lean()
    : null;
  const lastFromCustomer = ticket
    ? await Message.findOne({ channelId: channel._id, contactId: ticket.contactId, direction: 'inbound' }, { sentAt: 1 }).sort({ sentAt: -1 }).lean()
    : null;
  if (message.visibility !== 'public' && message.visibility !== 'private') throw new NotDeliverable('Only public and private replies are delivered');
  if (message.visibility === 'private' && !recipient) throw new NotDeliverable('The customer has no identity on this channel to write to');
  return {
    messageId: message._id.toHexString(),
    text: message.text,
    visibility: message.visibility,
    sentBy: message.authorUserId ? 'agent' : 'bot',
    ...(message.externalParentId ? { inReplyToExternalId: message.externalParentId } : {}),
    ...(answered && (answered.visibility === 'public' || answered.visibility === 'private') ? { inReplyToVisibility: answered.visibility } : {}),
    ...(answered && Array.isArray(answered.tags) && answered.tags.length > 0 ? { inReplyToTags: answered.tags } : {}),
    ...(message.externalThreadId ? { threadExternalId: message.externalThreadId } : {}),
    ...(recipient ? { recipientExternalId: recipient } : {}),
    ...(lastFromCustomer ? { lastCustomerMessageAt: lastFromCustomer.sentAt.toISOString() } : {}),
    ...(message.quickReplies && message.quickReplies.length > 0 && connectorFor(channel.kind).quickReplies?.[message.visibility]
      ? { quickReplies: message.quickReplies.map(({ title, payload }) => ({ title, payload })) }
      : {}),
  };
}

/**
 * Why a public message may not go out (the guardrails, checked again at send time, whoever
 * wrote it: an agent, the bot, an automation rule), or null. One already handed to the
 * platform (`sending`) passed this check before it was.
 */
async function guardrailHold(message: MessageDoc, channel: ChannelDoc, log: Logger): Promise<string | null> {
  if (message.visibility === 'note' || message.visibility === 'private' || message.deliveryState !== 'queued') return null;
  const ticket = message.ticketId ? await Ticket.findById(message.ticketId, { channelId: 1, channelKind: 1, contactId: 1 }).lean() : null;
  const replyTo = message.externalParentId
    ? await Message.findOne({ channelId: channel._id, externalId: message.externalParentId }, { contactId: 1, language: 1 }).lean<Pick<MessageDoc, 'contactId' | 'language'>>()
    : null;
  const subject = {
    ticket: ticket ?? { _id: message._id, channelId: channel._id, channelKind: channel.kind, contactId: message.contactId ?? message._id },
    replyTo,
    text: message.text,
  };
  const { unresolved } = await guardrailFindingsFor(subject, { confirmed: message.guardrailConfirmed ?? [] });
  if (unresolved.length > 0) log.warn({ messageId: message._id.toHexString(), kinds: unresolved.map((finding) => finding.kind) }, 'public message held back by a guardrail');
  return heldBackReason(unresolved);
}

/**
 * Delivers one queued reply through its channel's connector, under a per-message lock so
 * two jobs never send it at once. The message is marked `sending` before the platform is
 * called; a job that finds it `sending` (an earlier attempt's outcome is unknown) first
 * asks the connector whether the platform has it (findSent), so nothing is sent twice.
 */
export async function deliverMessage(messageId: string, deps: OutboundDeps, finalAttempt: boolean): Promise<DeliveryOutcome> {
  let step: Pick<MessageDoc, '_id' | 'moveId'> | undefined;
  const outcome = await deps.locks.withLock(outboundLock(messageId), async (): Promise<DeliveryOutcome> => {
    const message = await Message.findById(messageId).lean<MessageDoc>();
    if (!message || message.direction !== 'outbound') return 'skipped';
    if (message.deliveryState !== 'queued' && message.deliveryState !== 'sending') return 'skipped';
    if (message.moveId) step = message;

    const channel = await Channel.findById(message.channelId).lean<ChannelDoc>();
    const kind = channel?.kind ?? 'unknown';
    const record = (outcome: DeliveryOutcome) => {
      outboundDeliveries.inc({ kind, outcome });
      return outcome;
    };
    const changed = () => {
      if (message.ticketId) deps.events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
    };
    const fail = async (reason: string) => {
      await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'failed', failureReason: reason } });
      changed();
    };

    // A message that follows another (a move's private message after its public acknowledgement)
    // never goes before it: it waits, and is released once that one is sent (outbound.held.ts).
    if (message.sendAfter) {
      const before = await Message.findById(message.sendAfter, { deliveryState: 1, failureReason: 1 }).lean();
      if (before?.deliveryState !== 'sent' && before?.deliveryState !== 'read') {
        if (before && before.deliveryState !== 'failed') {
          if (message.deliveryState === 'queued') {
            await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'waiting' } });
            changed();
          }
          return record('held');
        }
        record('failed');
        await fail(followedFailure(before?.failureReason));
        return 'failed';
      }
    }

    let context: ChannelContext | undefined;
    let connector: Connector | undefined;
    let outbound: OutboundMessage;
    try {
      if (!channel) throw new NotDeliverable('The channel of this conversation was removed');
      if (channel.status === 'disabled') throw new NotDeliverable('The channel is disabled');
      if (channel.status === 'needs_reauth') throw new NotDeliverable('The channel must be reconnected by an admin before replies can be sent');
      context = channelContext(channel, deps.config.CREDENTIALS_KEY);
      connector = connectorFor(channel.kind);
      outbound = await outboundMessage(message, channel);
      const held = await guardrailHold(message, channel, deps.log);
      if (held) throw new NotDeliverable(held);
    } catch (error) {
      if (!(error instanceof NotDeliverable)) throw error;
      record('failed');
      await fail(error.message);
      return 'failed';
    }

    const sent = async (externalId: string) => {
      const markSent = async (): Promise<boolean> => {
        try {
          await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'sent', externalId, failureReason: null } });
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          return false;
        }
      };
      // A duplicate: the echo of this very message got here first and, not recognised as ours,
      // was stored as the brand's own. Ours takes the id, the copy goes (a replay of the echo
      // in between may store it again: two rounds at most).
      let marked = await markSent();
      for (let attempt = 0; !marked && attempt < 2; attempt++) {
        if (!(await removeOutsideCopy(message.channelId, externalId, message._id, deps))) break;
        marked = await markSent();
      }
      // Another message of ours claims the id (never for one send): keep ours sent, without it.
      if (!marked) await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'sent', failureReason: null } });
      // A customer answering our public reply names it as parent: it joins this ticket.
      if (message.ticketId && message.visibility === 'public') await registerMessageKey(message.channelId, externalId, message.ticketId);
      changed();
      if (message.ticketId) deps.events.emit('message.sent', { ticketId: message.ticketId, messageId: message._id });
    };

    if (message.deliveryState === 'sending' && connector.findSent) {
      let found;
      try {
        found = await connector.findSent(context, outbound);
      } catch (error) {
        // Whether the platform has it stays unknown, so it is never sent blind: retried, and
        // after the last attempt failed with the reason, for the agent to look before resending.
        if (error instanceof ReauthRequired) {
          record('reauth');
          await markChannelNeedsReauth(message.channelId, error.message, deps.events, deps.log);
          await fail(error.message);
          return 'reauth';
        }
        if (!finalAttempt) {
          record('retry');
          throw error;
        }
        record('failed');
        const reason = error instanceof Error ? error.message : String(error);
        await fail(`Parley could not check whether the platform received this reply (${reason}); look in the conversation on the platform before sending it again`);
        return 'failed';
      }
      if (found) {
        // Counted before the state is written, so whoever sees the message sent sees it counted.
        record('found_sent');
        await sent(found.externalId);
        return 'found_sent';
      }
    }

    if (message.deliveryState !== 'sending') {
      await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'sending' } });
      changed();
    }
    try {
      const result = await connector.send(context, outbound);
      record('sent');
      await sent(result.externalId);
      // The person reached under an id of theirs we did not know (a private reply's Messenger id): their answers from it are theirs.
      if (result.recipientExternalId && result.recipientExternalId !== outbound.recipientExternalId && message.ticketId) {
        const ticket = await Ticket.findById(message.ticketId, { contactId: 1 }).lean();
        if (ticket) await addIdentity(ticket.contactId, channel.kind, result.recipientExternalId);
      }
      return 'sent';
    } catch (error) {
      if (error instanceof RateLimited) {
        // Nothing was sent: back to the queue until the platform's reset, not counted as an attempt.
        const jobId = outboundJobId(message._id, 'rate_limited');
        await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'queued', failureReason: null, deliveryJobId: jobId } });
        changed();
        const delay = Math.max(0, error.retryAt.getTime() - Date.now()) + Math.round(Math.random() * 1_000);
        record('rate_limited');
        await enqueueOutbound(deps.queues, message._id, jobId, { delay });
        deps.log.info({ messageId, retryAt: error.retryAt.toISOString() }, 'platform rate limit: the reply waits for the reset');
        return 'rate_limited';
      }
      if (error instanceof ReauthRequired) {
        record('reauth');
        // The channel first: whoever sees the reply failed sees why its channel stopped.
        await markChannelNeedsReauth(message.channelId, error.message, deps.events, deps.log);
        await fail(error.message);
        return 'reauth';
      }
      if (error instanceof PermanentFailure) {
        record('failed');
        await fail(error.message);
        return 'failed';
      }
      // Transient or unknown: the platform may or may not have it, so the message stays
      // `sending` and the retry asks the platform first.
      if (finalAttempt) {
        // The platform's echo may have shown meanwhile that it got there (see ingest/echo.service.ts).
        const now = await Message.findById(message._id, { deliveryState: 1 }).lean();
        if (now?.deliveryState === 'sent' || now?.deliveryState === 'read') {
          record('found_sent');
          return 'found_sent';
        }
        record('failed');
        await fail(error instanceof DeliveryError ? error.message : `Could not reach the platform: ${error instanceof Error ? error.message : String(error)}`);
        return 'failed';
      }
      record('retry');
      throw error;
    }
  });
  // A step of a move to private: the next step may go now, and the move's state follows.
  if (step && SETTLED.has(outcome)) await moveStepSettled(step, deps);
  return outcome;
}


/** An agent's retry of a failed reply: queued again with a fresh set of attempts. */
export async function retryDelivery(message: MessageDoc, deps: Pick<OutboundDeps, 'events' | 'queues' | 'locks'>): Promise<boolean> {
  const jobId = outboundJobId(message._id, 'retry');
  const retried = await deps.locks.withLock(outboundLock(message._id.toHexString()), async () => {
    const current = await Message.findById(message._id).lean<MessageDoc>();
    if (!current || current.direction !== 'outbound' || current.deliveryState !== 'failed') return false;
    await Message.updateOne({ _id: current._id }, { $set: { deliveryState: 'queued', failureReason: null, deliveryJobId: jobId } });
    return true;
  });
  if (!retried) return false;
  await enqueueOutbound(deps.queues, message._id, jobId);
  if (message.ticketId) deps.events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  return true;
}

export function startOutboundProcessor(queues: QueueFactory, deps: OutboundDeps): void {
  queues.process<OutboundJob>('outbound', 4, async (job: Job<OutboundJob>) => {
    const outcome = await deliverMessage(job.data.messageId, deps, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    deps.log.debug({ messageId: job.data.messageId, outcome }, 'outbound message handled');
    return outcome;
  });
}
