import type { BotStats } from '@parley/common';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';

const DAY_MS = 24 * 60 * 60 * 1000;
/** More tickets than a period's report reads (they are counted in this process). */
const MAX_TICKETS = 50_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

/**
 * How the bot did for the conversations opened in a period: how many it spoke in, how many it
 * kept (never handed to a person and no person answered), its hand-offs by reason, and how the
 * first reply by anyone (the bot included) compares with the first by a person.
 */
export async function botStats(from: Date | undefined, to: Date | undefined): Promise<BotStats> {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - 7 * DAY_MS);
  const tickets = await Ticket.find({ createdAt: { $gte: start, $lt: end } }, { botState: 1, handoff: 1, firstResponseAt: 1, firstHumanResponseAt: 1, createdAt: 1 })
    .limit(MAX_TICKETS)
    .lean<Pick<TicketDoc, 'botState' | 'handoff' | 'firstResponseAt' | 'firstHumanResponseAt' | 'createdAt'>[]>();
  const withBot = tickets.filter((ticket) => ticket.botState === 'active' || ticket.botState === 'handed_off');
  const contained = withBot.filter((ticket) => ticket.botState === 'active' && !ticket.firstHumanResponseAt).length;
  const handoffsByReason: Record<string, number> = {};
  for (const ticket of withBot) if (ticket.handoff) handoffsByReason[ticket.handoff.reason] = (handoffsByReason[ticket.handoff.reason] ?? 0) + 1;
  const handedOff = Object.values(handoffsByReason).reduce((sum, count) => sum + count, 0);
  return {
    from: start.toISOString(),
    to: end.toISOString(),
    conversations: withBot.length,
    contained,
    containmentRate: withBot.length > 0 ? Math.round((contained / withBot.length) * 1000) / 1000 : null,
    handedOff,
    handoffsByReason,
    medianFirstResponseMinutes: median(tickets.flatMap((ticket) => (ticket.firstResponseAt ? [minutesBetween(ticket.createdAt, ticket.firstResponseAt)] : []))),
    medianFirstHumanResponseMinutes: median(tickets.flatMap((ticket) => (ticket.firstHumanResponseAt ? [minutesBetween(ticket.createdAt, ticket.firstHumanResponseAt)] : []))),
  };
}
