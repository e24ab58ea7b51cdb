import { z } from 'zod';

export const dependencyStateSchema = z.enum(['ok', 'down']);

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  mongo: dependencyStateSchema,
  redis: dependencyStateSchema,
});
export type Health = z.infer<typeof healthSchema>;
