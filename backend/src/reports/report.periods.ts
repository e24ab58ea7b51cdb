import { TZDate } from '@date-fns/tz';

/**
 * The instants and days of a report's range in its time zone. Rollups are per UTC hour; an hour
 * belongs to the local day its start falls in, so a day across a daylight-saving change has 23
 * or 25 of them. In a zone whose offset is not whole hours (Asia/Kolkata, +5:30) an hour
 * straddles two local days and counts in the one it starts in: such a report is approximate.
 */
export interface ReportWindow {
  /** Local midnight at the start of `from`, and at the end of `to`. */
  start: Date;
  end: Date;
  /** The UTC days (YYYY-MM-DD) the window touches: the rollups to read. */
  utcDays: string[];
  /** Every local day of the range, in order. */
  localDays: string[];
  approximate: boolean;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function localMidnight(date: string, zone: string): Date {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, day, 0, 0, zone).getTime());
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += DAY) days.push(isoDay(at));
  return days;
}

const offsetMinutes = (at: Date, zone: string) => new TZDate(at.getTime(), zone).getTimezoneOffset();

export function reportWindow(from: string, to: string, zone: string): ReportWindow {
  const localDays = daysBetween(from, to);
  const start = localMidnight(from, zone);
  const end = localMidnight(isoDay(Date.parse(`${to}T00:00:00Z`) + DAY), zone);
  return {
    start,
    end,
    utcDays: daysBetween(isoDay(start.getTime()), isoDay(end.getTime() - 1)),
    localDays,
    approximate: offsetMinutes(start, zone) % 60 !== 0 || offsetMinutes(end, zone) % 60 !== 0,
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateOf(at: Date, zone: string): string {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, format);
  }
  return format.format(at);
}

/** The Monday (YYYY-MM-DD) of a local date's ISO week. */
export function weekOf(date: string): string {
  const at = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(at).getUTCDay() + 6) % 7;
  return isoDay(at - weekday * DAY);
}
