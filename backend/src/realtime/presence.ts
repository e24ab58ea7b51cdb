import type Redis from 'ioredis';
import { rooms, ticketRefSchema, typingSchema, type Ack, type TicketPresence } from '@parley/common';
import type { Logger } from '../logger';
import { ticketFor } from '../tickets/ticket.access';
import type { RealtimeServer } from './socket.server';

/** A "typing" signal counts for this long unless renewed; a closed laptop stops typing by itself. */
const TYPING_MS = 6_000;
/** Presence of a socket that vanished without a disconnect (a killed api node) expires. */
const PRESENCE_TTL_S = 120;

interface Entry {
  userId: string;
  name: string;
  typingUntil: number;
}

/**
 * Who is viewing and typing on which ticket. Kept in Redis (one hash per ticket, a field
 * per socket), so every api node sees the same picture, and broadcast to the ticket's room.
 */
export function attachPresence(io: RealtimeServer, redis: Redis, prefix: string, log: Logger): void {
  const key = (ticketId: string) => `${prefix}:presence:${ticketId}`;

  async function broadcast(ticketId: string): Promise<void> {
    const entries = Object.values(await redis.hgetall(key(ticketId))).map((raw) => JSON.parse(raw) as Entry);
    const byUser = new Map<string, TicketPresence['viewers'][number]>();
    for (const entry of entries) {
      const typing = entry.typingUntil > Date.now();
      const known = byUser.get(entry.userId);
      byUser.set(entry.userId, { userId: entry.userId, name: entry.name, typing: typing || (known?.typing ?? false) });
    }
    io.to(rooms.ticket(ticketId)).emit('ticket.presence', { ticketId, viewers: [...byUser.values()] });
  }

  io.on('connection', (socket) => {
    const { user } = socket.data;
    const viewing = new Set<string>();
    const entry = (typingUntil = 0): string => JSON.stringify({ userId: user._id.toHexString(), name: user.name, typingUntil } satisfies Entry);

    const handle = <T>(parse: (payload: unknown) => T, action: (payload: T) => Promise<void>) => (payload: unknown, ack?: Ack) => {
      let parsed: T;
      try {
        parsed = parse(payload);
      } catch {
        ack?.({ ok: false, error: 'invalid payload' });
        return;
      }
      action(parsed).then(
        () => ack?.({ ok: true }),
        (error: unknown) => {
          log.debug({ err: error }, 'presence request refused');
          ack?.({ ok: false, error: error instanceof Error ? error.message : 'refused' });
        },
      );
    };

    socket.on(
      'ticket.view',
      handle((payload) => ticketRefSchema.parse(payload), async ({ ticketId }) => {
        await ticketFor(user, ticketId); // 404/403: only a ticket this agent may see
        viewing.add(ticketId);
        await socket.join(rooms.ticket(ticketId));
        await redis.multi().hset(key(ticketId), socket.id, entry()).expire(key(ticketId), PRESENCE_TTL_S).exec();
        await broadcast(ticketId);
      }),
    );

    socket.on(
      'ticket.typing',
      handle((payload) => typingSchema.parse(payload), async ({ ticketId, typing }) => {
        if (!viewing.has(ticketId)) throw new Error('view the ticket first');
        await redis.multi().hset(key(ticketId), socket.id, entry(typing ? Date.now() + TYPING_MS : 0)).expire(key(ticketId), PRESENCE_TTL_S).exec();
        await broadcast(ticketId);
      }),
    );

    const leave = async (ticketId: string) => {
      viewing.delete(ticketId);
      await socket.leave(rooms.ticket(ticketId));
      await redis.hdel(key(ticketId), socket.id);
      await broadcast(ticketId);
    };
    socket.on('ticket.leave', handle((payload) => ticketRefSchema.parse(payload), ({ ticketId }) => leave(ticketId)));
    socket.on('disconnect', () => {
      for (const ticketId of viewing) void leave(ticketId).catch((error: unknown) => log.warn({ err: error }, 'could not clear presence'));
    });
  });
}
