import { z } from 'zod';
import { influenceTierSchema } from './influence';
import type { TicketStatus } from './tickets';
import { objectIdSchema } from './users';

/** The three response-time targets a care team is measured on. */
export const slaMetricSchema = z.enum(['firstResponse', 'nextResponse', 'resolution']);
export type SlaMetric = z.infer<typeof slaMetricSchema>;
export const slaMetrics = slaMetricSchema.options;

/**
 * running: the team owes the customer something and the clock counts down to dueAt.
 * paused: the ticket waits on the customer (pending, on hold); the business minutes left are kept.
 * met: done before dueAt. breached: dueAt passed first (completedAt tells when it was done anyway).
 * cancelled: no longer owed (the ticket was solved without the reply the clock waited for).
 */
export const slaClockStateSchema = z.enum(['running', 'paused', 'met', 'breached', 'cancelled']);
export type SlaClockState = z.infer<typeof slaClockStateSchema>;

export const slaClockSchema = z.object({
  state: slaClockStateSchema,
  targetMinutes: z.number().int().positive(),
  startedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  /** Business minutes left when the clock was paused or completed; null while running. */
  remainingMinutes: z.number().nullable(),
  completedAt: z.iso.datetime().nullable(),
  breachedAt: z.iso.datetime().nullable(),
});
export type SlaClock = z.infer<typeof slaClockSchema>;

/** A ticket's clocks under the policy that applied when it was opened. */
export const ticketSlaSchema = z.object({
  policyId: objectIdSchema.nullable(),
  policyName: z.string().nullable(),
  /** Whether the targets count business hours (else the clock runs around the clock). */
  businessHours: z.boolean(),
  firstResponse: slaClockSchema.nullable(),
  nextResponse: slaClockSchema.nullable(),
  resolution: slaClockSchema.nullable(),
  /** The earliest dueAt of a running clock: when the next target can be missed. */
  nextDueAt: z.iso.datetime().nullable(),
  /** The earliest dueAt of what is still owed, missed targets included: the order of sort=slaDueAt. */
  earliestOwedDueAt: z.iso.datetime().nullable(),
});
export type TicketSla = z.infer<typeof ticketSlaSchema>;

const timeOfDaySchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM, 00:00 to 24:00');
const minutesOfDay = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const businessHoursIntervalSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday, as Date#getDay counts. */
    day: z.number().int().min(0).max(6),
    start: timeOfDaySchema,
    end: timeOfDaySchema,
  })
  .strict()
  .refine((interval) => minutesOfDay(interval.start) < minutesOfDay(interval.end), { message: 'end must be after start', path: ['end'] });
export type BusinessHoursInterval = z.infer<typeof businessHoursIntervalSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Intervals of one day must not overlap (touching is fine: 09:00–12:00 and 12:00–17:00): the later one is named. */
const intervalsSchema = z
  .array(businessHoursIntervalSchema)
  .min(1, 'give at least one open interval')
  .max(50)
  .superRefine((intervals, context) => {
    const byStart = intervals.map((interval, index) => ({ ...interval, index })).sort((a, b) => a.day - b.day || minutesOfDay(a.start) - minutesOfDay(b.start));
    for (const [position, interval] of byStart.entries()) {
      const previous = byStart[position - 1];
      if (previous?.day === interval.day && minutesOfDay(interval.start) < minutesOfDay(previous.end)) {
        context.addIssue({ code: 'custom', message: `overlaps ${previous.start}–${previous.end} on the same day`, path: [Math.max(interval.index, previous.index)] });
        return;
      }
    }
  });

export const businessHoursInputSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** An IANA time zone: Europe/Paris, America/New_York. */
    timezone: z.string().min(1).refine(isTimeZone, 'is not a known IANA time zone'),
    intervals: intervalsSchema,
    /** Local dates the team is closed: YYYY-MM-DD. */
    holidays: z.array(z.iso.date()).max(366).default([]),
  })
  .strict();
export type BusinessHoursInput = z.input<typeof businessHoursInputSchema>;
/** What the clock math needs of a schedule. */
export type BusinessHoursSpec = Pick<z.infer<typeof businessHoursInputSchema>, 'timezone' | 'intervals' | 'holidays'>;

export const businessHoursSchema = businessHoursInputSchema.extend({
  id: objectIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;
export const businessHoursListSchema = z.object({ items: z.array(businessHoursSchema) });

const targetMinutesSchema = z.number().int().min(1).max(90 * 24 * 60).nullable();
export const slaTargetsSchema = z
  .object({ firstResponseMinutes: targetMinutesSchema, nextResponseMinutes: targetMinutesSchema, resolutionMinutes: targetMinutesSchema })
  .strict();
export type SlaTargets = z.infer<typeof slaTargetsSchema>;

/** Where the conversation began: a public post or mention, or a private message. */
export const slaOriginSchema = z.enum(['public', 'private']);
export type SlaOrigin = z.infer<typeof slaOriginSchema>;

/** The statuses that may pause the resolution clock: the open ones (solved and closed end it). */
export const slaPauseStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];
export const slaPauseStatusSchema = z.enum(slaPauseStatuses);
export type SlaPauseStatus = z.infer<typeof slaPauseStatusSchema>;
/** Waiting on the customer: what pauses the resolution clock unless a policy says otherwise. */
export const DEFAULT_PAUSE_STATUSES: readonly SlaPauseStatus[] = ['pending', 'on_hold'];

const unique = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).transform((items) => [...new Set(items)]);

