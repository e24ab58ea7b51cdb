import type { BotLearnt, HandoffReason, InfluenceTier, Sentiment } from '@parley/common';

/**
 * The contract between the Parley adapter (parley.adapter.ts), which turns ticket messages
 * into Bot Framework activities and the bot's activities into Parley messages, and the bot
 * (parley.bot.ts), which never sees a ticket or a platform. Tests drive the bot with
 * botbuilder-core's TestAdapter and activities carrying this channelData.
 */

/** What Parley tells the bot about the customer's message besides its text (activity.channelData). */
export interface ParleyChannelData {
  /** public: a comment or mention anyone can read (never ask for personal data); private: a DM. */
  visibility: 'public' | 'private';
  ticketId: string;
  /** Parley's id of the customer message (absent on an event the adapter raises itself). */
  messageId?: string;
  /** The platform's ids of the message, for the agent and for logs. */
  platform: { externalId?: string; externalThreadId?: string | null; externalParentId?: string | null };
  /** What triage read: ISO 639-1 or "und", null before triage. */
  language: string | null;
  sentiment: Sentiment | null;
  followers: number;
  influenceTier: InfluenceTier;
  /** On one of the brand's VIP or press lists. */
  vip: boolean;
  /** The channel's reach threshold for an immediate hand-off (settings.bot.handoffReach or the default). */
  handoffReach: number;
  /** Whether the team is off shift now, and when it next opens (ISO time; null: no schedule, or open now). */
  afterHours: boolean;
  nextOpeningAt: string | null;
  /** The time zone to tell the opening in: the customer's when known, else the team's. */
  timezone: string;
  /** The platform shows quick replies (buttons): offer them; otherwise say the words to type. */
  quickReplies: boolean;
  /** The bot's name in the thread, and the brand's, for greetings. */
  botName: string;
  brandName: string;
}

/** The events the adapter raises in a conversation the bot holds (activity type "event", these names). */
export const BotEvents = {
  /** The team's business hours began with the conversation still open: say a person is next, then hand off. */
  businessHoursOpen: 'parley.businessHoursOpen',
  /** An agent handed the conversation back to the bot: it forgets its hand-off and answers the next message. */
  resume: 'parley.resume',
} as const;

/**
 * The bot hands the conversation to people by sending an activity of type "handoff"
 * (ActivityTypes.Handoff) with this value; the adapter records it on the ticket.
 */
export interface HandoffValue {
  reason: HandoffReason;
  learnt: BotLearnt;
}

/**
 * The bot asks Parley to move a public conversation to private (the move-to-private workflow):
 * an event activity with this name and value. publicText answers in public (no personal data),
 * privateText opens the private conversation.
 */
export const MOVE_TO_PRIVATE_EVENT = 'parley.moveToPrivate';
export interface MoveToPrivateValue {
  publicText: string;
  privateText: string;
}
