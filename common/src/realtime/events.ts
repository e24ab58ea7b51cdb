import { z } from 'zod';
import type { AlertEvent } from '../alerts';
import { channelSchema } from '../channels';
import { slaMetricSchema } from '../sla';
import { messageSchema, ticketSchema } from '../tickets';
import { objectIdSchema } from '../users';

/**
 * The socket protocol between the api and the agents' browsers. Server and client
 * are both typed with these maps (Server<ClientToServerEvents, ServerToClientEvents>).
 */

export const agentPresenceSchema = z.object({
  userId: objectIdSchema,
  online: z.boolean(),
  at: z.iso.datetime(),
});
export type AgentPresence = z.infer<typeof agentPresenceSchema>;

/** A changed ticket, as the REST API presents it; updatedAt lets a client drop stale events. */
export const ticketEventSchema = z.object({ ticket: ticketSchema });
export type TicketEvent = z.infer<typeof ticketEventSchema>;

export const messageEventSchema = z.object({ ticketId: objectIdSchema, message: messageSchema });
export type MessageEvent = z.infer<typeof messageEventSchema>;

/** A message that is gone from its thread: the echo of our own reply, stored before we knew it was ours, merged into it. */
export const messageRemovedEventSchema = z.object({ ticketId: objectIdSchema, messageId: objectIdSchema });
export type MessageRemovedEvent = z.infer<typeof messageRemovedEventSchema>;

/**
 * A public reply entered or left the approval queue: sent to the supervisors (who keep the
 * "Needs approval" count and list) and to the agent who wrote it (who sees it approved or
 * rejected). pendingCount is the number of replies waiting, after this change.
 */
export const approvalEventSchema = z.object({ ticketId: objectIdSchema, message: messageSchema, pendingCount: z.number().int().nonnegative() });
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;

/** A channel whose status changed by itself (a platform token expired): admins reconnect it. */
export const channelEventSchema = z.object({ channel: channelSchema });
export type ChannelEvent = z.infer<typeof channelEventSchema>;

/**
 * An SLA clock is close to its target (sla.warning: `share` of its span has passed) or has
 * missed it (sla.breached). Sent once per ticket, clock and due time, to the assignee (the
 * ticket's team when unassigned) and to the supervisors; assigneeId and teamId are the
 * ticket's when it happened, before any escalation moved it.
 */
const slaNoticeFields = {
  ticket: z.object({ id: objectIdSchema, number: z.number().int(), subject: z.string() }),
  clock: slaMetricSchema,
  dueAt: z.iso.datetime(),
  assigneeId: objectIdSchema.nullable(),
  teamId: objectIdSchema.nullable(),
};
export const slaWarningEventSchema = z.object({ ...slaNoticeFields, share: z.number() });
export type SlaWarningEvent = z.infer<typeof slaWarningEventSchema>;
export const slaBreachedEventSchema = z.object({ ...slaNoticeFields, breachedAt: z.iso.datetime() });
export type SlaBreachedEvent = z.infer<typeof slaBreachedEventSchema>;

/** Who has a ticket open right now, and who is writing a reply on it. */
export const ticketPresenceSchema = z.object({
  ticketId: objectIdSchema,
  viewers: z.array(z.object({ userId: objectIdSchema, name: z.string(), typing: z.boolean() })),
});
export type TicketPresence = z.infer<typeof ticketPresenceSchema>;

export const ticketRefSchema = z.object({ ticketId: objectIdSchema });
export const typingSchema = z.object({ ticketId: objectIdSchema, typing: z.boolean() });

export type Ack = (result: { ok: true } | { ok: false; error: string }) => void;

export interface ServerToClientEvents {
  'ticket.presence': (payload: TicketPresence) => void;
  'agent.presence': (payload: AgentPresence) => void;
  'ticket.created': (payload: TicketEvent) => void;
  'ticket.updated': (payload: TicketEvent) => void;
  'message.created': (payload: MessageEvent) => void;
  'message.updated': (payload: MessageEvent) => void;
  'message.removed': (payload: MessageRemovedEvent) => void;
  'approval.updated': (payload: ApprovalEvent) => void;
  'channel.updated': (payload: ChannelEvent) => void;
  /** To the supervisors: a storm of negative mentions began (once per storm) … */
  'alert.storm': (payload: AlertEvent) => void;
  /** … and ended. */
  'alert.storm_over': (payload: AlertEvent) => void;
  /** … or changed while it lasts (its figures, at most every 10 seconds; what it is about). */
  'alert.updated': (payload: AlertEvent) => void;
  'sla.warning': (payload: SlaWarningEvent) => void;
  'sla.breached': (payload: SlaBreachedEvent) => void;
}

export interface ClientToServerEvents {
  /** Opening a ticket: the others on it see this agent as viewing. */
  'ticket.view': (payload: z.infer<typeof ticketRefSchema>, ack?: Ack) => void;
  'ticket.leave': (payload: z.infer<typeof ticketRefSchema>, ack?: Ack) => void;
  /** Sent while the agent writes (again every few seconds) and with false when they stop. */
  'ticket.typing': (payload: z.infer<typeof typingSchema>, ack?: Ack) => void;
}

/** Rooms a socket joins when it connects; domain events are emitted to these. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  team: (teamId: string) => `team:${teamId}`,
  supervisors: 'supervisors',
  ticket: (ticketId: string) => `ticket:${ticketId}`,
} as const;
