import { prioritySchema, type TicketListQuery } from '@parley/common';
import type { TicketListItem, TicketListPages } from './tickets.queries';

type Sort = NonNullable<TicketListQuery['sort']>;
type Sortable = Pick<TicketListItem, 'id' | 'priority' | 'lastMessageAt' | 'sla'>;

const NEVER = Number.MAX_SAFE_INTEGER;
const dueOf = (ticket: Sortable) => (ticket.sla.earliestOwedDueAt ? new Date(ticket.sla.earliestOwedDueAt).getTime() : NEVER);
const rankOf = (ticket: Sortable) => prioritySchema.options.indexOf(ticket.priority);

/** The server's order for a list (GET /api/tickets ?sort=), ties broken by newest message, then id. */
export function compareTickets(sort: Sort): (a: Sortable, b: Sortable) => number {
  const newest = (a: Sortable, b: Sortable) => b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id);
  switch (sort) {
    case 'lastMessageAt':
      return newest;
    case 'priority':
      return (a, b) => rankOf(b) - rankOf(a) || newest(a, b);
    case 'slaDueAt':
      return (a, b) => dueOf(a) - dueOf(b) || newest(a, b);
  }
}

/**
 * Puts a new or changed ticket where the list's order wants it: a message makes a ticket
 * the newest, a missed target moves it up the SLA order. A ticket that now sorts past the
 * loaded pages while more pages wait on the server leaves the list: it comes back on scroll.
 * Answers the pages unchanged (same object) when nothing moves.
 */
export function placeTicket(old: TicketListPages, ticket: TicketListItem, sort: Sort): TicketListPages {
  const compare = compareTickets(sort);
  const pages = old.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== ticket.id) }));
  const moreOnServer = (old.pages[old.pages.length - 1]?.nextCursor ?? null) !== null;
  let placed = false;
  for (const page of pages) {
    const index = page.items.findIndex((item) => compare(ticket, item) < 0);
    if (index >= 0) {
      page.items.splice(index, 0, ticket);
      placed = true;
      break;
    }
  }
  const last = pages[pages.length - 1];
  if (!placed && !moreOnServer && last) last.items.push(ticket);
  const unchanged = pages.every((page, index) => {
    const before = old.pages[index]?.items ?? [];
    return page.items.length === before.length && page.items.every((item, at) => item.id === before[at]?.id && item === before[at]);
  });
  return unchanged ? old : { ...old, pages };
}
