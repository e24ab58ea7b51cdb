import { z } from 'zod';
import { objectIdSchema, roleSchema, teamSchema } from './users';

/**
 * Whether a team's agents need a supervisor's approval before a public reply goes out:
 * all agents of the team (agentIds empty) or only the agents listed (members of the team).
 * Supervisors and admins never need it; private messages and notes never do.
 */
export const publicReplyApprovalSchema = z.strictObject({
  required: z.boolean(),
  agentIds: z.array(objectIdSchema).max(500).default([]),
});
export type PublicReplyApproval = z.infer<typeof publicReplyApprovalSchema>;

/** A team as the admin screens see it: its settings and members. */
export const teamDetailSchema = teamSchema.extend({
  autoAssign: z.boolean(),
  publicReplyApproval: publicReplyApprovalSchema,
  members: z.array(z.object({ id: objectIdSchema, name: z.string(), role: roleSchema })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TeamDetail = z.infer<typeof teamDetailSchema>;

export const teamListResponseSchema = z.object({ items: z.array(teamDetailSchema) });
export type TeamListResponse = z.infer<typeof teamListResponseSchema>;

/** PATCH /api/teams/:id — for now only the approval setting (the admins issue adds the rest). */
export const teamUpdateSchema = z.strictObject({ publicReplyApproval: publicReplyApprovalSchema });
export type TeamUpdate = z.infer<typeof teamUpdateSchema>;
