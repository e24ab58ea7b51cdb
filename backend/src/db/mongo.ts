import mongoose from 'mongoose';
import { withTimeout } from '../lib/async';
import type { Logger } from '../logger';

// Unknown filter paths are dropped rather than silently matching nothing. Operators in
// user input ({"$gt": ""}) cannot reach a query: every input is parsed by its zod schema
// into plain strings, numbers and ids first.
mongoose.set('strictQuery', true);

export interface MongoHandle {
  connection: mongoose.Connection;
  /** Whether the driver holds a connection now (it notices a lost server within a heartbeat). */
  isConnected(): boolean;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

let users = 0;

/**
 * Connects the process-wide mongoose connection and logs when the server goes away
 * and comes back. Several Parley instances in one process (tests of two api nodes)
 * share it; the last one to close disconnects it.
 */
export async function connectMongo(uri: string, log: Logger): Promise<MongoHandle> {
  const connection = mongoose.connection;
  users += 1;
  if (users === 1) {
    watchConnection(connection, log);
    // A request waits at most 5 s for a lost server before it is answered 503 (and a known-lost
    // one is answered at once: http/error.middleware.ts).
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000, heartbeatFrequencyMS: 2_000, autoIndex: false });
  } else {
    await connection.asPromise();
  }

  let closed = false;
  return {
    connection,
    isConnected: () => connection.readyState === mongoose.ConnectionStates.connected,
    ping: (timeoutMs = 1_000) => withTimeout(pingDb(connection), timeoutMs),
    close: async () => {
      if (closed) return;
      closed = true;
      users -= 1;
      if (users === 0) {
        closing = true;
        await mongoose.disconnect();
        closing = false;
      }
    },
  };
}

let closing = false;

function watchConnection(connection: mongoose.Connection, log: Logger): void {
  let reportedDown = false;
  const restored = () => {
    if (reportedDown) log.info('MongoDB connection restored');
    reportedDown = false;
  };
  connection.on('disconnected', () => {
    if (closing || reportedDown) return;
    log.error('MongoDB connection lost; retrying');
    reportedDown = true;
  });
  connection.on('reconnected', restored);
  connection.on('connected', restored);
}

async function pingDb(connection: mongoose.Connection): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  const reply = await db.admin().ping();
  return (reply as { ok?: unknown }).ok === 1;
}

/**
 * Builds every registered model's indexes. Indexes are created explicitly at start-up
 * (autoIndex is off) so that an index FerretDB refuses fails loudly, not in the background.
 */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.init();
    await model.createIndexes();
  }
}
