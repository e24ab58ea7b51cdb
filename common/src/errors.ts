import { z } from 'zod';

/** The one error shape every API answer uses (ARCHITECTURE.md, "The HTTP contract"). */
export const errorCodeSchema = z.enum([
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'too_large',
  'rate_limited',
  'unavailable',
  /** A platform we fetched from on the user's behalf (media, avatars) failed or refused. */
  'bad_gateway',
  /** A public reply a guardrail holds back (422, with its findings: guardrails.ts). */
  'guardrail',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
