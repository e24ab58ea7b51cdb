import { z } from 'zod';

/**
 * The X payload shapes Parley reads, as X documents them. Loose objects: X adds fields
 * freely, and only what Parley uses is checked.
 *
 * Account Activity API (webhooks) delivers v1.1-shaped tweets and DM events;
 * the v2 endpoints used for polling answer `{data, includes, meta}` pages.
 */

const idString = z.string().regex(/^\d+$/, 'a numeric id string');

const v1UserSchema = z.looseObject({
  id_str: idString,
  name: z.string().optional(),
  screen_name: z.string().optional(),
  verified: z.boolean().nullish(),
  followers_count: z.number().int().nonnegative().nullish(),
  profile_image_url_https: z.string().nullish(),
});

/** [start, end) of an entity in the text, in code points of the displayed (unescaped) text. */
const indicesSchema = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

const v1MediaSchema = z.looseObject({
  type: z.string(),
  /** The t.co link X appends to the text for this media, and where it sits. */
  url: z.string().optional(),
  indices: indicesSchema.optional(),
  media_url_https: z.string().optional(),
  expanded_url: z.string().optional(),
  video_info: z
    .looseObject({ variants: z.array(z.looseObject({ url: z.string(), content_type: z.string().optional(), bitrate: z.number().optional() })).optional() })
    .optional(),
});
export type V1Media = z.infer<typeof v1MediaSchema>;
const v1EntitiesSchema = z.looseObject({ media: z.array(v1MediaSchema).optional() });

export const v1TweetSchema = z.looseObject({
  id_str: idString,
  text: z.string().optional(),
  full_text: z.string().optional(),
  truncated: z.boolean().optional(),
  extended_tweet: z.looseObject({ full_text: z.string(), extended_entities: v1EntitiesSchema.optional(), entities: v1EntitiesSchema.optional() }).optional(),
  entities: v1EntitiesSchema.optional(),
  extended_entities: v1EntitiesSchema.optional(),
  in_reply_to_status_id_str: idString.nullish(),
  /** Present on newer deliveries; v1.1 tweets usually lack it. */
  conversation_id_str: idString.nullish(),
  /** A retweet: the tweet repeated, with its author (retweetedTweetSchema reads what Parley needs of it). */
  retweeted_status: z.unknown().optional(),
  favorite_count: z.number().int().nonnegative().nullish(),
  retweet_count: z.number().int().nonnegative().nullish(),
  reply_count: z.number().int().nonnegative().nullish(),
  quote_count: z.number().int().nonnegative().nullish(),
  user: v1UserSchema,
  lang: z.string().nullish(),
  created_at: z.string().optional(),
  timestamp_ms: z.string().regex(/^\d+$/).optional(),
  /** The app it was posted with, as an HTML link: `<a href="…" rel="nofollow">Twitter for iPhone</a>`. */
  source: z.string().nullish().catch(undefined),
});
export type V1Tweet = z.infer<typeof v1TweetSchema>;

/** Of a retweeted tweet, what tells a share of the brand's own post. */
export const retweetedTweetSchema = z.looseObject({ id_str: idString, user: z.looseObject({ id_str: idString }) });

export const dmEventSchema = z.looseObject({
  type: z.string(),
  id: idString,
  created_timestamp: z.string().regex(/^\d+$/),
  message_create: z
    .looseObject({
      target: z.looseObject({ recipient_id: idString }),
      sender_id: idString,
      /** The app it was sent with: a key of the delivery's `apps`. */
      source_app_id: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
      message_data: z.looseObject({
        text: z.string().default(''),
        attachment: z.looseObject({ type: z.string(), media: v1MediaSchema.optional() }).optional(),
      }),
    })
    .optional(),
});
export type DmEvent = z.infer<typeof dmEventSchema>;

