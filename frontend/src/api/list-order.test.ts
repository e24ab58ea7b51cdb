import type { TicketSla } from '@parley/common';
import { placeTicket } from './list-order';
import type { TicketListItem, TicketListPages } from './tickets.queries';

const noSla: TicketSla = { policyId: null, policyName: null, businessHours: false, firstResponse: null, nextResponse: null, resolution: null, nextDueAt: null, earliestOwedDueAt: null };

function ticket(id: string, fields: { minute?: number; priority?: TicketListItem['priority']; dueMinute?: number } = {}): TicketListItem {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 9, minute)).toISOString();
  return {
    id: id.padStart(24, '0'),
    number: 1,
    subject: id,
    status: 'open',
    priority: fields.priority ?? 'normal',
    priorityReason: null,
    prioritySource: 'triage',
    language: null,
    sentiment: null,
    influenceTier: 'standard',
    reach: 0,
    channelId: 'c'.repeat(24),
    channelKind: 'simulator',
    origin: 'public',
    contactId: 'd'.repeat(24),
    teamId: null,
    assigneeId: null,
    tags: [],
    unreadCount: 0,
    messageCount: 1,
    lastMessageAt: at(fields.minute ?? 0),
    lastMessagePreview: id,
    sla: { ...noSla, earliestOwedDueAt: fields.dueMinute === undefined ? null : at(fields.dueMinute) },
    moveToPrivate: null,
    botState: 'none',
    handoff: null,
    firstResponseAt: null,
    firstHumanResponseAt: null,
    createdAt: at(0),
    updatedAt: at(fields.minute ?? 0),
    contact: null,
  };
}

const pagesOf = (nextCursor: string | null, ...pages: TicketListItem[][]): TicketListPages => ({
  pages: pages.map((items, index) => ({ items, nextCursor: index === pages.length - 1 ? nextCursor : 'more' })),
  pageParams: pages.map((_, index) => (index === 0 ? undefined : `cursor-${index}`)),
});
const ids = (pages: TicketListPages) => pages.pages.map((page) => page.items.map((item) => item.subject));

describe('placing a live ticket in a sorted list', () => {
  it('moves a ticket with a new message to the top of the newest-first list', () => {
    const old = pagesOf(null, [ticket('a', { minute: 30 }), ticket('b', { minute: 20 })], [ticket('c', { minute: 10 })]);
    expect(ids(placeTicket(old, ticket('c', { minute: 40 }), 'lastMessageAt'))).toEqual([['c', 'a', 'b'], []]);
  });

  it('puts a new ticket between the ones due before and after it', () => {
    const old = pagesOf(null, [ticket('a', { dueMinute: 5 }), ticket('b', { dueMinute: 50 }), ticket('none')]);
    expect(ids(placeTicket(old, ticket('new', { dueMinute: 20 }), 'slaDueAt'))).toEqual([['a', 'new', 'b', 'none']]);
    expect(ids(placeTicket(old, ticket('late', { dueMinute: 1 }), 'slaDueAt'))).toEqual([['late', 'a', 'b', 'none']]);
  });

  it('sorts by priority, then newest', () => {
    const old = pagesOf(null, [ticket('urgent', { priority: 'urgent' }), ticket('low', { priority: 'low' })]);
    expect(ids(placeTicket(old, ticket('high', { priority: 'high', minute: 1 }), 'priority'))).toEqual([['urgent', 'high', 'low']]);
  });

  it('leaves a ticket that sorts past the loaded pages to the server while more pages wait there', () => {
    const old = pagesOf('next', [ticket('a', { minute: 30 }), ticket('b', { minute: 20 })]);
    expect(ids(placeTicket(old, ticket('older', { minute: 1 }), 'lastMessageAt'))).toEqual([['a', 'b']]);
    expect(ids(placeTicket(pagesOf(null, [ticket('a', { minute: 30 })]), ticket('older', { minute: 1 }), 'lastMessageAt'))).toEqual([['a', 'older']]);
    // A loaded ticket that now sorts past the end leaves too: it comes back in its page.
    expect(ids(placeTicket(old, ticket('a', { minute: 1 }), 'lastMessageAt'))).toEqual([['b']]);
  });

  it('answers the same pages when nothing moves', () => {
    const a = ticket('a', { minute: 30 });
    const old = pagesOf(null, [a, ticket('b', { minute: 20 })]);
    expect(placeTicket(old, a, 'lastMessageAt')).toBe(old);
  });
});
