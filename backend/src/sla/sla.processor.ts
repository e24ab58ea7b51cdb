import { Types } from 'mongoose';
import { DEFAULT_WARN_AT_SHARE, activeTicketStatuses, clocksBreachedBy, nextWarnAt, slaMetrics, warnAtOf, type SlaMetric } from '@parley/common';
import type { DomainEventBus, TicketEvent } from '../events/domain-events';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { NO_SLA_DUE, Ticket, ticketLock, type TicketDoc } from '../tickets/ticket.model';
import { escalateBreach, type EscalationDeps } from './sla-escalation.service';
import { recordSlaNotice } from './sla-notice.model';
import { SlaPolicy, type SlaPolicyDoc } from './sla-policy.model';
import { warningSettingsOf } from './sla.presenter';
import { slaOf } from './sla.codec';
import { slaChange } from './sla.service';

export interface SlaJob {
  /** check: the breach at a due time; warn: the warnings due before it. */
  task: 'check' | 'warn';
  ticketId: string;
}

/** What the SLA timers need: the ticket dependencies (escalations change tickets) and who is online. */
export type SlaDeps = EscalationDeps;

const SWEEP_BATCH = 200;

interface ClockDue {
  clock: SlaMetric;
  dueAt: Date;
}

/**
 * Marks the ticket's running clocks that are past due as breached and tells everyone
 * watching. Runs under the ticket's lock, so a reply written at the same moment is
 * either before (met) or after (breached, then done) — never lost. Then announces each
 * new breach and escalates it per the policy (announceBreaches). Answers whether anything changed.
 */
export async function checkSlaBreaches(ticketId: Types.ObjectId, deps: SlaDeps, now = new Date()): Promise<boolean> {
  const result = await deps.locks.withLock(ticketLock(ticketId), async () => {
    const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!ticket || (ticket.slaNextCheckAt ?? NO_SLA_DUE) > now.getTime()) return null;
    const sla = slaOf(ticket);
    if (!sla) return null;
    const clocks = clocksBreachedBy(sla, now);
    const set = slaChange(sla, () => clocks);
    if (Object.keys(set).length === 0) return null;
    await Ticket.updateOne({ _id: ticketId }, { $set: set });
    const breached = slaMetrics.flatMap((clock): ClockDue[] => {
      const before = sla[clock];
      return before?.state === 'running' && clocks[clock]?.state === 'breached' ? [{ clock, dueAt: before.dueAt }] : [];
    });
    return { ticket: { ...ticket, ...set, updatedAt: new Date() }, breached, policyId: sla.policyId };
  });
  if (!result) return false;
  deps.events.emit('ticket.updated', { ticketId, ticket: result.ticket });
  await announceBreaches(result.ticket, result.breached, result.policyId, deps, now);
  return true;
}

/**
 * Each breach is announced and escalated once: its notice is recorded first, and whoever fails
 * to record it (a retried job, the sweep) does nothing. A crash between the record and the
 * escalation loses the escalation rather than doing it twice. Clocks breaching together are
 * one escalation (one step of priority, not two).
 */
async function announceBreaches(ticket: TicketDoc, breached: ClockDue[], policyId: Types.ObjectId | null, deps: SlaDeps, now: Date): Promise<void> {
  if (breached.length === 0) return;
  // The policy as it is now: a change to its escalation applies to the breaches after it.
  const policy = policyId ? await SlaPolicy.findById(policyId).lean<SlaPolicyDoc>() : null;
  const { escalation } = warningSettingsOf(policy);
  let escalate = false;
  for (const { clock, dueAt } of breached) {
    if (!(await recordSlaNotice(ticket._id, clock, dueAt, 'breached', now))) continue;
    if (escalation.notify) deps.events.emit('sla.breached', { ticketId: ticket._id, ticket, clock, dueAt, breachedAt: dueAt });
    escalate = true;
  }
  if (escalate && policy) await escalateBreach(ticket, policy, escalation, deps);
}

/**
 * Warns of the running clocks past their warning time (and not yet due: then the breach is the
 * news), once each by its notice, and moves slaNextWarnAt on to the next warning for the sweep.
 * Answers how many warnings it gave.
 */