export const dmUsersSchema = z.record(z.string(), z.looseObject({
  id: idString,
  name: z.string().optional(),
  screen_name: z.string().optional(),
  verified: z.boolean().nullish(),
  followers_count: z.number().int().nonnegative().nullish(),
  profile_image_url_https: z.string().nullish(),
}));
export type DmUsers = z.infer<typeof dmUsersSchema>;

/** The apps a delivery's DM events name by source_app_id. */
export const dmAppsSchema = z.record(z.string(), z.looseObject({ name: z.string().optional() }));
export type DmApps = z.infer<typeof dmAppsSchema>;

export const tweetDeleteEventSchema = z.looseObject({
  status: z.looseObject({ id: idString, user_id: idString }),
  timestamp_ms: z.string().regex(/^\d+$/).optional(),
});

export const markReadEventSchema = z.looseObject({
  created_timestamp: z.string().regex(/^\d+$/),
  sender_id: idString,
  target: z.looseObject({ recipient_id: idString }).optional(),
  last_read_event_id: idString,
});

export const v2UserSchema = z.looseObject({
  id: idString,
  name: z.string().optional(),
  username: z.string().optional(),
  verified: z.boolean().optional(),
  profile_image_url: z.string().optional(),
  public_metrics: z.looseObject({ followers_count: z.number().int().nonnegative().optional() }).optional(),
});

/** What X counts on a post (v2 public_metrics). */
const v2PublicMetricsSchema = z.looseObject({
  like_count: z.number().int().nonnegative().optional(),
  reply_count: z.number().int().nonnegative().optional(),
  retweet_count: z.number().int().nonnegative().optional(),
  quote_count: z.number().int().nonnegative().optional(),
});
export type V2User = z.infer<typeof v2UserSchema>;

/** Links in a v2 text ([start, end) in code points); a link with a media_key is the one X appends for attached media. */
const v2EntitiesSchema = z.looseObject({
  urls: z.array(z.looseObject({ url: z.string(), start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), media_key: z.string().optional() })).optional(),
});

export const v2TweetSchema = z.looseObject({
  id: idString,
  text: z.string(),
  author_id: idString,
  conversation_id: idString.optional(),
  created_at: z.iso.datetime().optional(),
  lang: z.string().optional(),
  in_reply_to_user_id: idString.optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: idString })).optional(),
  /** Posts over 280 characters: the whole text (text holds only the start). */
  note_tweet: z.looseObject({ text: z.string(), entities: v2EntitiesSchema.optional() }).optional(),
  attachments: z.looseObject({ media_keys: z.array(z.string()).optional() }).optional(),
  entities: v2EntitiesSchema.optional(),
  public_metrics: v2PublicMetricsSchema.optional(),
});
export type V2Tweet = z.infer<typeof v2TweetSchema>;

export const v2MediaSchema = z.looseObject({
  media_key: z.string(),
  type: z.string(),
  url: z.string().optional(),
  preview_image_url: z.string().optional(),
  variants: z.array(z.looseObject({ url: z.string(), content_type: z.string().optional(), bit_rate: z.number().optional() })).optional(),
});

export const v2PageSchema = z.looseObject({
  data: z.array(v2TweetSchema).default([]),
  includes: z.looseObject({ users: z.array(v2UserSchema).default([]), media: z.array(v2MediaSchema).default([]) }).optional(),
  meta: z.looseObject({ newest_id: idString.optional(), oldest_id: idString.optional(), result_count: z.number().int().optional(), next_token: z.string().optional() }).optional(),
});
export type V2Page = z.infer<typeof v2PageSchema>;

/** What a poll stores as one raw event: which endpoint answered, and its page as received. */
export const polledPageSchema = z.strictObject({
  source: z.enum(['mentions', 'search']),
  page: z.unknown(),
});
export type PolledPage = z.infer<typeof polledPageSchema>;

/** The v2 problem JSON of an error answer (also `errors` of partial answers). */
export const xProblemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
  errors: z.array(z.looseObject({ message: z.string().optional(), detail: z.string().optional(), code: z.number().optional() })).optional(),
});
