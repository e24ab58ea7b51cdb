import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { attachmentSchema, authorSchema } from './inbound';
import { moveToPrivateSchema } from './move-to-private';
import { influenceTierSchema } from './influence';
import { ticketSlaSchema } from './sla';
import { engagementSchema, messageLanguageSchema, prioritySourceSchema, sentimentSchema } from './triage';
import { objectIdSchema } from './users';
import { messageAuthorSchema, quickReplySchema, ticketBotStateSchema, ticketHandoffSchema } from './bot';

export const ticketStatusSchema = z.enum(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
/** Statuses in which a ticket still needs the team; a new customer message joins such a ticket. */
export const activeTicketStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];

export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof prioritySchema>;

/** One of a contact's platform identities: the author of their messages there. */
export const contactIdentitySchema = authorSchema.extend({ kind: connectorKindSchema });
export type ContactIdentity = z.infer<typeof contactIdentitySchema>;

export const contactSchema = z.object({
  id: objectIdSchema,
  name: z.string(),
  avatarUrl: z.string().optional(),
  identities: z.array(contactIdentitySchema),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof contactSchema>;

export const ticketSchema = z.object({
  id: objectIdSchema,
  number: z.number().int().positive(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: prioritySchema,
  /** Why the ticket has its priority: triage's reasons ("celebrity reach · negative · public"), or who set it. */
  priorityReason: z.string().nullable(),
  /** Who decided it: triage follows the customer's messages; a person's, a rule's or a policy's choice stays. */
  prioritySource: prioritySourceSchema,
  /** The language of the customer's latest messages (ISO 639-1, "und" when unknown; null before triage read one). */
  language: messageLanguageSchema.nullable(),
  /** The sentiment of the customer's latest messages. */
  sentiment: sentimentSchema.nullable(),
  /** How far the customer's words carry (common/src/influence.ts). */
  influenceTier: influenceTierSchema,
  /** The customer's followers on this channel's platform when it says (0 when it does not). */
  reach: z.number().int().nonnegative(),
  channelId: objectIdSchema,
  channelKind: connectorKindSchema,
  /** Where the conversation started: a public post or a private message. */
  origin: z.enum(['public', 'private']),
  contactId: objectIdSchema,
  teamId: objectIdSchema.nullable(),
  assigneeId: objectIdSchema.nullable(),
  tags: z.array(z.string()),
  unreadCount: z.number().int().nonnegative(),
  messageCount: z.number().int().nonnegative(),
  lastMessageAt: z.iso.datetime(),
  lastMessagePreview: z.string(),
  /** Response-time clocks under the SLA policy that applied when it was opened. */
  sla: ticketSlaSchema,
  /** The latest move of this conversation to a private channel (move-to-private), null when none was started. */
  moveToPrivate: moveToPrivateSchema.nullable(),
  /** Whether the chatbot holds this conversation, has handed it to people, or never spoke in it. */
  botState: ticketBotStateSchema.default('none'),
  /** The bot's hand-off to people: when, why and what it learnt (null when it never handed over). */
  handoff: ticketHandoffSchema.nullable().default(null),
  /** The first reply to the customer by anyone (the bot included), and the first by a person. */
  firstResponseAt: z.iso.datetime().nullable().default(null),
  firstHumanResponseAt: z.iso.datetime().nullable().default(null),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const messageVisibilitySchema = z.enum(['public', 'private', 'note', 'bot']);
/**
 * received: a customer message. internal: a note. queued → sending (handed to the platform,
 * answer not yet recorded) → sent → read; or failed with a reason. A public reply that needs
 * a supervisor's approval waits as pending_approval (never queued for delivery) until it is
 * approved (→ queued) or rejected (→ rejected, with the supervisor's comment; never sent).
 * waiting: held until the message it follows is sent (a move to private's private message
 * waits for the public one).
 */
export const deliveryStateSchema = z.enum(['received', 'internal', 'pending_approval', 'waiting', 'queued', 'sending', 'sent', 'read', 'failed', 'rejected']);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;

/** The approval of a reply that needed one: who decided, when, and what they said. */
export const messageApprovalSchema = z.object({
  state: z.enum(['pending', 'approved', 'rejected']),
  requestedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  decidedById: objectIdSchema.nullable(),
  decidedByName: z.string().nullable(),
  /** The supervisor's comment: why it was rejected (shown to the agent), or a note with an approval. */
  comment: z.string().nullable(),
});
export type MessageApproval = z.infer<typeof messageApprovalSchema>;

export const messageSchema = z.object({
  id: objectIdSchema,
  ticketId: objectIdSchema,
  channelId: objectIdSchema,
  direction: z.enum(['inbound', 'outbound']),
  visibility: messageVisibilitySchema,
  text: z.string(),
  attachments: z.array(attachmentSchema),
  contactId: objectIdSchema.nullable(),
  authorUserId: objectIdSchema.nullable(),
  /** The agent's name as it was when they wrote (null for customers, the bot and older replies). */
  authorName: z.string().nullable().default(null),
  /** Who wrote it: the customer, an agent, the bot, or Parley itself (a rule, a workflow). */
  author: messageAuthorSchema,
  /** The buttons the bot offered with it, where the platform shows them. */
  quickReplies: z.array(quickReplySchema).default([]),
  externalId: z.string().nullable(),
  externalThreadId: z.string().nullable(),
  externalParentId: z.string().nullable(),
  deliveryState: deliveryStateSchema,
  failureReason: z.string().nullable(),
  /** Set on a reply that needed a supervisor's approval (null for every other message). */
  approval: messageApprovalSchema.nullable().default(null),
  deleted: z.boolean(),
  edited: z.boolean(),
  language: z.string().nullable(),
  /** A customer message's sentiment (triage); null for our own messages and before triage read it. */
  sentiment: sentimentSchema.nullable().default(null),
  /** What the platform counted on a customer's public post when it was received. */
  engagement: engagementSchema.nullable().default(null),
  sentAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Message = z.infer<typeof messageSchema>;

/** lastMessageAt: newest first; priority: most urgent first; slaDueAt: the SLA due soonest first (breached at the top). */
export const ticketSortSchema = z.enum(['lastMessageAt', 'priority', 'slaDueAt']);

/** GET /api/tickets query. Every value is a plain string: no operator reaches a query. */
export const ticketListQuerySchema = z.object({
  status: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(ticketStatusSchema))
    .optional(),
  priority: prioritySchema.optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), objectIdSchema]).optional(),
  teamId: objectIdSchema.optional(),
  channelId: objectIdSchema.optional(),
  tag: z.string().min(1).max(100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: ticketSortSchema.default('lastMessageAt'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
}).strict();
export type TicketListQuery = z.input<typeof ticketListQuerySchema>;

export const ticketListResponseSchema = z.object({
  items: z.array(ticketSchema.extend({ contact: contactSchema.pick({ id: true, name: true, avatarUrl: true, identities: true }).nullable() })),
  nextCursor: z.string().nullable(),
});
export type TicketListResponse = z.infer<typeof ticketListResponseSchema>;

export const ticketDetailSchema = ticketSchema.extend({ contact: contactSchema.nullable() });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export const ticketUpdateSchema = z
  .object({
    status: ticketStatusSchema,
    priority: prioritySchema,
    assigneeId: objectIdSchema.nullable(),
    teamId: objectIdSchema.nullable(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50),
  })
  .partial()
  .strict();
export type TicketUpdate = z.infer<typeof ticketUpdateSchema>;

export const messageListQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const messageListResponseSchema = z.object({ items: z.array(messageSchema), nextCursor: z.string().nullable() });
export type MessageListResponse = z.infer<typeof messageListResponseSchema>;

export const postMessageSchema = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(10_000),
    visibility: z.enum(['public', 'private', 'note']),
    replyToMessageId: objectIdSchema.optional(),
    /**
     * The confirmKey of each guardrail warning the agent looked at and accepts ("I looked, send
     * it"): any finding with a confirmKey is confirmable, whichever check produced it.
     */
    confirm: z.array(z.string().min(1).max(300)).max(50).optional(),
  })
  .strict();
export type PostMessage = z.infer<typeof postMessageSchema>;

/** POST /api/tickets/:id/messages/:messageId/approve: an optional note kept with the decision. */
export const approveMessageSchema = z.object({ comment: z.string().trim().min(1).max(1_000).optional() }).strict();
export type ApproveMessage = z.infer<typeof approveMessageSchema>;

/** POST /api/tickets/:id/messages/:messageId/reject: why, shown to the agent who wrote it. */
export const rejectMessageSchema = z.object({ comment: z.string().trim().min(1, 'say why, for the agent').max(1_000) }).strict();
export type RejectMessage = z.infer<typeof rejectMessageSchema>;

/** GET /api/approvals: the replies waiting for a supervisor, longest waiting first, with their tickets. */
export const pendingApprovalsResponseSchema = z.object({
  items: z.array(z.object({ message: messageSchema, ticket: ticketSchema })),
  /** All replies waiting, also beyond the items listed. */
  count: z.number().int().nonnegative(),
});
export type PendingApprovalsResponse = z.infer<typeof pendingApprovalsResponseSchema>;

export const rawEventSchema = z.object({
  id: objectIdSchema,
  channelId: objectIdSchema,
  kind: connectorKindSchema,
  status: z.enum(['pending', 'processed', 'failed']),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
  /** The first 2,000 characters of the body as received, for a person to judge it. */
  bodyPreview: z.string(),
});
export type RawEvent = z.infer<typeof rawEventSchema>;

export const rawEventListQuerySchema = z
  .object({
    status: z.enum(['pending', 'processed', 'failed']).default('failed'),
    channelId: objectIdSchema.optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const rawEventListResponseSchema = z.object({ items: z.array(rawEventSchema), nextCursor: z.string().nullable() });
export type RawEventListResponse = z.infer<typeof rawEventListResponseSchema>;

export const contactDetailSchema = contactSchema.extend({ tickets: z.array(ticketSchema) });
export type ContactDetail = z.infer<typeof contactDetailSchema>;

export const contactMergeSchema = z.object({ intoContactId: objectIdSchema }).strict();
