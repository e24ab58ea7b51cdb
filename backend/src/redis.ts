import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { withTimeout } from './lib/async';

export interface RedisHandle {
  /** A fresh connection for a role that needs its own (bull's blocking client, pub/sub). */
  create(purpose: string, options?: RedisOptions): Redis;
  /**
   * A connection for libraries that publish without awaiting the answer (the socket.io
   * adapter and emitter): a publish that fails, as one in flight while the process shuts
   * down, is logged instead of becoming an unhandled rejection.
   */
  publisher(purpose: string): Redis;
  /** The shared command connection. */
  client: Redis;
  /**
   * Calls the listener whenever the command connection is back after being lost. Redis may
   * have restarted empty, forgetting queued jobs: listeners look for work to recover.
   */
  onRestored(listener: () => void): () => void;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export function connectRedis(url: string, log: Logger): RedisHandle {
  const connections = new Set<Redis>();
  const restoredListeners = new Set<() => void>();
  let clientWasDown = false;
  let closing = false;

  const create = (purpose: string, options: RedisOptions = {}): Redis => {
    const connection = new Redis(url, { lazyConnect: false, connectionName: `parley:${purpose}`, ...options });
    let down = false;
    connection.on('error', (error: Error) => {
      if (!down) log.error({ purpose, err: error.message }, 'Redis connection lost; retrying');
      down = true;
    });
    connection.on('ready', () => {
      if (down) log.info({ purpose }, 'Redis connection restored');
      down = false;
    });
    connection.on('end', () => connections.delete(connection));
    // bull disconnects and reconnects its blocking client to wake it while closing a
    // queue; a connection that comes back after close() began is closed again.
    connection.on('connect', () => {
      connections.add(connection);
      if (closing) connection.disconnect();
    });
    connections.add(connection);
    return connection;
  };

  const publisher = (purpose: string): Redis => {
    const connection = create(purpose);
    const safe = async (channel: string, message: string): Promise<number> => {
      try {
        return Number(await connection.call('publish', channel, message));
      } catch (error) {
        log.warn({ purpose, err: error instanceof Error ? error.message : String(error) }, 'a Redis publish failed');
        return 0;
      }
    };
    // Only the two-argument form these libraries use; ioredis's overloads cannot be restated one by one.
    (connection as unknown as { publish: typeof safe }).publish = safe;
    return connection;
  };

  const client = create('commands');
  client.on('ready', () => {
    if (clientWasDown) for (const listener of restoredListeners) listener();
    clientWasDown = false;
  });
  client.on('reconnecting', () => {
    clientWasDown = true;
  });
  // The health probe must fail fast rather than queue while Redis is away.
  const probe = create('health', { enableOfflineQueue: false, maxRetriesPerRequest: 0 });

  return {
    create,
    publisher,
    client,
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => restoredListeners.delete(listener);
    },
    ping: (timeoutMs = 1_000) => withTimeout(probe.ping().then((reply) => reply === 'PONG'), timeoutMs),
    close: async () => {
      closing = true;
      await Promise.all(
        [...connections].map(async (connection) => {
          try {
            await connection.quit();
          } catch {
            connection.disconnect();
          }
        }),
      );
    },
  };
}
