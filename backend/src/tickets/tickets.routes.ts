import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { messageListQuerySchema, moveToPrivateInputSchema, noQuerySchema, postMessageSchema, ticketListQuerySchema, ticketUpdateSchema, type MessageListResponse, type TicketDetail, type TicketListResponse } from '@parley/common';
import { Contact } from '../contacts/contact.model';
import { presentContact } from '../contacts/contact.presenter';
import { currentUser, requireUser } from '../http/auth.middleware';
import { Conflict, Invalid, NotFound } from '../http/errors';
import { toPage } from '../http/paging';
import { parseInput, parseQuery } from '../http/validate';
import { userActor } from './actor';
import { ticketFor } from './ticket.access';
import { listTickets, type TicketListOptions } from './ticket-list.service';
import { Message, type MessageDoc } from './message.model';
import { presentMessage, presentTicket } from './ticket.presenter';
import { markTicketRead, postMessage, updateTicket, type TicketDeps } from './tickets.service';
import { retryDelivery } from '../outbound/outbound.processor';
import { startMoveToPrivate } from '../workflows/move-to-private.service';

const idCursor = z.string().regex(/^[a-f0-9]{24}$/);

export function ticketRoutes(deps: TicketDeps, listOptions: TicketListOptions = { statusesOneByOne: false }): Router {
  const router = Router();
  router.use('/tickets', requireUser);

  router.get('/tickets', async (req, res) => {
    const query = parseQuery(ticketListQuerySchema, req);
    const { items, contacts, nextCursor } = await listTickets(currentUser(req), query, listOptions);
    const byId = new Map(contacts.map((contact) => [contact._id.toHexString(), presentContact(contact)]));
    const body: TicketListResponse = {
      items: items.map((ticket) => {
        const contact = byId.get(ticket.contactId.toHexString());
        return { ...presentTicket(ticket), contact: contact ? { id: contact.id, name: contact.name, avatarUrl: contact.avatarUrl, identities: contact.identities } : null };
      }),
      nextCursor,
    };
    res.json(body);
  });

  router.get('/tickets/:id', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const ticket = await ticketFor(currentUser(req), String(req.params.id));
    const contact = await Contact.findById(ticket.contactId).lean();
    const body: TicketDetail = { ...presentTicket(ticket), contact: contact ? presentContact(contact) : null };
    res.json(body);
  });

  router.patch('/tickets/:id', async (req, res) => {
    const patch = parseInput(ticketUpdateSchema, req.body);
    const user = currentUser(req);
    const ticket = await updateTicket(userActor(user), await ticketFor(user, String(req.params.id)), patch, deps);
    res.json(presentTicket(ticket));
  });

  router.post('/tickets/:id/read', async (req, res) => {
    const user = currentUser(req);
    res.json(presentTicket(await markTicketRead(await ticketFor(user, String(req.params.id)), deps)));
  });

  router.get('/tickets/:id/messages', async (req, res) => {
    const query = parseQuery(messageListQuerySchema, req);
    const ticket = await ticketFor(currentUser(req), String(req.params.id));
    if (query.cursor && !idCursor.safeParse(query.cursor).success) throw new Invalid('cursor is not one this API gave out', 'cursor');
    // Oldest first; ObjectIds grow with time, so _id is a stable cursor.
    const page = await Message.find({ ticketId: ticket._id, ...(query.cursor ? { _id: { $gt: new Types.ObjectId(query.cursor) } } : {}) })
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .lean<MessageDoc[]>();
    const { items, nextCursor } = toPage(page, query.limit, (message) => message._id.toHexString());
    const body: MessageListResponse = { items: items.map(presentMessage), nextCursor };
    res.json(body);
  });

  router.post('/tickets/:id/messages', async (req, res) => {
    const input = parseInput(postMessageSchema, req.body);
    const user = currentUser(req);
    const message = await postMessage(user, await ticketFor(user, String(req.params.id)), input, deps);
    res.status(202).json(presentMessage(message));
  });

  // Public, then private: the short public reply and the private path, as one action (202: both are queued).
  router.post('/tickets/:id/move-to-private', async (req, res) => {
    const input = parseInput(moveToPrivateInputSchema, req.body);
    const user = currentUser(req);
    const ticket = await startMoveToPrivate(userActor(user), await ticketFor(user, String(req.params.id)), input, deps);
    res.status(202).json(presentTicket(ticket));
  });

  router.post('/tickets/:id/messages/:messageId/retry', async (req, res) => {
    const ticket = await ticketFor(currentUser(req), String(req.params.id));
    const messageId = String(req.params.messageId);
    const message = idCursor.safeParse(messageId).success ? await Message.findOne({ _id: messageId, ticketId: ticket._id }).lean<MessageDoc>() : null;
    if (!message) throw new NotFound('Message');
    if (message.direction !== 'outbound' || message.deliveryState !== 'failed') throw new Conflict('Only a reply that failed to send can be retried');
    if (!(await retryDelivery(message, deps))) throw new Conflict('Only a reply that failed to send can be retried');
    const current = await Message.findById(message._id).lean<MessageDoc>();
    res.status(202).json(presentMessage(current ?? message));
  });

  return router;
}