export async function checkSlaWarnings(ticketId: Types.ObjectId, { events, locks }: Pick<SlaDeps, 'events' | 'locks'>, now = new Date()): Promise<number> {
  const result = await locks.withLock(ticketLock(ticketId), async () => {
    const ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    const sla = ticket && slaOf(ticket);
    if (!ticket || !sla) return null;
    const share = sla.warnAtShare ?? DEFAULT_WARN_AT_SHARE;
    const warned: ClockDue[] = [];
    for (const clock of slaMetrics) {
      const value = sla[clock];
      if (value?.state !== 'running' || warnAtOf(value, share) > now || value.dueAt <= now) continue;
      if (await recordSlaNotice(ticketId, clock, value.dueAt, 'warning', now)) warned.push({ clock, dueAt: value.dueAt });
    }
    const next = nextWarnAt(sla, share, now.getTime())?.getTime() ?? NO_SLA_DUE;
    // Not a change anyone sees: updatedAt stays, so clients' copies are not made stale by it.
    if (ticket.slaNextWarnAt !== next) await Ticket.updateOne({ _id: ticketId }, { $set: { slaNextWarnAt: next } }, { timestamps: false });
    return { ticket, warned, share };
  });
  for (const { clock, dueAt } of result?.warned ?? []) events.emit('sla.warning', { ticketId, ticket: result!.ticket, clock, dueAt, share: result!.share });
  return result?.warned.length ?? 0;
}

/**
 * Finds tickets with a warning or a running clock past due and checks them: the backstop for
 * lost timer jobs (housekeeping runs it). The notices keep a warning or breach from being told twice.
 */
export async function sweepSlaBreaches(deps: SlaDeps, now = new Date()): Promise<number> {
  let found = 0;
  // One query per status: an equality FerretDB can push down, where $in would read every ticket.
  for (const status of activeTicketStatuses) {
    const warn = await Ticket.find({ status, slaNextWarnAt: { $lte: now.getTime() } }, { _id: 1 }).limit(SWEEP_BATCH).lean();
    for (const { _id } of warn) found += await checkSlaWarnings(_id, deps, now);
    const due = await Ticket.find({ status, slaNextCheckAt: { $lte: now.getTime() } }, { _id: 1 }).limit(SWEEP_BATCH).lean();
    for (const { _id } of due) if (await checkSlaBreaches(_id, deps, now)) found++;
  }
  return found;
}

/**
 * Queues a check for the moment the ticket's earliest running clock falls due, and a warning
 * for each running clock at its warning time (at once when that has passed: a clock retargeted late).
 */
async function scheduleTimers(queues: QueueFactory, ticket: TicketDoc): Promise<void> {
  const id = ticket._id.toHexString();
  const queue = queues.queue<SlaJob>('sla');
  const dueAt = ticket.slaNextCheckAt ?? NO_SLA_DUE;
  // One job per (ticket, due time): the same due time scheduled twice is one job; a changed
  // clock gets new jobs, and the old ones find nothing left to do.
  if (dueAt < NO_SLA_DUE) await queue.add({ task: 'check', ticketId: id }, { jobId: `check:${id}:${dueAt}`, delay: Math.max(0, dueAt - Date.now()) });
  if ((ticket.slaNextWarnAt ?? NO_SLA_DUE) >= NO_SLA_DUE) return;
  const sla = slaOf(ticket);
  if (!sla) return;
  for (const clock of slaMetrics) {
    const value = sla[clock];
    if (value?.state !== 'running' || value.dueAt.getTime() <= Date.now()) continue;
    const warnAt = warnAtOf(value, sla.warnAtShare ?? DEFAULT_WARN_AT_SHARE).getTime();
    await queue.add({ task: 'warn', ticketId: id }, { jobId: `warn:${id}:${clock}:${value.dueAt.getTime()}`, delay: Math.max(0, warnAt - Date.now()) });
  }
}

/**
 * Starts the timers whenever a ticket's clocks change. Runs in every process that writes
 * tickets; events without the ticket's document are left to the sweeper.
 */
export function startSlaTimers(events: DomainEventBus, queues: QueueFactory, log: Logger): () => void {
  const onTicket = ({ ticket }: TicketEvent) => {
    if (ticket) scheduleTimers(queues, ticket).catch((error: unknown) => log.warn({ err: error, ticketId: ticket._id }, 'could not schedule SLA timers'));
  };
  const unsubscribe = [events.on('ticket.created', onTicket), events.on('ticket.updated', onTicket)];
  return () => unsubscribe.forEach((stop) => stop());
}

/** The worker's side: warnings and breach checks at their times (the sweep for lost timers is housekeeping's). */
export function startSlaProcessor(deps: SlaDeps): void {
  deps.queues.process<SlaJob>('sla', 2, async (job) => {
    if (!Types.ObjectId.isValid(job.data.ticketId)) return { done: false };
    const ticketId = new Types.ObjectId(job.data.ticketId);
    if (job.data.task === 'warn') return { warned: await checkSlaWarnings(ticketId, deps) };
    return { breached: await checkSlaBreaches(ticketId, deps) };
  });
}
