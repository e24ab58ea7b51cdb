import { Router } from 'express';
import { botStatsQuerySchema, ticketBotActionSchema, type TicketDetail } from '@parley/common';
import { Contact } from '../contacts/contact.model';
import { presentContact } from '../contacts/contact.presenter';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import { userActor } from '../tickets/actor';
import { ticketFor } from '../tickets/ticket.access';
import type { TicketDoc } from '../tickets/ticket.model';
import { presentTicket } from '../tickets/ticket.presenter';
import type { TicketDeps } from '../tickets/tickets.service';
import { botStats } from './bot-stats.service';
import { resumeBot, takeOverFromBot } from './bot.service';

async function detailOf(ticket: TicketDoc): Promise<TicketDetail> {
  const contact = await Contact.findById(ticket.contactId).lean();
  return { ...presentTicket(ticket), contact: contact ? presentContact(contact) : null };
}

/**
 * The bot's part of the API: an agent hands a conversation back to the bot or takes it from
 * the bot; supervisors read how the bot did.
 */
export function botRoutes(deps: TicketDeps): Router {
  const router = Router();

  router.post('/tickets/:id/bot', requireUser, async (req, res) => {
    const { action } = parseInput(ticketBotActionSchema, req.body);
    const user = currentUser(req);
    const ticket = await ticketFor(user, String(req.params.id));
    const updated = action === 'resume' ? await resumeBot(userActor(user), ticket, deps) : await takeOverFromBot(userActor(user), ticket, deps);
    res.json(await detailOf(updated));
  });

  router.get('/bot/stats', requireUser, requireRole('supervisor', 'admin'), async (req, res) => {
    const query = parseQuery(botStatsQuerySchema, req);
    res.json(await botStats(query.from ? new Date(query.from) : undefined, query.to ? new Date(query.to) : undefined));
  });

  return router;
}
