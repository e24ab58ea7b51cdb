import { Router } from 'express';
import { botStatsQuerySchema, botTryInputSchema, ticketBotActionSchema, type TicketDetail } from '@parley/common';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { Contact } from '../contacts/contact.model';
import { presentContact } from '../contacts/contact.presenter';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import { userActor } from '../tickets/actor';
import { ticketFor } from '../tickets/ticket.access';
import type { TicketDoc } from '../tickets/ticket.model';
import { presentTicket } from '../tickets/ticket.presenter';
import type { TicketDeps } from '../tickets/tickets.service';
import { createAnswerMatcher } from './answers.matcher';
import { botSettingsOf } from './bot-settings';
import { botStats } from './bot-stats.service';
import { tryBot } from './bot-try.service';
import { createParleyBot } from './bot.factory';
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
  // The same bot customers talk to, for the supervisors' "try the bot" panel (its state stays apart).
  const bot = createParleyBot(deps.locks, createAnswerMatcher());

  router.post('/tickets/:id/bot', requireUser, async (req, res) => {
    const { action } = parseInput(ticketBotActionSchema, req.body);
    const user = currentUser(req);
    const ticket = await ticketFor(user, String(req.params.id));
    const updated = action === 'resume' ? await resumeBot(userActor(user), ticket, deps) : await takeOverFromBot(userActor(user), ticket, deps);
    res.json(await detailOf(updated));
  });

  router.post('/bot/try', requireUser, requireRole('supervisor', 'admin'), async (req, res) => {
    const input = parseInput(botTryInputSchema, req.body);
    const channels = await Channel.find({ deletedAt: null }, { name: 1, settings: 1 }).sort({ createdAt: 1 }).limit(50).lean<ChannelDoc[]>();
    const withBot = channels.find((channel) => botSettingsOf(channel).mode !== 'off') ?? channels[0];
    const brandName = withBot ? (botSettingsOf(withBot).brandName ?? withBot.name) : 'our team';
    res.json(await tryBot(bot, input, brandName));
  });

  router.get('/bot/stats', requireUser, requireRole('supervisor', 'admin'), async (req, res) => {
    const query = parseQuery(botStatsQuerySchema, req);
    res.json(await botStats(query.from ? new Date(query.from) : undefined, query.to ? new Date(query.to) : undefined));
  });

  return router;
}
