import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody, GuardrailErrorBody, MoveConflictBody } from '@parley/common';
import { isConnectionLost, isDatabaseUnavailable, isDuplicateKeyError } from '../db/errors';
import type { Logger } from '../logger';
import { AppError, Conflict, DatabaseUnavailable, GuardrailBlocked, Invalid, MoveRefused, NotFound, RateLimited, TooLarge, Unavailable } from './errors';

/** Errors thrown by body-parser carry a type and a status. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type } = error as { type?: unknown };
  if (type === 'entity.too.large') return new TooLarge();
  if (type === 'entity.parse.failed') return new Invalid('The request body is not valid JSON', 'body');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new Invalid('Unsupported body encoding', 'body');
  return undefined;
}


export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDuplicateKeyError(error)) return new Conflict('This already exists');
  if (isDatabaseUnavailable(error)) {
    databaseLostAt = Date.now();
    return new DatabaseUnavailable();
  }
  // Whether the write it cut off happened is unknown: the caller tries again (a delivery is stored once anyway).
  if (isConnectionLost(error)) return new Unavailable('A server Parley needs broke off; try again in a few seconds', 5);
  return fromBodyParser(error);
}

export function errorBody(error: AppError): ErrorBody | GuardrailErrorBody | MoveConflictBody {
  if (error instanceof GuardrailBlocked) return { error: { code: 'guardrail', message: error.message, field: error.textField, findings: error.findings } };
  if (error instanceof MoveRefused) return { error: { code: 'conflict', message: error.message, ...(error.field ? { field: error.field } : {}), reason: error.reason, ...error.extra } };
  return { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFound(`${req.method} ${req.path}`);
};

/**
 * Answers at once while the database is known to be unreachable, instead of letting the
 * request wait for it: people see "try again", platforms retry the delivery later.
 */
export function requireDatabase(isConnected: () => boolean): RequestHandler {
  return (_req, _res, next) => {
    if (!isConnected() || databaseRecentlyLost()) throw new DatabaseUnavailable();
    next();
  };
}

/**
 * When a request last found the database gone. The driver tells a lost server within a
 * heartbeat (2 s); a request that hits the loss first tells the next ones at once, so they
 * are answered 503 straight away rather than each waiting for the server to come back.
 */
let databaseLostAt = 0;
const LOSS_REMEMBERED_MS = 1_000;
const databaseRecentlyLost = () => Date.now() - databaseLostAt < LOSS_REMEMBERED_MS;

/** The one place typed errors become an HTTP status and the JSON error shape. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toAppError(error);
    if (!known) {
      log.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
      res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side' } } satisfies ErrorBody);
      return;
    }
    if ((known instanceof RateLimited || known instanceof Unavailable) && known.retryAfterSeconds) res.set('Retry-After', String(known.retryAfterSeconds));
    res.status(known.status).json(errorBody(known));
  };
}
