import { z } from 'zod';
import { attachmentSchema } from './inbound';
import { engagementSchema } from './triage';

/**
 * The simulator channel's own webhook body: what `npm start`'s traffic generator and
 * the benchmarks post to /webhooks/simulator/:channelId, signed like the generic
 * webhook channel (X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body>).
 */
export const simulatorEventSchema = z.object({
  id: z.string().min(1),
  /** share: a repost of the brand's post named by parent (counted for ambassadors, no message). */
  kind: z.enum(['mention', 'reply', 'dm', 'share']),
  /** The conversation: the root post for mentions and replies, the DM thread for DMs. */
  thread: z.string().min(1).optional(),
  parent: z.string().min(1).optional(),
  author: z.object({
    id: z.string().min(1),
    handle: z.string().optional(),
    name: z.string().optional(),
    followers: z.number().int().nonnegative().optional(),
    verified: z.boolean().optional(),
    avatar: z.string().optional(),
  }),
  text: z.string(),
  /** Pictures, stickers and the like the customer sent (a sticker alone has no text). */
  attachments: z.array(attachmentSchema).max(10).optional(),
  /** The payload of the bot's quick reply the customer tapped. */
  value: z.string().min(1).max(1_000).optional(),
  lang: z.string().optional(),
  /** What the simulated platform counted on the post. */
  engagement: engagementSchema.optional(),
  at: z.iso.datetime(),
});
export type SimulatorEvent = z.infer<typeof simulatorEventSchema>;

export const simulatorDeliverySchema = z.object({ events: z.array(simulatorEventSchema).min(1).max(1000) });
export type SimulatorDelivery = z.infer<typeof simulatorDeliverySchema>;

export const SIGNATURE_HEADER = 'x-parley-signature';
