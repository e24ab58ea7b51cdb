import { activeTicketStatuses, savedViewToListQuery, type Priority, type SavedView, type TicketListQuery, type TicketStatus } from '@parley/common';

/** A left-hand view of the inbox, and the GET /api/tickets filter it stands for. */
export interface InboxView {
  /** The URL segment: /inbox/:view. */
  id: string;
  query: TicketListQuery;
  /** The saved filter this view shows, for a `saved-<id>` view. */
  saved?: SavedView;
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
export const savedViewId = (savedViewIdOnServer: string) => `saved-${savedViewIdOnServer}`;
const savedViewPattern = /^saved-([a-f0-9]{24})$/;
/** Whether the URL names a saved filter (which resolves only once the saved views are loaded). */
export const isSavedViewId = (id: string) => savedViewPattern.test(id);

/** The view named in the URL, or undefined for an unknown one; a saved filter is looked up in `savedViews`. */
export function viewFromId(id: string, savedViews: readonly SavedView[] = []): InboxView | undefined {
  if ((builtInViews as readonly string[]).includes(id)) return { id, query: { ...builtIn[id as BuiltInView] } };
  const channel = /^channel-([a-f0-9]{24})$/.exec(id);
  if (channel) return { id, query: { channelId: channel[1], status: active } };
  if (id.startsWith('tag-') && id.length > 4) {
    return { id, query: { tag: decodeURIComponent(id.slice(4)), status: active } };
  }
  const saved = savedViewPattern.exec(id);
  const savedView = saved && savedViews.find((candidate) => candidate.id === saved[1]);
  if (savedView) return { id, query: savedViewToListQuery(savedView.filters), saved: savedView };
  return undefined;
}

/** Whether a ticket (after a live change) belongs in a view's list. */
export function ticketMatchesView(
  view: InboxView,
  ticket: { status: TicketStatus; priority: Priority; assigneeId: string | null; teamId: string | null; channelId: string; tags: string[] },
  meId: string,
): boolean {
  const { query } = view;
  // A text search is the server's to answer (it also matches names and handles): live tickets wait for a refetch.
  if (query.q) return false;
  if (query.status && !query.status.split(',').includes(ticket.status)) return false;
  if (query.assignee === 'me' && ticket.assigneeId !== meId) return false;
  if (query.assignee === 'none' && ticket.assigneeId !== null) return false;
  if (query.assignee && query.assignee !== 'me' && query.assignee !== 'none' && ticket.assigneeId !== query.assignee) return false;
  if (query.priority && ticket.priority !== query.priority) return false;
  if (query.teamId && ticket.teamId !== query.teamId) return false;
  if (query.channelId && ticket.channelId !== query.channelId) return false;
  if (query.tag && !ticket.tags.includes(query.tag)) return false;
  return true;
}
