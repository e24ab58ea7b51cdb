import { z } from 'zod';
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

export const businessHoursInputSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** An IANA time zone: Europe/Paris, America/New_York. */
    timezone: z.string().refine(isTimeZone, 'is not a known IANA time zone'),
    intervals: z.array(businessHoursIntervalSchema).min(1, 'give at least one open interval').max(50),
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
  /** The schedule the targets count in; null: around the clock. */
  businessHoursId: objectIdSchema.nullable(),
  /** The channels it covers; empty: every channel a more specific policy does not name. */
  channelIds: z.array(objectIdSchema).max(100),
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
    businessHoursId: slaPolicyFields.businessHoursId.default(null),
    channelIds: slaPolicyFields.channelIds.default([]),
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
  businessHoursId: objectIdSchema.nullable(),
  channelIds: z.array(objectIdSchema),
  targets: slaPolicyFields.targets,
  countBotReplies: z.boolean(),
  warnAtShare: z.number(),
  escalation: slaEscalationSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export const slaPolicyListSchema = z.object({ items: z.array(slaPolicySchema) });
