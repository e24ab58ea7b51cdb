import { savedViewToListQuery } from '@parley/common';
import { viewFromId, ticketMatchesView } from '../api/views';
import { filtersOfQuery, narrowQuery, narrowingFromParams, narrowingToParams } from './filters';

const channelId = 'c'.repeat(24);

describe('the filter bar', () => {
  it('reads what the API would accept from the URL and ignores the rest', () => {
    const params = new URLSearchParams({ status: 'open,pending,open', priority: 'urgent', channelId, tag: ' vip ', assignee: 'me', q: 'refund' });
    expect(narrowingFromParams(params)).toEqual({ status: ['open', 'pending'], priority: 'urgent', channelId, tag: 'vip', assignee: 'me' });
    expect(narrowingFromParams(new URLSearchParams({ status: 'open,lost', priority: 'asap', channelId: 'x', tag: ' ', assignee: 'someone' }))).toEqual({});
    expect(narrowingToParams({ status: ['new'], tag: 'vip' }, 'refund').toString()).toBe('q=refund&status=new&tag=vip');
  });

  it('keeps the order the agent chose beside the filters, and a saved view keeps it too', () => {
    const narrowing = narrowingFromParams(new URLSearchParams({ priority: 'high', sort: 'slaDueAt' }));
    expect(narrowing).toEqual({ priority: 'high', sort: 'slaDueAt' });
    expect(narrowingFromParams(new URLSearchParams({ sort: 'loudest' }))).toEqual({});
    expect(narrowingToParams(narrowing, '').toString()).toBe('priority=high&sort=slaDueAt');
    const query = narrowQuery({ status: 'new,open' }, narrowing, '');
    expect(query).toEqual({ status: 'new,open', priority: 'high', sort: 'slaDueAt' });
    expect(savedViewToListQuery(filtersOfQuery(query))).toEqual(query);
    // The default order is no filter of its own.
    expect(filtersOfQuery({ status: 'open', sort: 'lastMessageAt' })).toEqual({ status: ['open'] });
  });

  it('narrows a view without ever widening it', () => {
    const mine = viewFromId('mine');
    if (!mine) throw new Error('mine is a built-in view');
    expect(narrowQuery(mine.query, { status: ['pending', 'solved'], priority: 'high', assignee: 'none' }, 'late')).toEqual({
      assignee: 'me',
      status: 'pending',
      priority: 'high',
      q: 'late',
    });
    // No status of the view left: the view's statuses stay.
    expect(narrowQuery(mine.query, { status: ['solved'] }, '')).toEqual(mine.query);
  });

  it('saves what the list shows and reads it back as the same list', () => {
    const query = { status: 'open,new', priority: 'urgent', tag: 'vip', q: 'refund' } as const;
    const filters = filtersOfQuery(query);
    expect(filters).toEqual({ status: ['new', 'open'], priority: 'urgent', tag: 'vip', q: 'refund' });
    expect(savedViewToListQuery(filters)).toEqual({ status: 'new,open', priority: 'urgent', tag: 'vip', q: 'refund' });
  });

  it('resolves a saved view once the saved views are loaded and matches live tickets by its filters', () => {
    const saved = {
      id: 'a'.repeat(24),
      name: 'Urgent VIPs',
      filters: { priority: 'urgent' as const, tag: 'vip' },
      shared: false,
      ownerId: 'b'.repeat(24),
      ownerName: 'Alex',
      createdAt: '2026-11-28T09:00:00.000Z',
      updatedAt: '2026-11-28T09:00:00.000Z',
    };
    expect(viewFromId(`saved-${saved.id}`)).toBeUndefined();
    const view = viewFromId(`saved-${saved.id}`, [saved]);
    expect(view?.query).toEqual({ priority: 'urgent', tag: 'vip' });
    if (!view) throw new Error('the saved view resolves');
    const ticket = { status: 'solved' as const, priority: 'urgent' as const, assigneeId: null, teamId: null, channelId, tags: ['vip'] };
    expect(ticketMatchesView(view, ticket, 'me')).toBe(true);
    expect(ticketMatchesView(view, { ...ticket, priority: 'high' }, 'me')).toBe(false);
    expect(ticketMatchesView({ id: 'x', query: { teamId: 'd'.repeat(24) } }, ticket, 'me')).toBe(false);
    expect(ticketMatchesView({ id: 'x', query: { assignee: 'e'.repeat(24) } }, { ...ticket, assigneeId: 'e'.repeat(24) }, 'me')).toBe(true);
  });
});
