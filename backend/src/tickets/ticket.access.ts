import type { QueryFilter, Types } from 'mongoose';
import { Forbidden, NotFound } from '../http/errors';
import type { UserDoc } from '../users/user.model';
import { Ticket, type TicketDoc } from './ticket.model';

/** Agents see their teams' tickets and tickets assigned to them; supervisors and admins see all. */
export function visibleTo(user: UserDoc): QueryFilter<TicketDoc> {
  if (user.role !== 'agent') return {};
  return { $or: [{ teamId: { $in: user.teamIds } }, { assigneeId: user._id }] };
}

/**
 * The tickets of one person this user may see. contactId stays a top-level equality, which
 * FerretDB pushes down to its indexes, so the $or of visibleTo is weighed in FerretDB's own
 * process over that person's few tickets only, never over the whole collection.
 */
export function contactTicketsVisibleTo(user: UserDoc, contactId: Types.ObjectId): QueryFilter<TicketDoc> {
  return { contactId, ...visibleTo(user) };
}

export function canSee(user: UserDoc, ticket: TicketDoc): boolean {
  if (user.role !== 'agent') return true;
  if (ticket.assigneeId?.equals(user._id)) return true;
  return ticket.teamId !== null && user.teamIds.some((teamId) => teamId.equals(ticket.teamId));
}

/** The ticket, if this user may see it: 404 when it does not exist, 403 when it is another team's. */
export async function ticketFor(user: UserDoc, ticketId: string): Promise<TicketDoc> {
  const ticket = /^[a-f0-9]{24}$/.test(ticketId) ? await Ticket.findById(ticketId).lean<TicketDoc>() : null;
  if (!ticket) throw new NotFound('Ticket');
  if (!canSee(user, ticket)) throw new Forbidden('This ticket belongs to another team');
  return ticket;
}
