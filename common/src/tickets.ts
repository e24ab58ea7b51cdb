import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { attachmentSchema } from './inbound';
import { objectIdSchema } from './users';

export const ticketStatusSchema = z.enum(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
/** Statuses in which a ticket still needs the team; a new customer message joins such a ticket. */
export const activeTicketStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];

export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof prioritySchema>;

export const contactIdentitySchema = z.object({
  kind: connectorKindSchema,
  externalId: z.string(),
  handle: z.string().optional(),
  displayName: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
  avatarUrl: z.string().optional(),
});
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
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const messageVisibilitySchema = z.enum(['public', 'private', 'note', 'bot']);
export const deliveryStateSchema = z.enum(['received', 'queued', 'sent', 'failed']);

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
  externalId: z.string().nullable(),
  externalThreadId: z.string().nullable(),
  externalParentId: z.string().nullable(),
  deliveryState: deliveryStateSchema,
  failureReason: z.string().nullable(),
  deleted: z.boolean(),
  edited: z.boolean(),
  language: z.string().nullable(),
  sentAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Message = z.infer<typeof messageSchema>;
