import { Router } from 'express';
import { approveMessageSchema, noQuerySchema, rejectMessageSchema, type PendingApprovalsResponse } from '@parley/common';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import { approveReply, pendingApprovals, rejectReply } from './approval.service';
import { ticketFor } from './ticket.access';
import { presentMessage, presentTicket } from './ticket.presenter';
import type { TicketDeps } from './tickets.service';

/**
 * Supervisor approval of public replies: the queue of replies waiting, and the decision on
 * one. Supervisors and admins only (agents: 403); a reply no longer waiting answers 409.
 */
export function approvalRoutes(deps: TicketDeps): Router {
  const router = Router();
  // Paths under /tickets are authenticated by the ticket router, mounted before this one.
  router.use('/approvals', requireUser);
  const deciders = requireRole('supervisor', 'admin');

  router.get('/approvals', deciders, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const { items, count } = await pendingApprovals();
    const body: PendingApprovalsResponse = { items: items.map(({ message, ticket }) => ({ message: presentMessage(message), ticket: presentTicket(ticket) })), count };
    res.json(body);
  });

  router.post('/tickets/:id/messages/:messageId/approve', deciders, async (req, res) => {
    const input = parseInput(approveMessageSchema, req.body ?? {});
    const user = currentUser(req);
    const ticket = await ticketFor(user, String(req.params.id));
    res.json(presentMessage(await approveReply(user, ticket, String(req.params.messageId), input, deps)));
  });

  router.post('/tickets/:id/messages/:messageId/reject', deciders, async (req, res) => {
    const input = parseInput(rejectMessageSchema, req.body);
    const user = currentUser(req);
    const ticket = await ticketFor(user, String(req.params.id));
    res.json(presentMessage(await rejectReply(user, ticket, String(req.params.messageId), input, deps)));
  });
  return router;
}
