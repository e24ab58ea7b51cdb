import { Router } from 'express';
import { contactMergeSchema, noQuerySchema, type ContactDetail } from '@parley/common';
import { currentUser, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { Locks } from '../lib/locks';
import { presentTicket } from '../tickets/ticket.presenter';
import { presentContact } from './contact.presenter';
import { contactWithTickets, mergeContacts } from './contacts.service';

export function contactRoutes(locks: Locks): Router {
  const router = Router();
  router.use('/contacts', requireUser);

  router.get('/contacts/:id', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const { contact, tickets } = await contactWithTickets(currentUser(req), String(req.params.id));
    const body: ContactDetail = { ...presentContact(contact), tickets: tickets.map(presentTicket) };
    res.json(body);
  });

  router.post('/contacts/:id/merge', async (req, res) => {
    const { intoContactId } = parseInput(contactMergeSchema, req.body);
    const { contact, tickets } = await mergeContacts(currentUser(req), String(req.params.id), intoContactId, locks);
    const body: ContactDetail = { ...presentContact(contact), tickets: tickets.map(presentTicket) };
    res.json(body);
  });

  return router;
}
