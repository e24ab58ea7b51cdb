import { Router, type Request } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { SESSION_COOKIE, loginRequestSchema, type LoginResponse, type MeResponse } from '@parley/common';
import type { Config } from '../config';
import { RateLimited } from '../http/errors';
import { currentUser, requireUser } from '../http/auth.middleware';
import { parseInput } from '../http/validate';
import type { RedisHandle } from '../redis';
import { login, logout } from './auth.service';
import { presentTeam, presentUser } from './user.presenter';
import { Team } from './team.model';

function loginKey(req: Request): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return `${ipKeyGenerator(req.ip ?? 'unknown')}|${email}`;
}

export function authRoutes(config: Config, redis: RedisHandle): Router {
  const router = Router();

  // Failed attempts per address and email, counted in Redis so every api process shares them.
  const loginLimiter = rateLimit({
    windowMs: config.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    limit: config.LOGIN_RATE_LIMIT,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: loginKey,
    store: new RedisStore({
      prefix: `${config.QUEUE_PREFIX}:login-limit:`,
      sendCommand: (command: string, ...args: string[]) => redis.client.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, _res, next, options) => {
      next(new RateLimited('Too many sign-in attempts; try again in a few minutes', Math.ceil(options.windowMs / 1000)));
    },
  });

  router.post('/auth/login', loginLimiter, async (req, res) => {
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
    const user = currentUser(req);
    const teams = await Team.find({ _id: { $in: user.teamIds } }).lean();
    const body: MeResponse = { user: presentUser(user), teams: teams.map(presentTeam) };
    res.json(body);
  });

  return router;
}
