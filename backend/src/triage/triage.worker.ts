import { Types } from 'mongoose';
import { clocksOnRetarget, hashtagsOf } from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { startPeriodic } from '../queue/periodic';
import type { QueueFactory } from '../queue/queue.factory';
import type { RedisHandle } from '../redis';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, ticketLock, type TicketDoc } from '../tickets/ticket.model';
import { slaChange, slaContextOf } from '../sla/sla.service';
import { isCustomerMessage } from '../workflows/rules.engine';
import { createStormDetector, type StormDetector } from './storms';
import { keywordsIn } from './triage-settings.service';
import { ticketTriageChange, triageInbound, type TriageSteps } from './triage.service';

export interface TriageJob {
  messageId: string;
}

export const triageJobId = (messageId: Types.ObjectId) => `triage:${messageId.toHexString()}`;

export interface TriageWorkerDeps {
  events: DomainEventBus;
  locks: Locks;
  queues: QueueFactory;
  redis: RedisHandle;
  prefix: string;
  log: Logger;
  /** How often storms are looked at when no mention comes in (one ends that way). */
  evaluateEveryMs?: number;
  triageSteps?: TriageSteps;
  now?: () => number;
}


/**
 * Reads again a customer message whose triage failed as it was ingested (it was stored with
 * priority by reach): its language and sentiment on the message, the ticket's triage fields
 * (its priority too, unless someone set it) under the ticket's lock.
 */
export async function retriage(messageId: Types.ObjectId, deps: Pick<TriageWorkerDeps, 'events' | 'locks' | 'log' | 'triageSteps'>): Promise<'done' | 'skipped'> {
  const message = await Message.findById(messageId).lean<MessageDoc>();
  if (!message?.triagePending || !message.ticketId || !message.contactId) return 'skipped';
  const contact = await Contact.findById(message.contactId, { identities: 1, tags: 1 }).lean<Pick<ContactDoc, 'identities' | 'tags'>>();
  const triage = await triageInbound(
    { text: message.text, visibility: message.visibility === 'public' ? 'public' : 'private', ...(message.language ? { language: message.language } : {}), ...(message.engagement ? { engagement: message.engagement } : {}) },
    { identities: contact?.identities ?? [], tags: contact?.tags ?? [] },
    deps.log,
    deps.triageSteps,
  );
  // Still failing: the queue tries again later, with backoff.
  if (!triage.complete) throw new Error('triage is still failing for this message');
  const set = { language: triage.language, ...(triage.sentiment ? { sentiment: triage.sentiment } : {}) };
  // The ticket first: a crash before the message's write leaves it pending, so the next attempt finishes both.
  const ticketId = message.ticketId;
  const ticket = await deps.locks.withLock(ticketLock(ticketId), async () => {
    const current = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!current) return null;
    const triaged = ticketTriageChange(current, triage, { reopened: false });
    const context = triaged.priority === current.priority ? null : await slaContextOf(current, triaged.priority);
    const now = new Date();
    const sla = context ? slaChange(context.sla, (clocks) => clocksOnRetarget(clocks, now, context)) : {};
    // updatedAt moves with the change: screens drop ticket events no newer than what they hold.
    const changed = { ...triaged.set, ...sla, updatedAt: now };
    await Ticket.updateOne({ _id: ticketId }, { $set: changed }, { timestamps: false });
    return { ...current, ...changed };
  });
  await Message.updateOne({ _id: message._id }, { $set: set, $unset: { triagePending: 1 } });
  const updated = { ...message, ...set, triagePending: undefined };
  deps.events.emit('message.updated', { ticketId, messageId: message._id, message: updated, ...(ticket ? { ticket } : {}) });
  if (ticket) deps.events.emit('ticket.updated', { ticketId, ticket });
  return 'done';
}

/**
 * The worker's side of triage after ingest: storms are counted from the negative public
 * mentions ingest stored (their reading is on the message already), a message whose triage
 * failed is read again by a `triage` job (retried with backoff), and the storms are looked at
 * every half minute, so one ends when its mentions stop.
 */
export function startTriageWorker(deps: TriageWorkerDeps): { storms: StormDetector; stop: () => Promise<void> } {
  const storms = createStormDetector({ redis: deps.redis.client, prefix: deps.prefix, locks: deps.locks, events: deps.events, log: deps.log, ...(deps.now ? { now: deps.now } : {}) });

  deps.queues.process<TriageJob>('triage', 2, (job) => retriage(new Types.ObjectId(job.data.messageId), deps));

  const countForStorms = async (message: MessageDoc, ticket: TicketDoc | undefined) => {
    const keywords = await keywordsIn(message.text);
    const contact = message.contactId ? await Contact.findById(message.contactId, { name: 1 }).lean<Pick<ContactDoc, 'name'>>() : null;
    await storms.record({
      messageId: message._id.toHexString(),
      ticketId: message.ticketId!.toHexString(),
      contactId: message.contactId!.toHexString(),
      channelKind: ticket?.channelKind ?? 'simulator',
      author: contact?.name ?? 'someone',
      followers: ticket?.reach ?? 0,
      tier: ticket?.influenceTier ?? 'standard',
      text: message.text,
      sentAt: message.sentAt.toISOString(),
      hashtags: hashtagsOf(message.text),
      keywords: keywords.map((keyword) => keyword.term),
    });
  };

  const offCreated = deps.events.on('message.created', ({ messageId, message, ticket }) => {
    if (!message || !isCustomerMessage(message) || !message.ticketId || !message.contactId) return;
    if (message.triagePending) {
      deps.queues
        .queue<TriageJob>('triage')
        .add({ messageId: messageId.toHexString() }, { jobId: triageJobId(messageId), attempts: 10, backoff: { type: 'jittered' } })
        .catch((error: unknown) => deps.log.error({ err: error, messageId: messageId.toHexString() }, 'could not queue the triage of a message'));
    }
    if (message.visibility === 'public' && message.sentiment?.label === 'negative') {
      countForStorms(message, ticket).catch((error: unknown) => deps.log.warn({ err: error, messageId: messageId.toHexString() }, 'could not count a mention for storms'));
    }
  });

  const periodic = startPeriodic([{ name: 'evaluate-storms', everyMs: deps.evaluateEveryMs ?? 30_000, run: () => storms.evaluateAll() }], deps.redis.client, deps.prefix, deps.log);
  return {
    storms,
    stop: async () => {
      offCreated();
      await periodic.stop();
    },
  };
}
