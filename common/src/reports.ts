import { z } from 'zod';

/**
 * Response-time reports (GET /api/reports/response-times), read from hourly rollups. Durations
 * are kept as counts in fixed histogram buckets, so a median or p90 is interpolated within the
 * bucket that holds it: exact to the bucket, not to the minute.
 */

export const reportGroupBySchema = z.enum(['day', 'week', 'team', 'agent', 'channel', 'priority']);
export type ReportGroupBy = z.infer<typeof reportGroupBySchema>;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

/** `from` and `to` are local dates in `tz`, both included. */
export const responseTimeReportQuerySchema = z.object({
  from: localDate,
  to: localDate,
  tz: z.string().min(1).default('UTC'),
  groupBy: reportGroupBySchema,
  format: z.enum(['json', 'csv']).default('json'),
});
export type ResponseTimeReportQuery = z.infer<typeof responseTimeReportQuerySchema>;

/** The longest range a report covers, in days. */
export const MAX_REPORT_DAYS = 366;

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a query's range and zone beyond its shape, naming the field; null when nothing. */
export function reportRangeProblem(query: Pick<ResponseTimeReportQuery, 'from' | 'to' | 'tz'>): { field: string; message: string } | null {
  if (!isKnownTimeZone(query.tz)) return { field: 'tz', message: `tz ${query.tz} is not a known time zone` };
  const from = Date.parse(`${query.from}T00:00:00Z`);
  const to = Date.parse(`${query.to}T00:00:00Z`);
  if (Number.isNaN(from)) return { field: 'from', message: 'from is not a real date' };
  if (Number.isNaN(to)) return { field: 'to', message: 'to is not a real date' };
  if (to < from) return { field: 'to', message: 'to is before from' };
  const days = (to - from) / 86_400_000 + 1;
  if (days > MAX_REPORT_DAYS) return { field: 'to', message: `the range covers ${days} days; at most ${MAX_REPORT_DAYS} (one year)` };
  return null;
}

const minutes = z.number().nullable();

export const durationFiguresSchema = z.object({
  /** How many tickets have this duration. */
  count: z.number().int(),
  medianBusinessMinutes: minutes,
  p90BusinessMinutes: minutes,
  medianCalendarMinutes: minutes,
  p90CalendarMinutes: minutes,
});
export type DurationFigures = z.infer<typeof durationFiguresSchema>;

export const complianceSchema = z.object({
  met: z.number().int(),
  breached: z.number().int(),
  /** met / (met + breached) × 100; null when neither. */
  percent: z.number().nullable(),
});
export type Compliance = z.infer<typeof complianceSchema>;

export const reportFiguresSchema = z.object({
  created: z.number().int(),
  solved: z.number().int(),
  /** Created tickets with a first response (the bot's included). */
  responded: z.number().int(),
  /** responded / created × 100; null without tickets. */
  responseRate: z.number().nullable(),
  /** Tickets whose first response was the bot's. */
  botAnswered: z.number().int(),
  handedOff: z.number().int(),
  firstResponse: durationFiguresSchema,
  nextResponse: durationFiguresSchema,
  resolution: durationFiguresSchema,
  compliance: z.object({ firstResponse: complianceSchema, nextResponse: complianceSchema, resolution: complianceSchema }),
});
export type ReportFigures = z.infer<typeof reportFiguresSchema>;

export const reportRowSchema = reportFiguresSchema.extend({
  /** The group: a local date (day; a week by its Monday), an id ("none" for no team or agent), a priority. */
  key: z.string(),
  label: z.string(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const responseTimeReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  groupBy: reportGroupBySchema,
  /** True when the zone's offset is not whole hours: hourly rollups then split days only approximately. */
  approximate: z.boolean(),
  rows: z.array(reportRowSchema),
  totals: reportFiguresSchema,
});
export type ResponseTimeReport = z.infer<typeof responseTimeReportSchema>;

/**
 * Lower edges (minutes) of the duration buckets: bucket i holds [edge i, edge i+1), the last
 * one everything from 30 days on. Never reorder or change them without rebuilding the rollups.
 */
export const DURATION_BUCKET_EDGES = [0, 1, 2, 5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200] as const;

export function durationBucket(durationMinutes: number): number {
  let bucket = 0;
  for (let index = 0; index < DURATION_BUCKET_EDGES.length; index++) if (durationMinutes >= (DURATION_BUCKET_EDGES[index] ?? Infinity)) bucket = index;
  return bucket;
}

/**
 * The p-quantile (0 < p ≤ 1, nearest rank) of the durations counted in `buckets` (counts by
 * bucket index), interpolated linearly inside the bucket that holds it; the open last bucket
 * answers its lower edge. Null without durations.
 */
export function bucketQuantile(buckets: readonly number[], p: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let before = 0;
  for (let index = 0; index < buckets.length; index++) {
    const count = buckets[index] ?? 0;
    if (count > 0 && before + count >= rank) {
      const low = DURATION_BUCKET_EDGES[index] ?? 0;
      const high = DURATION_BUCKET_EDGES[index + 1];
      if (high === undefined) return low;
      return Math.round((low + ((high - low) * (rank - before - 0.5)) / count) * 10) / 10;
    }
    before += count;
  }
  return null;
}
