import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { influenceTierSchema } from './influence';
import { objectIdSchema } from './users';

/**
 * Storm alerts (GET /api/alerts, socket events alert.storm and alert.storm_over): negative
 * public mentions swelling past their own baseline, per brand, hashtag or keyword.
 */

/** What a storm is about: all the brand's mentions, one hashtag (lower case, with "#"), or one admin keyword. */
export const stormScopeSchema = z.object({ type: z.enum(['brand', 'hashtag', 'keyword']), value: z.string() });
export type StormScope = z.infer<typeof stormScopeSchema>;

/** One of the posts that drive a storm. */
export const stormPostSchema = z.object({
  messageId: objectIdSchema,
  ticketId: objectIdSchema,
  contactId: objectIdSchema,
  channelKind: connectorKindSchema,
  author: z.string(),
  followers: z.number().int().nonnegative(),
  tier: influenceTierSchema,
  text: z.string(),
  sentAt: z.iso.datetime(),
});
export type StormPost = z.infer<typeof stormPostSchema>;

export const alertSchema = z.object({
  id: objectIdSchema,
  kind: z.literal('storm'),
  scope: stormScopeSchema,
  /** Other scopes whose storm this is too (the brand's, when a hashtag's storm is most of it): one alert for one storm. */
  relatedScopes: z.array(stormScopeSchema),
  /** active while the storm lasts; over once the count fell back. */
  state: z.enum(['active', 'over']),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** The negative mentions of the 5 minutes that started it, and the most any 5 minutes held while it lasted. */
  startCount: z.number().int().nonnegative(),
  peakCount: z.number().int().nonnegative(),
  /** What the scope usually sees in 5 minutes (its baseline mean and deviation when the storm began). */
  baseline: z.object({ mean: z.number(), deviation: z.number() }),
  /** The count that started it. */
  threshold: z.number(),
  /** Negative mentions counted since it began. */
  mentions: z.number().int().nonnegative(),
  /** The followers of the distinct authors of those mentions, added up. */
  totalReach: z.number().int().nonnegative(),
  topHashtags: z.array(z.object({ tag: z.string(), count: z.number().int().positive() })),
  /** The posts that drive it: the farthest-reaching first (at most 10). */
  posts: z.array(stormPostSchema),
  updatedAt: z.iso.datetime(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertListQuerySchema = z
  .object({
    state: z.enum(['active', 'over', 'all']).default('all'),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export const alertListResponseSchema = z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() });
export type AlertListResponse = z.infer<typeof alertListResponseSchema>;

/** alert.storm: a storm began (once per storm); alert.storm_over: it ended. */
export const alertEventSchema = z.object({ alert: alertSchema });
export type AlertEvent = z.infer<typeof alertEventSchema>;

/** Contacts who speak up for the brand (GET /api/ambassadors). */
export const ambassadorSchema = z.object({
  contact: z.object({ id: objectIdSchema, name: z.string(), avatarUrl: z.string().optional(), tags: z.array(z.string()) }),
  /** A supervisor tagged them `ambassador`. */
  tagged: z.boolean(),
  score: z.number().nonnegative(),
  /** Their positive public mentions of the brand in the period. */
  positiveMentions: z.number().int().nonnegative(),
  /** Positive replies in threads where someone else complained. */
  defenses: z.number().int().nonnegative(),
  /** Shares (reposts, quotes) of the brand's own posts. */
  shares: z.number().int().nonnegative(),
  negativeMentions: z.number().int().nonnegative(),
  followers: z.number().int().nonnegative(),
  tier: influenceTierSchema,
  /** Where to write to them privately: their latest ticket (null when they have none). */
  latestTicketId: objectIdSchema.nullable(),
  recentPosts: z.array(z.object({ messageId: objectIdSchema, ticketId: objectIdSchema, text: z.string(), sentAt: z.iso.datetime(), label: z.enum(['negative', 'neutral', 'positive']) })),
});
export type Ambassador = z.infer<typeof ambassadorSchema>;

export const ambassadorListQuerySchema = z
  .object({
    days: z.coerce.number().int().min(1).max(365).default(30),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export const ambassadorListResponseSchema = z.object({ items: z.array(ambassadorSchema), since: z.iso.datetime() });
export type AmbassadorListResponse = z.infer<typeof ambassadorListResponseSchema>;
