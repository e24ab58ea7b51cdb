import type { BotLanguage } from '@parley/common';
import { textsFor } from './bot.texts';

/**
 * When the team next opens, said as a customer reads it in their time zone and language:
 * "at 09:00 tomorrow (GMT+1)", "el lunes a las 09:00 (CET)", "lundi à 09:00 (UTC+1)". Today and
 * tomorrow by name, a weekday within the week, a date beyond it.
 */

const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;

/** A zone Intl knows, else UTC: a mistyped zone must not stop the bot from answering. */
function knownZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return timezone;
  } catch {
    return 'UTC';
  }
}

/** Days between the two instants' calendar dates in the zone (0: the same day). */
function calendarDaysBetween(from: Date, to: Date, timeZone: string): number {
  const dateOf = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return Math.round((Date.parse(dateOf(to)) - Date.parse(dateOf(from))) / DAY_MS);
}

/** The phrase for an opening, or null when there is none to tell (no schedule, unreadable, or already past). */
export function openingPhrase(nextOpeningAt: string | null, now: Date, timezone: string, language: BotLanguage): string | null {
  if (!nextOpeningAt) return null;
  const at = new Date(nextOpeningAt);
  if (Number.isNaN(at.getTime()) || at <= now) return null;
  const timeZone = knownZone(timezone);
  const time = new Intl.DateTimeFormat(language, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const zoneName = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'short' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  const days = calendarDaysBetween(now, at, timeZone);
  const words = textsFor(language).opening;
  const day = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(language, { timeZone, ...options }).format(at);
  const phrase =
    days === 0 ? words.today(time)
    : days === 1 ? words.tomorrow(time)
    : words.on(day(days < WEEK_DAYS ? { weekday: 'long' } : { weekday: 'long', day: 'numeric', month: 'long' }), time);
  return zoneName ? `${phrase} (${zoneName})` : phrase;
}
