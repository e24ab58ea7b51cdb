import { activeTicketStatuses, type TicketListQuery, type TicketStatus } from '@parley/common';

/** A left-hand view of the inbox, and the GET /api/tickets filter it stands for. */
export interface InboxView {
  /** The URL segment: /inbox/:view. */
  id: string;
  query: TicketListQuery;
}

const active = activeTicketStatuses.join(',');

export const builtInViews = ['mine', 'unassigned', 'open', 'pending', 'solved'] as const;
export type BuiltInView = (typeof builtInViews)[number];

const builtIn: Record<BuiltInView, TicketListQuery> = {
  mine: { assignee: 'me', status: active },
  unassigned: { assignee: 'none', status: active },
  open: { status: 'new,open' },
  pending: { status: 'pending,on_hold' },
  solved: { status: 'solved,closed' },
};

export const channelViewId = (channelId: string) => `channel-${channelId}`;
export const tagViewId = (tag: string) => `tag-${encodeURIComponent(tag)}`;

/** The view named in the URL, or undefined for an unknown one. */
export function viewFromId(id: string): InboxView | undefined {
  if ((builtInViews as readonly string[]).includes(id)) return { id, query: { ...builtIn[id as BuiltInView] } };
  const channel = /^channel-([a-f0-9]{24})$/.exec(id);
  if (channel) return { id, query: { channelId: channel[1], status: active } };
  if (id.startsWith('tag-') && id.length > 4) {
    return { id, query: { tag: decodeURIComponent(id.slice(4)), status: active } };
  }
  return undefined;
}

/** Whether a ticket (after a live change) belongs in a view's list. */
export function ticketMatchesView(view: InboxView, ticket: { status: TicketStatus; assigneeId: string | null; channelId: string; tags: string[] }, meId: string): boolean {
  const { query } = view;
  // A text search is the server's to answer (it also matches names and handles): live tickets wait for a refetch.
  if (query.q) return false;
  if (query.status && !query.status.split(',').includes(ticket.status)) return false;
  if (query.assignee === 'me' && ticket.assigneeId !== meId) return false;
  if (query.assignee === 'none' && ticket.assigneeId !== null) return false;
  if (query.channelId && ticket.channelId !== query.channelId) return false;
  if (query.tag && !ticket.tags.includes(query.tag)) return false;
  return true;
}
