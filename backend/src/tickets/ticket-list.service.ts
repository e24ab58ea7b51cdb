import type { QueryFilter, SortOrder } from 'mongoose';
import { Types } from 'mongoose';
import { z } from 'zod';
import { ticketListQuerySchema } from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { Invalid } from '../http/errors';
import { toPage } from '../http/paging';
import type { UserDoc } from '../users/user.model';
import { visibleTo } from './ticket.access';
import { Ticket, type TicketDoc } from './ticket.model';

export type TicketListInput = z.output<typeof ticketListQuerySchema>;

/** A position in a sorted list: the sort values and the _id of the last item shown. */
const cursorSchema = z.tuple([z.number(), z.number(), z.string().regex(/^[a-f0-9]{24}$/)]);
type Cursor = z.infer<typeof cursorSchema>;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new Invalid('cursor is not one this API gave out', 'cursor');
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Each order: an optional rank field before the newest message (then _id) breaks ties.
 * The database sort, the cursor and the merge of separately read pages all follow it.
 */
const rankOf: Record<TicketListInput['sort'], { field: 'priorityRank' | 'slaDueRank'; order: 1 | -1 } | null> = {
  lastMessageAt: null,
  priority: { field: 'priorityRank', order: -1 },
  slaDueAt: { field: 'slaDueRank', order: 1 },
};

function sortOf(sort: TicketListInput['sort']): Record<string, SortOrder> {
  const rank = rankOf[sort];
  return { ...(rank ? { [rank.field]: rank.order } : {}), lastMessageAt: -1, _id: -1 };
}

/**
 * Pages are keyed on (rank, lastMessageAt, _id), so a ticket that arrives while an agent
 * pages never shifts or repeats the items after the cursor.
 */
function afterCursor(sort: TicketListInput['sort'], [rankValue, at, id]: Cursor): QueryFilter<TicketDoc> {
  const lastMessageAt = new Date(at);
  const _id = new Types.ObjectId(id);
  const byTime = [{ lastMessageAt: { $lt: lastMessageAt } }, { lastMessageAt, _id: { $lt: _id } }];
  const rank = rankOf[sort];
  if (!rank) return { $or: byTime };
  const beyond = rank.order === 1 ? { $gt: rankValue } : { $lt: rankValue };
  return { $or: [{ [rank.field]: beyond }, ...byTime.map((clause) => ({ [rank.field]: rankValue, ...clause }))] };
}

/** The database's order for a sort, for merging pages read separately. */
function compareAs(sort: TicketListInput['sort']): (a: TicketDoc, b: TicketDoc) => number {
  const rank = rankOf[sort];
  const newest = (a: TicketDoc, b: TicketDoc) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString());
  return rank ? (a, b) => rank.order * (a[rank.field] - b[rank.field]) || newest(a, b) : newest;
}

/** Whether the view's own filters already keep an agent inside what they may see. */
function visibilityImplied(user: UserDoc, query: TicketListInput): boolean {
  if (user.role !== 'agent') return true;
  if (query.assignee === 'me') return true;
  return query.teamId !== undefined && user.teamIds.some((teamId) => teamId.toHexString() === query.teamId);
}

export interface TicketListOptions {
  /**
   * Ask for several statuses one status at a time and merge: right for FerretDB on
   * PostgreSQL, which pushes an equality down to its indexes but evaluates $in itself over
   * every ticket. MongoDB serves $in from the index, and FerretDB on SQLite pushes neither.
   */
  statusesOneByOne: boolean;
}

/**
 * The filter is built flat: equality conditions stay top-level keys, which FerretDB
 * pushes down to PostgreSQL; only what needs an operator ($or for visibility, search
 * and the cursor) goes into $and, which FerretDB evaluates in its own process.
 */
export async function listTickets(user: UserDoc, query: TicketListInput, { statusesOneByOne }: TicketListOptions = { statusesOneByOne: false }) {
  const equal: Record<string, unknown> = {};
  const combined: QueryFilter<TicketDoc>[] = [];
  if (!visibilityImplied(user, query)) combined.push(visibleTo(user));
  const statuses = [...new Set(query.status ?? [])];
  const oneByOne = statusesOneByOne && statuses.length > 1;
  if (statuses.length === 1) equal.status = statuses[0];
  else if (statuses.length > 1 && !oneByOne) combined.push({ status: { $in: statuses } });
  if (query.priority) equal.priority = query.priority;
  if (query.assignee === 'me') equal.assigneeKey = user._id.toHexString();
  else if (query.assignee === 'none') equal.assigneeKey = 'none';
  else if (query.assignee) equal.assigneeKey = new Types.ObjectId(query.assignee).toHexString();
  if (query.teamId) equal.teamId = new Types.ObjectId(query.teamId);
  if (query.channelId) equal.channelId = new Types.ObjectId(query.channelId);
  if (query.tag) combined.push({ tags: query.tag });
  if (query.q) {
    const pattern = new RegExp(escapeRegex(query.q), 'i');
    const people = await Contact.find({ $or: [{ name: pattern }, { 'identities.handle': pattern }] }, { _id: 1 })
      .limit(500)
      .lean();
    combined.push({ $or: [{ subject: pattern }, { lastMessagePreview: pattern }, { contactId: { $in: people.map((person) => person._id) } }] });
  }
  if (query.cursor) combined.push(afterCursor(query.sort, decodeCursor(query.cursor)));

  const filter: QueryFilter<TicketDoc> = { ...equal, ...(combined.length > 0 ? { $and: combined } : {}) };
  const sort = sortOf(query.sort);
  const pageOf = (extra: QueryFilter<TicketDoc>) =>
    Ticket.find({ ...filter, ...extra })
      .sort(sort)
      .limit(query.limit + 1)
      .lean<TicketDoc[]>();
  // "All open" is new + open out of a history that is mostly solved: on FerretDB-PostgreSQL
  // two pushed-down queries read the live tickets only, where one $in reads them all.
  const page = oneByOne
    ? (await Promise.all(statuses.map((status) => pageOf({ status })))).flat().sort(compareAs(query.sort)).slice(0, query.limit + 1)
    : await pageOf({});

  const rank = rankOf[query.sort];
  const { items, nextCursor } = toPage(page, query.limit, (last) => encodeCursor([rank ? last[rank.field] : 0, last.lastMessageAt.getTime(), last._id.toHexString()]));
  // One lookup per person, not one $in: FerretDB pushes an _id equality down to its
  // database, while $in makes it read every contact.
  const contactIds = [...new Set(items.map((ticket) => ticket.contactId.toHexString()))];
  const contacts = (await Promise.all(contactIds.map((id) => Contact.findById(id).lean<ContactDoc>()))).filter((contact) => contact !== null);
  return { items, contacts, nextCursor };
}
