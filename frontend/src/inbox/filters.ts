import { z } from 'zod';
import { objectIdSchema, prioritySchema, ticketSortSchema, ticketStatusSchema, type SavedViewFilters, type TicketListQuery, type TicketStatus } from '@parley/common';

/** What the filter bar adds to a view, as kept in the URL (`?status=new,open&priority=high&…`). */
export interface Narrowing {
  status?: TicketStatus[];
  priority?: z.infer<typeof prioritySchema>;
  channelId?: string;
  tag?: string;
  assignee?: 'me' | 'none';
  /** Not a narrowing but kept beside it: the order the agent chose (`?sort=`). */
  sort?: z.infer<typeof ticketSortSchema>;
}

export const narrowingKeys = ['status', 'priority', 'channelId', 'tag', 'assignee'] as const satisfies readonly (keyof Narrowing)[];

const paramSchemas = {
  status: z
    .string()
    .transform((value) => [...new Set(value.split(','))])
    .pipe(z.array(ticketStatusSchema).min(1)),
  priority: prioritySchema,
  channelId: objectIdSchema,
  tag: z.string().trim().min(1).max(100),
  assignee: z.enum(['me', 'none']),
};

/** The narrowing in the URL; a value the API would refuse (a hand-edited URL) is ignored. */
export function narrowingFromParams(params: URLSearchParams): Narrowing {
  const narrowing: Narrowing = {};
  for (const key of narrowingKeys) {
    const raw = params.get(key);
    if (raw === null) continue;
    const parsed = paramSchemas[key].safeParse(raw);
    // Each key's schema gives that key's type; TypeScript cannot follow the loop variable.
    if (parsed.success) Object.assign(narrowing, { [key]: parsed.data });
  }
  const sort = ticketSortSchema.safeParse(params.get('sort'));
  if (sort.success) narrowing.sort = sort.data;
  return narrowing;
}

/** The URL search params for a narrowing and a search text. */
export function narrowingToParams(narrowing: Narrowing, q: string): URLSearchParams {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (narrowing.status && narrowing.status.length > 0) params.set('status', narrowing.status.join(','));
  if (narrowing.priority) params.set('priority', narrowing.priority);
  if (narrowing.channelId) params.set('channelId', narrowing.channelId);
  if (narrowing.tag) params.set('tag', narrowing.tag);
  if (narrowing.assignee) params.set('assignee', narrowing.assignee);
  if (narrowing.sort) params.set('sort', narrowing.sort);
  return params;
}

export const narrowingCount = (narrowing: Narrowing) => narrowingKeys.filter((key) => narrowing[key] !== undefined).length;

/** The statuses a view allows: all of them when it names none. */
export function viewStatuses(query: TicketListQuery): TicketStatus[] {
  return query.status ? ticketStatusSchema.options.filter((status) => query.status?.split(',').includes(status)) : [...ticketStatusSchema.options];
}

/**
 * The view's query narrowed: a filter the view fixes itself stays the view's, and statuses
 * are only those of the view that the agent kept, so a filter never shows more than the view.
 */
export function narrowQuery(query: TicketListQuery, narrowing: Narrowing, q: string): TicketListQuery {
  const narrowed: TicketListQuery = { ...query };
  if (narrowing.status) {
    const allowed = viewStatuses(query).filter((status) => narrowing.status?.includes(status));
    if (allowed.length > 0) narrowed.status = allowed.join(',');
  }
  if (narrowing.priority && !query.priority) narrowed.priority = narrowing.priority;
  if (narrowing.channelId && !query.channelId) narrowed.channelId = narrowing.channelId;
  if (narrowing.tag && !query.tag) narrowed.tag = narrowing.tag;
  if (narrowing.assignee && !query.assignee) narrowed.assignee = narrowing.assignee;
  if (narrowing.sort) narrowed.sort = narrowing.sort;
  if (q) narrowed.q = q;
  return narrowed;
}

/** The filters a saved view keeps for a list query, with its order when it is not the default. */
export function filtersOfQuery(query: TicketListQuery): SavedViewFilters {
  const filters: SavedViewFilters = {};
  if (query.status) filters.status = ticketStatusSchema.options.filter((status) => query.status?.split(',').includes(status));
  if (query.priority) filters.priority = query.priority;
  if (query.assignee) filters.assignee = query.assignee;
  if (query.teamId) filters.teamId = query.teamId;
  if (query.channelId) filters.channelId = query.channelId;
  if (query.tag) filters.tag = query.tag;
  if (query.q) filters.q = query.q;
  if (query.sort && query.sort !== 'lastMessageAt') filters.sort = query.sort;
  return filters;
}
