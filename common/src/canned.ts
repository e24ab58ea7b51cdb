import { z } from 'zod';
import { objectIdSchema } from './users';

/** A saved reply an agent inserts with `/shortcut`; {{first_name}} and {{agent_name}} are filled in by the composer. */
export const cannedResponseSchema = z.object({
  id: objectIdSchema,
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

export const cannedResponseInputSchema = z
  .object({
    shortcut: z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, 'use 1–40 lowercase letters, digits, - or _'),
    title: z.string().trim().min(1).max(120),
    text: z.string().trim().min(1).max(5_000),
  })
  .strict();
export type CannedResponseInput = z.infer<typeof cannedResponseInputSchema>;

export const cannedResponseListSchema = z.object({ items: z.array(cannedResponseSchema) });
export type CannedResponseList = z.infer<typeof cannedResponseListSchema>;
