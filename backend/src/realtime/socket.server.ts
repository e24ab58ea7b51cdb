import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { SESSION_COOKIE, rooms, type ClientToServerEvents, type ServerToClientEvents } from '@parley/common';
import type { Logger } from '../logger';
import type { RedisHandle } from '../redis';
import { authenticate } from '../users/auth.service';
import type { UserDoc } from '../users/user.model';
import { onlineAgents } from './online';
import { attachPresence } from './presence';

export interface SocketData {
  user: UserDoc;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<never, never>, SocketData>;

function cookieToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The rooms a user's sockets belong to: their own, their teams', and the supervisors' room. */
export function roomsFor(user: UserDoc): string[] {
  const joined = [rooms.user(user._id.toHexString()), ...user.teamIds.map((id) => rooms.team(id.toHexString()))];
  if (user.role === 'supervisor' || user.role === 'admin') joined.push(rooms.supervisors);
  return joined;
}

/**
 * socket.io on the api's HTTP server. The Redis adapter shares rooms between api
 * processes, so an emit on one node reaches sockets connected to any other.
 */
export function createRealtimeServer(httpServer: HttpServer, redis: RedisHandle, prefix: string, log: Logger): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, { serveClient: false, cors: { origin: false } });
  io.adapter(createAdapter(redis.publisher('socket.io-pub'), redis.create('socket.io-sub'), { key: `${prefix}:socket.io` }));

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const token = typeof auth.token === 'string' ? auth.token : cookieToken(socket.handshake.headers.cookie);
    if (!token) {
      next(new Error('unauthenticated'));
      return;
    }
    authenticate(token)
      .then((user) => {
        if (!user) return next(new Error('unauthenticated'));
        socket.data.user = user;
        next();
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'socket authentication failed');
        next(new Error('unavailable'));
      });
  });

  const online = onlineAgents(redis.client, prefix);
  io.on('connection', (socket) => {
    const { user } = socket.data;
    const userId = user._id.toHexString();
    void socket.join(roomsFor(user));
    online
      .connected(userId, socket.id)
      .then(() => io.to(rooms.supervisors).emit('agent.presence', { userId, online: true, at: new Date().toISOString() }))
      .catch((error: unknown) => log.warn({ err: error, userId }, 'could not record an agent online'));
    log.debug({ userId, socketId: socket.id }, 'socket connected');

    socket.on('disconnect', () => {
      // Offline only when no socket of this user is left on any api node.
      online
        .disconnected(userId, socket.id)
        .then((stillOnline) => {
          if (!stillOnline) io.to(rooms.supervisors).emit('agent.presence', { userId, online: false, at: new Date().toISOString() });
        })
        .catch((error: unknown) => log.warn({ err: error, userId }, 'could not record an agent offline'));
    });
  });

  attachPresence(io, redis.client, prefix, log);
  return io;
}
