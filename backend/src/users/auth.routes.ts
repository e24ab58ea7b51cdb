import { Router, type Request, type RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type AugmentedRequest } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { SESSION_COOKIE, loginRequestSchema, noQuerySchema, type LoginResponse, type MeResponse } from '@parley/common';
import type { Config } from '../config';
import { RateLimited } from '../http/errors';
import { currentUser, requireUser } from '../http/auth.middleware';
import { parseInput, parseQuery } from '../http/validate';
import type { RedisHandle } from '../redis';
import { login, logout } from './auth.service';
import { presentTeam, presentUser } from './user.presenter';
import { Team } from './team.model';

const clientAddress = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

function addressAndEmail(req: Request): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return `${clientAddress(req)}|${email}`;
}

interface FailedSignInLimit {
  /** Names the limit in the RateLimit headers, the Redis keys and on the request. */
  name: string;
  limit: number;
  key: (req: Request) => string;
}

/**
 * Counts failed sign-ins (a successful one is taken back) in Redis, so every api process
 * shares the count. Over the limit: 429 in the error shape, with Retry-After the seconds
 * left in this client's window (the limiter's own reset time), not a whole window.
 */
function failedSignInLimiter(config: Config, redis: RedisHandle, { name, limit, key }: FailedSignInLimit): RequestHandler {
  const requestPropertyName = `rateLimit-${name}`;
  return rateLimit({
    windowMs: config.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    requestPropertyName,
    keyGenerator: key,
    store: new RedisStore({
      prefix: `${config.QUEUE_PREFIX}:${name}:`,
      sendCommand: (command: string, ...args: string[]) => redis.client.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (req, _res, next, options) => {
      const resetTime = (req as AugmentedRequest)[requestPropertyName]?.resetTime;
      const secondsLeft = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : Math.ceil(options.windowMs / 1000);
      next(new RateLimited('Too many sign-in attempts; try again in a few minutes', Math.max(1, secondsLeft)));
    },
  });
}

export function authRoutes(config: Config, redis: RedisHandle): Router {
  const router = Router();

  // Per address, whatever the email: one address trying many accounts is slowed.
  const addressLimiter = failedSignInLimiter(config, redis, { name: 'login-limit-address', limit: config.LOGIN_RATE_LIMIT_PER_ADDRESS, key: clientAddress });
  // Per address and email: one account guessed at is slowed sooner, without locking its owner out elsewhere.
  const accountLimiter = failedSignInLimiter(config, redis, { name: 'login-limit', limit: config.LOGIN_RATE_LIMIT, key: addressAndEmail });

  router.post('/auth/login', addressLimiter, accountLimiter, async (req, res) => {
    const credentials = parseInput(loginRequestSchema, req.body);
    const signedIn = await login(credentials, { ttlHours: config.SESSION_TTL_HOURS, userAgent: req.get('user-agent'), ip: req.ip });
    res.cookie(SESSION_COOKIE, signedIn.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NODE_ENV === 'production',
      expires: signedIn.expiresAt,
      path: '/',
    });
    const body: LoginResponse = { token: signedIn.token, expiresAt: signedIn.expiresAt.toISOString(), user: presentUser(signedIn.user) };
    res.json(body);
  });

  router.post('/auth/logout', requireUser, async (req, res) => {
    if (req.sessionToken) await logout(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/me', requireUser, async (req, res) => {
    parseQuery(noQuerySchema, req);
    const user = currentUser(req);
    const teams = await Team.find({ _id: { $in: user.teamIds } }).lean();
    const body: MeResponse = { user: presentUser(user), teams: teams.map(presentTeam) };
    res.json(body);
  });

  return router;
}
