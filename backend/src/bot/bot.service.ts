import { Conflict, NotFound } from '../http/errors';
import type { Actor } from '../tickets/actor';
import type { TicketDoc } from '../tickets/ticket.model';
import type { TicketDeps } from '../tickets/tickets.service';
import { queueBotResume } from './bot.worker';
import { botTakes, handOff, learntOf } from './handoff.service';

/**
 * An agent hands a conversation (back) to the bot: it answers the customer's next message
 * again, and where its replies are no first response the clocks wait while it holds it.
 */
export async function resumeBot(actor: Actor, ticket: TicketDoc, deps: TicketDeps): Promise<TicketDoc> {
  if (ticket.botState === 'active') throw new Conflict('The bot is already handling this conversation', 'action');
  const from = ticket.botState ?? 'none';
  const updated = await botTakes(ticket._id, actor, deps, { from });
  if (!updated) throw new NotFound('Ticket');
  if (updated.botState !== 'active') throw new Conflict('The conversation changed meanwhile: try again', 'action');
  // The worker tells the bot it no longer stands aside (it runs the bot; the api does not).
  await queueBotResume(deps.queues, ticket._id);
  return updated;
}

/** An agent takes the conversation from the bot now, before answering. */
export async function takeOverFromBot(actor: Actor, ticket: TicketDoc, deps: TicketDeps): Promise<TicketDoc> {
  if (ticket.botState !== 'active') throw new Conflict('The bot is not handling this conversation', 'action');
  const updated = await handOff(ticket._id, 'agent_took_over', learntOf(ticket), actor, deps);
  if (!updated) throw new NotFound('Ticket');
  return updated;
}