/** Warnings before a breach and what happens at it (issue 15). */
export const DEFAULT_WARN_AT_SHARE = 0.75;
export const slaEscalationSchema = z
  .object({
    /** Tell the assignee (or the team when unassigned) and the supervisors: the sla.breached event. */
    notify: z.boolean().default(true),
    /** Raise the priority one step (low → normal → high → urgent). */
    raisePriority: z.boolean().default(false),
    /** Move the ticket to this team, unassigned; null: stays where it is. */
    reassignTeamId: objectIdSchema.nullable().default(null),
    /** Unassign it when its assignee is offline or inactive. */
    unassignAbsent: z.boolean().default(false),
  })
  .strict();
export type SlaEscalation = z.output<typeof slaEscalationSchema>;
export const defaultSlaEscalation: SlaEscalation = { notify: true, raisePriority: false, reassignTeamId: null, unassignAbsent: false };
const slaWarningFields = {
  /** The share of a clock's span (startedAt → dueAt) after which its assignee is warned. */
  warnAtShare: z.number().gt(0, 'must be more than 0').lt(1, 'must be less than 1'),
  /** What the policy does when a clock breaches (a PATCH replaces it whole). */
  escalation: slaEscalationSchema,
};

const slaPolicyFields = {
  name: z.string().trim().min(1).max(80),
  active: z.boolean(),
  /**
   * Where it stands among the policies: the first active one (lowest order; equal orders by
   * creation) whose conditions all match a new ticket is the ticket's.
   */
  order: z.number().int().min(0).max(1_000_000),
  /** The schedule the targets count in; null: around the clock. */
  businessHoursId: objectIdSchema.nullable(),
  /** Conditions (each empty: any). The ticket's channel is one of these. */
  channelIds: unique(objectIdSchema, 100),
  /** The ticket began as one of these: a public post, or a private message. */
  origins: unique(slaOriginSchema, 2),
  /** The ticket's team (its channel's team when it opened) is one of these. */
  teamIds: unique(objectIdSchema, 100),
  /** The author's influence tier when the ticket opened is one of these. */
  influenceTiers: unique(influenceTierSchema, 5),
  /** The statuses that pause the resolution clock of its tickets. */
  pauseStatuses: unique(slaPauseStatusSchema, 4),
  /** Targets by ticket priority, in minutes (business minutes with business hours); null: no target. */
  targets: z.object({ low: slaTargetsSchema, normal: slaTargetsSchema, high: slaTargetsSchema, urgent: slaTargetsSchema }).strict(),
  /**
   * Whether the bot's reply is a first response. false (the default): only a person's is, and in
   * a conversation the bot held the first-response clock starts when the bot hands it over.
   */
  countBotReplies: z.boolean(),
  ...slaWarningFields,
};

export const slaPolicyInputSchema = z
  .object({
    ...slaPolicyFields,
    active: slaPolicyFields.active.default(true),
    /** Absent: after the last policy. */
    order: slaPolicyFields.order.optional(),
    businessHoursId: slaPolicyFields.businessHoursId.default(null),
    channelIds: slaPolicyFields.channelIds.default([]),
    origins: slaPolicyFields.origins.default([]),
    teamIds: slaPolicyFields.teamIds.default([]),
    influenceTiers: slaPolicyFields.influenceTiers.default([]),
    pauseStatuses: slaPolicyFields.pauseStatuses.default([...DEFAULT_PAUSE_STATUSES]),
    countBotReplies: slaPolicyFields.countBotReplies.default(false),
    warnAtShare: slaPolicyFields.warnAtShare.default(DEFAULT_WARN_AT_SHARE),
    escalation: slaPolicyFields.escalation.prefault({}),
  })
  .strict();
export type SlaPolicyInput = z.input<typeof slaPolicyInputSchema>;
/** PATCH: only the fields sent change (no defaults fill in the others). */
export const slaPolicyUpdateSchema = z.object(slaPolicyFields).partial().strict();

export const slaPolicySchema = z.object({
  id: objectIdSchema,
  name: z.string(),
  active: z.boolean(),
  order: z.number().int(),
  businessHoursId: objectIdSchema.nullable(),
  channelIds: z.array(objectIdSchema),
  origins: z.array(slaOriginSchema),
  teamIds: z.array(objectIdSchema),
  influenceTiers: z.array(influenceTierSchema),
  pauseStatuses: z.array(slaPauseStatusSchema),
  targets: slaPolicyFields.targets,
  countBotReplies: z.boolean(),
  warnAtShare: z.number(),
  escalation: slaEscalationSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export const slaPolicyListSchema = z.object({ items: z.array(slaPolicySchema) });
