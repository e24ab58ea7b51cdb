import { z } from 'zod';
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

export interface ServerToClientEvents {
  'agent.presence': (payload: AgentPresence) => void;
  'ticket.created': (payload: TicketEvent) => void;
  'ticket.updated': (payload: TicketEvent) => void;
  'message.created': (payload: MessageEvent) => void;
  'message.updated': (payload: MessageEvent) => void;
}

// The client sends nothing yet; presence on tickets (viewing, typing) comes with the inbox.
export type ClientToServerEvents = Record<never, never>;

/** Rooms a socket joins when it connects; domain events are emitted to these. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  team: (teamId: string) => `team:${teamId}`,
  supervisors: 'supervisors',
} as const;
