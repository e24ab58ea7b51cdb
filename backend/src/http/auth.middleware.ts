import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SESSION_COOKIE, type Role } from '@parley/common';
import { authenticate } from '../users/auth.service';
import type { UserDoc } from '../users/user.model';
import { Forbidden, Unauthenticated } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: UserDoc;
    sessionToken?: string;
  }
}

/** The bearer token of a request: the Authorization header, else the session cookie. */
export function requestToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  const cookies = req.cookies as Record<string, unknown> | undefined;
  const cookie = cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie ? cookie : undefined;
}

export const requireUser: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
  const token = requestToken(req);
  const user = token ? await authenticate(token) : undefined;
  if (!user) throw new Unauthenticated();
  req.user = user;
  req.sessionToken = token;
  next();
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) throw new Unauthenticated();
    if (!roles.includes(req.user.role)) throw new Forbidden();
    next();
  };
}

/** The signed-in user of a request that passed requireUser. */
export function currentUser(req: Request): UserDoc {
  if (!req.user) throw new Unauthenticated();
  return req.user;
}
