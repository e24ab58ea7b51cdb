import { z } from 'zod';
import { teamSchema, userSchema } from './users';

export const loginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  user: userSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = z.object({
  user: userSchema,
  teams: z.array(teamSchema),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** The name of the httpOnly cookie that carries the session token. */
export const SESSION_COOKIE = 'parley_session';
