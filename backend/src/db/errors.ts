import { Conflict } from '../http/errors';

/**
 * MongoDB reports a unique-index violation as code 11000 (with keyValue). FerretDB v1
 * reports it as 11000 without keyValue on insert/upsert, but as code 1 when an update
 * causes it: "UNIQUE constraint failed" on SQLite, SQLSTATE 23505 on PostgreSQL.
 * All of them are one Conflict.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  return code === 1 && typeof message === 'string' && (message.includes('UNIQUE constraint failed') || message.includes('(SQLSTATE 23505)'));
}

/** Runs a write and turns a duplicate-key failure into a Conflict with a readable message. */
export async function withConflict<T>(write: () => Promise<T>, message: string, field?: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new Conflict(message, field);
    throw error;
  }
}

/** Errors of the MongoDB driver and mongoose that mean "the database cannot be reached now". */
const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * Whether a failure means the database is unreachable (down, restarting, network cut) rather
 * than that the request is wrong: such work is answered 503 and retried, never failed for good.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (UNREACHABLE.has(error.name)) return true;
  // mongoose queues commands while disconnected and gives up after bufferTimeoutMS.
  if (error.name === 'MongooseError' && /buffering timed out/.test(error.message)) return true;
  // A bulk write (insertMany) cut off by a lost connection wraps the network error.
  const { cause, errorResponse } = error as { cause?: unknown; errorResponse?: unknown };
  return isDatabaseUnavailable(cause, depth + 1) || isDatabaseUnavailable(errorResponse, depth + 1);
}

const LOST_CONNECTION = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * Node's own error for a connection cut under a command, which the MongoDB driver sometimes
 * passes on as it is (a write to a socket the killed server closed): a server went away, the
 * request is not at fault, and whether the command took effect is unknown.
 */
export function isConnectionLost(error: unknown): boolean {
  return error instanceof Error && LOST_CONNECTION.has(String((error as { code?: unknown }).code));
}
