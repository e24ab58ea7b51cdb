import { z } from 'zod';
import { prioritySchema, ticketSortSchema, ticketStatusSchema, type TicketListQuery } from './tickets';
import { objectIdSchema } from './users';

/**
 * The GET /api/tickets filters a saved view fixes. `assignee: 'me'` stays relative:
 * a shared "mine, urgent" view shows each agent their own tickets.
 */
export const savedViewFiltersSchema = z
  .object({
    status: z.array(ticketStatusSchema).min(1).max(ticketStatusSchema.options.length).optional(),
    priority: prioritySchema.optional(),
    assignee: z.union([z.literal('me'), z.literal('none'), objectIdSchema]).optional(),
    teamId: objectIdSchema.optional(),
    channelId: objectIdSchema.optional(),
    tag: z.string().trim().min(1).max(100).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    /** The list's order (newest first when absent): a "breaching soon" view sorts by slaDueAt. */
    sort: ticketSortSchema.optional(),
  })
  .strict()
  .refine((filters) => Object.values(filters).some((value) => value !== undefined), { message: 'set at least one filter' });
export type SavedViewFilters = z.infer<typeof savedViewFiltersSchema>;

const savedViewNameSchema = z.string().trim().min(1, 'must not be empty').max(60);

export const savedViewInputSchema = z
  .object({
    name: savedViewNameSchema,
    filters: savedViewFiltersSchema,
    /** Shared views are seen by every user; only supervisors and admins keep them. */
    shared: z.boolean().default(false),
  })
  .strict();
export type SavedViewInput = z.input<typeof savedViewInputSchema>;

export const savedViewUpdateSchema = z
  .object({ name: savedViewNameSchema, filters: savedViewFiltersSchema, shared: z.boolean() })
  .partial()
  .strict();
export type SavedViewUpdate = z.infer<typeof savedViewUpdateSchema>;

export const savedViewSchema = z.object({
  id: objectIdSchema,
  name: z.string(),
  filters: savedViewFiltersSchema,
  shared: z.boolean(),
  ownerId: objectIdSchema,
  ownerName: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) });
export type SavedViewList = z.infer<typeof savedViewListSchema>;

/** The GET /api/tickets query a saved view stands for. */
export function savedViewToListQuery(filters: SavedViewFilters): TicketListQuery {
  const query: TicketListQuery = {};
  if (filters.status) query.status = filters.status.join(',');
  if (filters.priority) query.priority = filters.priority;
  if (filters.assignee) query.assignee = filters.assignee;
  if (filters.teamId) query.teamId = filters.teamId;
  if (filters.channelId) query.channelId = filters.channelId;
  if (filters.tag) query.tag = filters.tag;
  if (filters.q) query.q = filters.q;
  if (filters.sort) query.sort = filters.sort;
  return query;
}
