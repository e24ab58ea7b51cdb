import { z } from 'zod';

export const roleSchema = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const objectIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id');

/** A user as the API presents it: never the password hash. */
export const userSchema = z.object({
  id: objectIdSchema,
  email: z.email(),
  name: z.string(),
  role: roleSchema,
  teamIds: z.array(objectIdSchema),
  capacity: z.number().int().nonnegative(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof userSchema>;

export const teamSchema = z.object({
  id: objectIdSchema,
  name: z.string(),
});
export type Team = z.infer<typeof teamSchema>;
