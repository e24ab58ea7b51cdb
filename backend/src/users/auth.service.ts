import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { LoginRequest } from '@parley/common';
import { Unauthenticated } from '../http/errors';
import { Session } from './session.model';
import { User, type UserDoc } from './user.model';

// Verifying against this when the email is unknown keeps both answers equally slow.
const unknownUserHash = argon2.hash(randomBytes(16).toString('hex'));

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionContext {
  ttlHours: number;
  userAgent?: string;
  ip?: string;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: UserDoc;
}

export async function login(credentials: LoginRequest, context: SessionContext): Promise<SignedIn> {
  const user = await User.findOne({ email: credentials.email }).lean<UserDoc>();
  const valid = user
    ? await argon2.verify(user.passwordHash, credentials.password)
    : await argon2.verify(await unknownUserHash, credentials.password).then(() => false);
  if (!user || !valid || !user.active) throw new Unauthenticated('Wrong email or password');

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + context.ttlHours * 3_600_000);
  await Session.create({ _id: tokenId(token), userId: user._id, expiresAt, userAgent: context.userAgent, ip: context.ip });
  return { token, expiresAt, user };
}

export async function logout(token: string): Promise<void> {
  await Session.deleteOne({ _id: tokenId(token) });
}

/** The active user a bearer token belongs to, or undefined for an unknown or expired token. */
export async function authenticate(token: string): Promise<UserDoc | undefined> {
  const session = await Session.findById(tokenId(token)).lean();
  if (!session || session.expiresAt.getTime() <= Date.now()) return undefined;
  const user = await User.findById(session.userId).lean<UserDoc>();
  return user?.active ? user : undefined;
}

/** Deletes sessions past their expiry; safe to run any number of times. */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const result = await Session.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
