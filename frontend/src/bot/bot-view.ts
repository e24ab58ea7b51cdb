import { botChannelSettingsSchema, handoffReasonSchema, type BotChannelSettings, type BotMode, type BotStats, type Channel, type Ticket, type TicketHandoff } from '@parley/common';
import { ApiError } from '../api/client';

/** The pure parts of the bot's screens: periods, reasons, a channel's bot setting and the rows' markers. */

export const statsPeriods = ['today', 'week', 'month'] as const;
export type StatsPeriod = (typeof statsPeriods)[number];
const DAY_MS = 24 * 60 * 60_000;

/** The instants a period spans, taken when it is chosen (so its query stays the same while it is shown). Today starts at local midnight. */
export function periodWindow(period: StatsPeriod, now = new Date()): { from: string; to: string } {
  const start = period === 'today' ? new Date(now.getFullYear(), now.getMonth(), now.getDate()) : new Date(now.getTime() - (period === 'week' ? 7 : 30) * DAY_MS);
  return { from: start.toISOString(), to: now.toISOString() };
}

/** The reasons in the contract's order, then any other the server counted; only those with hand-offs. */
export function reasonRows(byReason: BotStats['handoffsByReason']): [string, number][] {
  const known: string[] = handoffReasonSchema.options;
  const keys = [...known, ...Object.keys(byReason).filter((key) => !known.includes(key))];
  return keys.map((key): [string, number] => [key, byReason[key] ?? 0]).filter(([, count]) => count > 0);
}

/** The channel's bot setting as stored; anything unreadable counts as off. */
export function botSettingsOf(channel: Pick<Channel, 'settings'>): BotChannelSettings {
  const parsed = botChannelSettingsSchema.safeParse(channel.settings.bot ?? {});
  return parsed.success ? parsed.data : { mode: 'off' };
}

export interface BotDraft {
  mode: BotMode;
  name: string;
  brandName: string;
  /** As typed: empty for the default. */
  reach: string;
}

export const draftOf = (stored: BotChannelSettings): BotDraft => ({
  mode: stored.mode,
  name: stored.name ?? '',
  brandName: stored.brandName ?? '',
  reach: stored.handoffReach === undefined ? '' : String(stored.handoffReach),
});

/**
 * The setting to send: what the form does not show (the business hours) is kept as stored; what
 * it leaves empty is left out, so the defaults apply. The server checks the values.
 */
export function settingsFromDraft(stored: BotChannelSettings, draft: BotDraft): BotChannelSettings {
  const { name: _name, brandName: _brandName, handoffReach: _handoffReach, ...kept } = stored;
  const name = draft.name.trim();
  const brandName = draft.brandName.trim();
  const reach = draft.reach.trim();
  return { ...kept, mode: draft.mode, ...(name ? { name } : {}), ...(brandName ? { brandName } : {}), ...(reach ? { handoffReach: Number(reach) } : {}) };
}

export type BotField = 'mode' | 'name' | 'brandName' | 'handoffReach';

/** The field of settings.bot a 400 names ("settings.bot.name" → name), "other" for any other failure, undefined for none. */
export function botFieldOf(error: unknown): BotField | 'other' | undefined {
  if (!error) return undefined;
  const field = error instanceof ApiError ? error.field : undefined;
  const match = /^settings\.bot\.(mode|name|brandName|handoffReach)(\.|$)/.exec(field ?? '');
  return (match?.[1] as BotField | undefined) ?? 'other';
}

/** How long after a hand-off its ticket row still says so. */
export const RECENT_HANDOFF_MS = DAY_MS;

/** The hand-off a ticket row mentions: the bot's, while people have the conversation, for a day. */
export function recentHandoff(ticket: Pick<Ticket, 'botState' | 'handoff'>, now: number): TicketHandoff | null {
  const { handoff } = ticket;
  if (ticket.botState !== 'handed_off' || !handoff) return null;
  return now - new Date(handoff.at).getTime() <= RECENT_HANDOFF_MS ? handoff : null;
}

/** A 400's message without the field's path it starts with, for showing beside that field. */
export function fieldMessage(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const field = error instanceof ApiError ? error.field : undefined;
  return field && error.message.startsWith(`${field} `) ? error.message.slice(field.length + 1) : error.message;
}
