import { Types } from 'mongoose';
import { activeTicketStatuses, clocksBreachedBy } from '@parley/common';
import type { DomainEventBus, TicketEvent } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { NO_SLA_DUE, Ticket, ticketLock, type TicketDoc } from '../tickets/ticket.model';
import { slaOf } from './sla.codec';
import { slaChange } from './sla.service';

export interface SlaJob {
  task: 'check';
  ticketId: string;
}

export interface SlaDeps {
  events: DomainEventBus;
  locks: Locks;
  queues: QueueFactory;
}

const SWEEP_BATCH = 200;

/**
 * Marks the ticket's running clocks that are past due as breached and tells everyone
 * watching. Runs under the ticket's lock, so a reply written at the same moment is
 * either before (met) or after (breached, then done) — never lost. Answers whether
 * anything changed.
 */
export async function checkSlaBreaches(ticketId: Types.ObjectId, { events, locks }: Pick<SlaDeps, 'events' | 'locks'>, now = new Date()): Promise<boolean> {
  const updated = await locks.withLock(ticketLock(ticketId), async () => {
    const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!ticket || (ticket.slaNextCheckAt ?? NO_SLA_DUE) > now.getTime()) return null;
    const set = slaChange(slaOf(ticket), (clocks) => clocksBreachedBy(clocks, now));
    if (Object.keys(set).length === 0) return null;
    await Ticket.updateOne({ _id: ticketId }, { $set: set });
    return { ...ticket, ...set, updatedAt: new Date() };
  });
  if (updated) events.emit('ticket.updated', { ticketId, ticket: updated });
  return updated !== null;
}

/** Finds tickets with a running clock past due and checks them: the backstop for lost timer jobs (housekeeping runs it). */
export async function sweepSlaBreaches(deps: Pick<SlaDeps, 'events' | 'locks'>, now = new Date()): Promise<number> {
  let breached = 0;
  // One query per status: an equality FerretDB can push down, where $in would read every ticket.
  for (const status of activeTicketStatuses) {
    const due = await Ticket.find({ status, slaNextCheckAt: { $lte: now.getTime() } }, { _id: 1 }).limit(SWEEP_BATCH).lean();
    for (const { _id } of due) if (await checkSlaBreaches(_id, deps, now)) breached++;
  }
  return breached;
}

/** Queues a check for the moment the ticket's earliest running clock falls due. */
async function scheduleCheck(queues: QueueFactory, ticket: TicketDoc): Promise<void> {
  const dueAt = ticket.slaNextCheckAt ?? NO_SLA_DUE;
  if (dueAt >= NO_SLA_DUE) return;
  const id = ticket._id.toHexString();
  // One job per (ticket, due time): the same due time scheduled twice is one job.
  await queues.queue<SlaJob>('sla').add({ task: 'check', ticketId: id }, { jobId: `check:${id}:${dueAt}`, delay: Math.max(0, dueAt - Date.now()) });
}

/**
 * Starts a timer whenever a ticket's clocks change. Runs in every process that writes
 * tickets; events without the ticket's document are left to the sweeper.
 */
export function startSlaTimers(events: DomainEventBus, queues: QueueFactory, log: Logger): () => void {
  const onTicket = ({ ticket }: TicketEvent) => {
    if (ticket) scheduleCheck(queues, ticket).catch((error: unknown) => log.warn({ err: error, ticketId: ticket._id }, 'could not schedule an SLA check'));
  };
  const unsubscribe = [events.on('ticket.created', onTicket), events.on('ticket.updated', onTicket)];
  return () => unsubscribe.forEach((stop) => stop());
}

/** The worker's side: breach checks at due times (the sweep for lost timers is housekeeping's). */
export function startSlaProcessor(deps: SlaDeps): void {
  deps.queues.process<SlaJob>('sla', 2, async (job) => {
    if (!Types.ObjectId.isValid(job.data.ticketId)) return { breached: false };
    return { breached: await checkSlaBreaches(new Types.ObjectId(job.data.ticketId), deps) };
  });
}
