import type { Types } from 'mongoose';
import { clocksOnHandoff, clocksWhileBotHolds, type BotLearnt, type HandoffReason } from '@parley/common';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import { slaChange, slaContextOf } from '../sla/sla.service';
import { auditActorOf, type Actor } from '../tickets/actor';
import { AuditEvent } from '../tickets/audit-event.model';
import { Ticket, ticketLock, type TicketDoc, type TicketHandoffDoc } from '../tickets/ticket.model';

export interface HandoffDeps {
  events: DomainEventBus;
  locks: Locks;
}

const reasonWords: Record<HandoffReason, string> = {
  customer_asked: 'Asked for a person',
  negative_sentiment: 'Unhappy customer',
  vip: 'VIP or high reach',
  not_understood: 'The bot did not understand twice',
  business_hours: 'Business hours began',
  bot_failed: 'The bot failed',
  agent_replied: 'An agent replied',
  agent_took_over: 'An agent took over',
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** The line an agent reads at a glance: why, then what the bot learnt. */
export function handoffSummary(reason: HandoffReason, learnt: BotLearnt): string {
  const parts = [reasonWords[reason]];
  if (learnt.intent) parts.push(`about ${learnt.intent.replace(/[-_]/g, ' ')}`);
  if (learnt.reference) parts.push(`reference ${learnt.reference}`);
  if (learnt.email) parts.push(`email ${learnt.email}`);
  if (learnt.language && learnt.language !== 'und') parts.push(`speaks ${languageNames.of(learnt.language) ?? learnt.language}`);
  return parts.join(' · ');
}

export const noLearnt = (language: string | null = null): BotLearnt => ({ intent: null, reference: null, email: null, language });

/**
 * What a hand-off writes on a ticket the bot held: the bot falls silent, the agent sees why and
 * what it learnt, and where the bot's replies were no first response the people's clock starts
 * now with its whole target (clocksOnHandoff).
 */
export async function handoffChanges(current: TicketDoc, reason: HandoffReason, learnt: BotLearnt, at: Date): Promise<Record<string, unknown>> {
  const handoff: TicketHandoffDoc = { at, reason, summary: handoffSummary(reason, learnt), learnt: { ...learnt, language: learnt.language ?? current.language ?? null } };
  const set: Record<string, unknown> = { botState: 'handed_off', handoff };
  const context = await slaContextOf(current, current.priority);
  if (context && !context.countBotReplies) Object.assign(set, slaChange(context.sla, (clocks) => clocksOnHandoff(clocks, at, context)));
  return set;
}

async function changeTicket(
  ticketId: Types.ObjectId,
  deps: HandoffDeps,
  change: (current: TicketDoc, at: Date) => Promise<{ set: Record<string, unknown>; action: string; actor: Actor } | null>,
): Promise<TicketDoc | null> {
  return deps.locks.withLock(ticketLock(ticketId), async () => {
    const current = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!current) return null;
    const at = new Date();
    const outcome = await change(current, at);
    if (!outcome) return current;
    await Ticket.updateOne({ _id: current._id }, { $set: outcome.set });
    await AuditEvent.create({
      ticketId: current._id,
      ...auditActorOf(outcome.actor),
      action: outcome.action,
      before: { botState: current.botState ?? 'none' },
      after: { botState: outcome.set.botState, ...(outcome.set.handoff ? { reason: (outcome.set.handoff as TicketHandoffDoc).reason } : {}) },
      at,
    });
    const updated = await Ticket.findById(current._id).lean<TicketDoc>();
    if (updated) deps.events.emit('ticket.updated', { ticketId: updated._id, ticket: updated });
    return updated;
  });
}

/**
 * Keeps on the ticket what the bot learnt so far (the worker writes it when it changed), so a
 * person who takes the conversation over without the bot handing it (answering, taking over)
 * sees it. Only the bot's worker writes it, one turn of a conversation at a time.
 */
export async function rememberLearnt(ticketId: Types.ObjectId, learnt: BotLearnt, deps: HandoffDeps): Promise<void> {
  await deps.locks.withLock(ticketLock(ticketId), async () => {
    await Ticket.updateOne({ _id: ticketId }, { $set: { botLearnt: learnt } });
  });
}

/** What the bot knew of a conversation a person took from it: what it recorded, with the ticket's language when it had none. */
export const learntOf = (ticket: Pick<TicketDoc, 'botLearnt' | 'language'>): BotLearnt => ticket.botLearnt ?? noLearnt(ticket.language ?? null);

/**
 * The bot hands the conversation to people (its own decision, its job failing, or an agent
 * asking for it). Only a conversation the bot holds is handed off, once: a second hand-off of
 * the same one (a retried job) finds it handed off already and changes nothing.
 */
export function handOff(ticketId: Types.ObjectId, reason: HandoffReason, learnt: BotLearnt, actor: Actor, deps: HandoffDeps): Promise<TicketDoc | null> {
  return changeTicket(ticketId, deps, async (current, at) => {
    if (current.botState !== 'active') return null;
    return { set: await handoffChanges(current, reason, learnt, at), action: 'bot.handoff', actor };
  });
}

/**
 * The bot takes a conversation (its first turn on a new ticket, or an agent handed it back):
 * where its replies are no first response, the response clocks wait while it holds it.
 */
export function botTakes(ticketId: Types.ObjectId, actor: Actor, deps: HandoffDeps, { from }: { from: 'none' | 'handed_off' }): Promise<TicketDoc | null> {
  return changeTicket(ticketId, deps, async (current, at) => {
    if ((current.botState ?? 'none') !== from) return null;
    const set: Record<string, unknown> = { botState: 'active' };
    const context = await slaContextOf(current, current.priority);
    if (context && !context.countBotReplies) Object.assign(set, slaChange(context.sla, (clocks) => clocksWhileBotHolds(clocks, at, context.hours)));
    return { set, action: from === 'none' ? 'bot.took' : 'bot.resumed', actor };
  });
}
