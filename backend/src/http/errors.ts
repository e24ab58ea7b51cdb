import type { ErrorCode, GuardrailFinding, MoveRefusal } from '@parley/common';

/** A failure a user can read: mapped to an HTTP status and the JSON error shape in one place. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(message: string, field?: string) {
    super(400, 'invalid', message, field);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in first') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, field);
  }
}

export class Gone extends AppError {
  constructor(message: string) {
    super(410, 'gone', message);
  }
}

export class TooLarge extends AppError {
  constructor(message = 'The request body is too large') {
    super(413, 'too_large', message);
  }
}

export class RateLimited extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, 'rate_limited', message);
  }
}

/** A platform we called on the user's behalf failed or refused: the message says why. */
export class BadGateway extends AppError {
  constructor(message: string) {
    super(502, 'bad_gateway', message);
  }
}

export class Unavailable extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(503, 'unavailable', message);
  }
}

/** The database cannot be reached: the caller (an agent's screen, a platform) tries again shortly. */
export class DatabaseUnavailable extends Unavailable {
  constructor() {
    super('The database cannot be reached right now; try again in a few seconds', 5);
  }
}

/**
 * A public reply a guardrail holds back: 422 with the findings (personal data, a hashtag to
 * look at twice, a blocked word…), each with its span, so the composer can mark them.
 */
export class GuardrailBlocked extends AppError {
  constructor(
    message: string,
    readonly findings: GuardrailFinding[],
    readonly textField: 'text' | 'publicText' = 'text',
  ) {
    super(422, 'guardrail', message, textField);
  }
}

/**
 * A move to private that cannot start (a channel without a private path, a comment whose
 * private reply was used, one already under way…): 409 with the reason, and what would help
 * instead (the invitation to write privately, the customer's open private conversation).
 */
export class MoveRefused extends AppError {
  constructor(
    readonly reason: MoveRefusal,
    message: string,
    field?: string,
    readonly extra: { invitation?: string; ticketId?: string; ticketNumber?: number } = {},
  ) {
    super(409, 'conflict', message, field);
  }
}
