import { BOT_DEFAULT_LANGUAGE, botLanguageSchema, DEFAULT_BOT_HANDOFF_REACH, DEFAULT_BOT_NAME, sentimentSchema, UNDETERMINED_LANGUAGE, type BotLanguage } from '@parley/common';
import type { Activity } from 'botbuilder-core';
import { z } from 'zod';
import type { ParleyChannelData } from './bot.activity';

/**
 * What the bot reads from an incoming activity. The adapter fills channelData, but the try-the-bot
 * panel and older activities may leave fields out: each missing or malformed field falls back to
 * the cautious value (private, no reach, on shift, no buttons).
 */

export type BotChannelView = Pick<
  ParleyChannelData,
  'visibility' | 'language' | 'sentiment' | 'followers' | 'vip' | 'handoffReach' | 'afterHours' | 'nextOpeningAt' | 'timezone' | 'quickReplies' | 'botName' | 'brandName'
>;

const channelDataSchema = z.object({
  visibility: z.enum(['public', 'private']).catch('private'),
  language: z.string().nullable().catch(null),
  sentiment: sentimentSchema.nullable().catch(null),
  followers: z.number().catch(0),
  vip: z.boolean().catch(false),
  handoffReach: z.number().catch(DEFAULT_BOT_HANDOFF_REACH),
  afterHours: z.boolean().catch(false),
  nextOpeningAt: z.string().nullable().catch(null),
  timezone: z.string().catch('UTC'),
  quickReplies: z.boolean().catch(false),
  botName: z.string().trim().min(1).catch(DEFAULT_BOT_NAME),
  brandName: z.string().trim().catch(''),
}) satisfies z.ZodType<BotChannelView>;

export function readChannelData(channelData: unknown): BotChannelView {
  return channelDataSchema.parse(typeof channelData === 'object' && channelData !== null ? channelData : {});
}

/** What the customer said: a tapped quick reply's payload, else the typed text. */
export function saidIn(activity: Partial<Activity>): string {
  const value: unknown = activity.value;
  if (typeof value === 'string' && value.trim()) return value.trim();
  return (activity.text ?? '').trim();
}

export const hasAttachments = (activity: Partial<Activity>): boolean => (activity.attachments?.length ?? 0) > 0;
export const hasPicture = (activity: Partial<Activity>): boolean => (activity.attachments ?? []).some((attachment) => attachment.contentType?.startsWith('image/'));

/**
 * The first name to greet by: the first word of the display name, if it reads as a name.
 * Handles (@ana_88, jsmith, travel.guy) and emoji are not names; greeting by one sounds robotic,
 * so those are left out rather than guessed at.
 */
export function firstNameOf(displayName: string | undefined): string | null {
  const first = displayName?.trim().split(/\s+/u)[0] ?? '';
  return /^\p{Lu}[\p{L}\p{M}'’-]{0,29}$/u.test(first) ? first : null;
}

/** A language triage could tell (not "und", not unknown). */
export const determinedLanguage = (language: string | null | undefined): string | null =>
  language && language !== UNDETERMINED_LANGUAGE ? language : null;

/** The bot's language for a read language, if it speaks it. */
export function asBotLanguage(language: string | null): BotLanguage | null {
  const parsed = botLanguageSchema.safeParse(language);
  return parsed.success ? parsed.data : null;
}

/** The reply language: this message's if the bot speaks it, else the conversation's so far, else the default. */
export const replyLanguage = (read: string | null, ...earlier: Array<BotLanguage | null>): BotLanguage =>
  asBotLanguage(read) ?? earlier.find((language) => language !== null) ?? BOT_DEFAULT_LANGUAGE;
