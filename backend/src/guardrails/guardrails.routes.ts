import { Router } from 'express';
import { globalGuardrailsInputSchema, noQuerySchema, type GuardrailContext } from '@parley/common';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Logger } from '../logger';
import { guardrailContextFor } from '../outbound/guardrails';
import { Message, type MessageDoc } from '../tickets/message.model';
import { ticketFor } from '../tickets/ticket.access';
import { readBrandGuardrails, saveBrandGuardrails } from './guardrails.service';

/**
 * The brand's guardrails: every signed-in user reads them (the composer checks as the agent
 * types; nothing in them is secret), only admins change them. A channel's own guardrails are
 * part of its settings (PATCH /api/channels/:id).
 */
export function guardrailRoutes(log: Logger): Router {
  const router = Router();
  router.use('/guardrails', requireUser);

  router.get('/guardrails', async (req, res) => {
    parseQuery(noQuerySchema, req);
    res.json(await readBrandGuardrails());
  });

  router.put('/guardrails', requireRole('admin'), async (req, res) => {
    const input = parseInput(globalGuardrailsInputSchema, req.body);
    res.json(await saveBrandGuardrails(input.settings, currentUser(req), log));
  });

  // What the composer checks a public reply in this ticket with: the same context the server uses.
  router.get('/tickets/:id/guardrails', requireUser, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const ticket = await ticketFor(currentUser(req), String(req.params.id));
    const replyTo = await Message.findOne({ ticketId: ticket._id, direction: 'inbound' }, { contactId: 1, language: 1 }).sort({ sentAt: -1 }).lean<Pick<MessageDoc, 'contactId' | 'language'>>();
    const body: GuardrailContext = await guardrailContextFor({ ticket, replyTo });
    res.json(body);
  });

  return router;
}
