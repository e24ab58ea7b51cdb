import { z } from 'zod';
import { messageLanguageSchema } from './triage';
import { objectIdSchema } from './users';

/**
 * The chatbot (backend/src/bot/): a Bot Framework bot that gives the first reply when no agent
 * is on shift, or always first where a channel is set so, and hands the conversation over to a
 * person with what it learnt. These are the shapes its settings, hand-offs, knowledge base and
 * "try the bot" panel take across the API.
 */

/** The languages the bot speaks (greets, acknowledges, answers); any other is answered in the brand's default. */
export const botLanguages = ['en', 'es', 'fr'] as const;
export const botLanguageSchema = z.enum(botLanguages);
export type BotLanguage = z.infer<typeof botLanguageSchema>;
/** The language a knowledge-base entry must always answer in, and the bot's fallback. */
export const BOT_DEFAULT_LANGUAGE: BotLanguage = 'en';

/** off: never; after_hours: outside the team's business hours; always_first: the first reply on every new conversation. */
export const botModeSchema = z.enum(['off', 'after_hours', 'always_first']);
export type BotMode = z.infer<typeof botModeSchema>;

/** The default reach from which the bot hands a customer over at once (followers on the platform). */
export const DEFAULT_BOT_HANDOFF_REACH = 100_000;

/** A channel's `settings.bot`. */
export const botChannelSettingsSchema = z.strictObject({
  mode: botModeSchema.default('off'),
  /** The name the bot's messages carry in the thread. */
  name: z.string().trim().min(1).max(60).optional(),
  /** The brand the bot speaks for in its greeting ("I'm Acme's assistant"); default: the channel's name. */
  brandName: z.string().trim().min(1).max(60).optional(),
  /** Hand over at once when the author has at least this many followers (VIPs always are). */
  handoffReach: z.number().int().min(0).max(1_000_000_000).optional(),
  /** The schedule "after hours" is read in; default: the channel's SLA policy's, else the first defined. */
  businessHoursId: objectIdSchema.optional(),
});
export type BotChannelSettings = z.infer<typeof botChannelSettingsSchema>;
export const DEFAULT_BOT_NAME = 'Parley bot';

/**
 * Why the bot stopped and a person took over. customer_asked: "agent", "human", "persona",
 * "humain", "conseiller" or the HANDOFF_HUMAN quick reply; negative_sentiment: clearly unhappy;
 * vip: on a VIP list or at least the channel's handoff reach; not_understood: twice in a row;
 * business_hours: the team came on shift with the conversation still open; bot_failed: the bot
 * job threw or timed out; agent_replied: a person answered in the thread; agent_took_over: a person
 * took the conversation from the bot (POST /api/tickets/:id/bot {action: "handoff"}).
 */
export const handoffReasonSchema = z.enum(['customer_asked', 'negative_sentiment', 'vip', 'not_understood', 'business_hours', 'bot_failed', 'agent_replied', 'agent_took_over']);
export type HandoffReason = z.infer<typeof handoffReasonSchema>;

/** The payload of the "Talk to a person" quick reply (and the value any platform postback carries for it). */
export const HANDOFF_PAYLOAD = 'HANDOFF_HUMAN';

/** What the bot learnt for the agent who takes over. */
export const botLearntSchema = z.object({
  /** The knowledge-base intent the customer asked about last (its key), null when none matched. */
  intent: z.string().nullable(),
  /** A booking or order reference the customer gave (validated). */
  reference: z.string().nullable(),
  email: z.string().nullable(),
  language: messageLanguageSchema.nullable(),
});
export type BotLearnt = z.infer<typeof botLearntSchema>;

/** A ticket's hand-off from the bot to people. `summary` is one line an agent reads at a glance. */
export const ticketHandoffSchema = z.object({
  at: z.iso.datetime(),
  reason: handoffReasonSchema,
  summary: z.string(),
  learnt: botLearntSchema,
});
export type TicketHandoff = z.infer<typeof ticketHandoffSchema>;

/** none: the bot never spoke here; active: the bot holds the conversation; handed_off: people have it (the bot is silent). */
export const ticketBotStateSchema = z.enum(['none', 'active', 'handed_off']);
export type TicketBotState = z.infer<typeof ticketBotStateSchema>;

/** POST /api/tickets/:id/bot: hand the conversation back to the bot, or take it from the bot now. */
export const ticketBotActionSchema = z.strictObject({ action: z.enum(['resume', 'handoff']) });
export type TicketBotAction = z.infer<typeof ticketBotActionSchema>;

/** A button the bot offers where the platform has them; `payload` comes back as the activity's value. */
export const quickReplySchema = z.object({ title: z.string().min(1).max(20), payload: z.string().min(1).max(1000) });
export type QuickReply = z.infer<typeof quickReplySchema>;

/** Who wrote a message, as the thread shows it. */
export const messageAuthorTypeSchema = z.enum(['customer', 'agent', 'bot', 'system']);
export type MessageAuthorType = z.infer<typeof messageAuthorTypeSchema>;
export const messageAuthorSchema = z.object({
  type: messageAuthorTypeSchema,
  name: z.string().nullable(),
  userId: objectIdSchema.nullable(),
});
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;

/** POST /api/bot/try: a supervisor talks to the bot without any platform. */
export const botTryInputSchema = z.strictObject({
  /** The try session; omit to start a new one (the answer names it). */
  conversationId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  text: z.string().max(10_000).default(''),
  /** A quick reply's payload, as if the customer tapped it. */
  value: z.string().max(1000).optional(),
  visibility: z.enum(['public', 'private']).default('private'),
  /** Pretend the team is off shift (true) or on shift (false); default: the real clock. */
  afterHours: z.boolean().optional(),
  /** The customer's followers, to try the reach hand-off. */
  followers: z.number().int().min(0).optional(),
});
export type BotTryInput = z.input<typeof botTryInputSchema>;

export const botTryReplySchema = z.object({ text: z.string(), quickReplies: z.array(quickReplySchema) });
export const botTryResponseSchema = z.object({
  conversationId: z.string(),
  replies: z.array(botTryReplySchema),
  /** Set once the bot handed over (the conversation is then silent until reset). */
  handoff: ticketHandoffSchema.omit({ at: true }).extend({ at: z.iso.datetime() }).nullable(),
  learnt: botLearntSchema,
});
export type BotTryResponse = z.infer<typeof botTryResponseSchema>;

/** GET /api/bot/stats?from=&to=: how the bot did, for supervisors. */
export const botStatsQuerySchema = z.strictObject({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() });
export const botStatsSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Conversations opened in the period in which the bot spoke. */
  conversations: z.number().int().nonnegative(),
  /** Of those, solved without a person (never handed off). */
  contained: z.number().int().nonnegative(),
  containmentRate: z.number().min(0).max(1).nullable(),
  handedOff: z.number().int().nonnegative(),
  handoffsByReason: z.record(z.string(), z.number().int().nonnegative()),
  /** Median minutes from the customer's first message to the first reply by anyone (bot included), and by a person. */
  medianFirstResponseMinutes: z.number().nullable(),
  medianFirstHumanResponseMinutes: z.number().nullable(),
});
export type BotStats = z.infer<typeof botStatsSchema>;
