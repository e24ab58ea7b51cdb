import { Types } from 'mongoose';
import {
  DEFAULT_WARN_AT_SHARE,
  clocksForNewTicket,
  earliestOwedDueAt,
  nextDueAt,
  nextWarnAt,
  type BusinessHoursSpec,
  type Priority,
  type SlaClocksValue,
  type SlaContext,
} from '@parley/common';
import { NO_SLA_DUE, type TicketDoc, type TicketSlaDoc } from '../tickets/ticket.model';
import { encodeSla, slaOf } from './sla.codec';
import { BusinessHours, type BusinessHoursDoc } from './business-hours.model';
import { SlaPolicy, type SlaPolicyDoc } from './sla-policy.model';

interface Configuration {
  policies: SlaPolicyDoc[];
  schedules: Map<string, BusinessHoursDoc>;
  at: number;
}

let cached: Configuration | null = null;
/** How long a process trusts its copy of the policies: ingest needs them for every new ticket. */
const MAX_AGE_MS = 5_000;

async function configuration(): Promise<Configuration> {
  if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached;
  const [policies, schedules] = await Promise.all([
    SlaPolicy.find({ active: true }).sort({ createdAt: 1 }).lean<SlaPolicyDoc[]>(),
    BusinessHours.find().lean<BusinessHoursDoc[]>(),
  ]);
  cached = { policies, schedules: new Map(schedules.map((schedule) => [schedule._id.toHexString(), schedule])), at: Date.now() };
  return cached;
}

/** Forgets the cached policies: this process changed them. Other processes see the change within seconds. */
export function forgetSlaConfiguration(): void {
  cached = null;
}

const spec = (schedule: BusinessHoursDoc | undefined): BusinessHoursSpec | null =>
  schedule ? { timezone: schedule.timezone, intervals: schedule.intervals, holidays: schedule.holidays } : null;

/** The active policy for a channel: the oldest one naming it, else the oldest that names no channel. */
function policyFor(policies: SlaPolicyDoc[], channelId: Types.ObjectId): SlaPolicyDoc | undefined {
  return policies.find((policy) => policy.channelIds.some((id) => id.equals(channelId))) ?? policies.find((policy) => policy.channelIds.length === 0);
}

/** The business hours of the policy that covers a channel (null: none, or around the clock). */
export async function channelBusinessHours(channelId: Types.ObjectId): Promise<BusinessHoursSpec | null> {
  const { policies, schedules } = await configuration();
  const policy = policyFor(policies, channelId);
  return policy?.businessHoursId ? spec(schedules.get(policy.businessHoursId.toHexString())) : null;
}

/** A schedule by id, or (no id) the first one defined: the bot's "after hours" when no policy names one. */
export async function businessHoursById(id: Types.ObjectId | null): Promise<BusinessHoursSpec | null> {
  const { schedules } = await configuration();
  return spec(id ? schedules.get(id.toHexString()) : [...schedules.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]);
}

/** The SLA fields a new ticket on this channel starts with: no clocks when no policy applies. */
export async function slaForNewTicket(channelId: Types.ObjectId, priority: Priority, openedAt: Date): Promise<Pick<TicketDoc, 'slaClocks' | 'slaDueRank' | 'slaNextCheckAt'>> {
  const { policies, schedules } = await configuration();
  const policy = policyFor(policies, channelId);
  if (!policy) return { slaDueRank: NO_SLA_DUE, slaNextCheckAt: NO_SLA_DUE };
  const hours = policy.businessHoursId ? spec(schedules.get(policy.businessHoursId.toHexString())) : null;
  const clocks = clocksForNewTicket(openedAt, { targets: policy.targets[priority], hours });
  return slaFields({ policyId: policy._id, policyName: policy.name, businessHoursId: hours ? policy.businessHoursId : null, warnAtShare: policy.warnAtShare, ...clocks });
}

export interface TicketSlaContext extends SlaContext {
  sla: TicketSlaDoc;
  /** The policy's countBotReplies: the bot's reply is a first response. */
  countBotReplies: boolean;
}

/**
 * What a ticket's clocks count under: its policy's targets for `priority` and its schedule.
 * A policy deleted since keeps the clocks running on their due times, with no new targets.
 */
export async function slaContextOf(ticket: Pick<TicketDoc, 'slaClocks'>, priority: Priority): Promise<TicketSlaContext | null> {
  const sla = slaOf(ticket);
  if (!sla) return null;
  const { policies, schedules } = await configuration();
  const { policyId } = sla;
  const policy = policyId ? (policies.find((candidate) => candidate._id.equals(policyId)) ?? (await SlaPolicy.findById(policyId).lean<SlaPolicyDoc>())) : null;
  const hours = sla.businessHoursId ? spec(schedules.get(sla.businessHoursId.toHexString())) : null;
  const none = { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null };
  return { sla, targets: policy?.targets[priority] ?? none, hours, countBotReplies: policy?.countBotReplies ?? false };
}

/** The ticket fields for a new state of its clocks. */
export function slaFields(sla: TicketSlaDoc): { slaClocks: string; slaDueRank: number; slaNextCheckAt: number; slaNextWarnAt: number } {
  return {
    slaClocks: encodeSla(sla),
    slaDueRank: earliestOwedDueAt(sla)?.getTime() ?? NO_SLA_DUE,
    slaNextCheckAt: nextDueAt(sla)?.getTime() ?? NO_SLA_DUE,
    slaNextWarnAt: nextWarnAt(sla, sla.warnAtShare ?? DEFAULT_WARN_AT_SHARE)?.getTime() ?? NO_SLA_DUE,
  };
}

/** Applies a clock transition to a ticket's SLA: the $set fields, or {} when nothing changed. */
export function slaChange(sla: TicketSlaDoc | undefined, change: (clocks: SlaClocksValue) => SlaClocksValue): Partial<ReturnType<typeof slaFields>> {
  if (!sla) return {};
  const clocks = change(sla);
  if (clocks.firstResponse === sla.firstResponse && clocks.nextResponse === sla.nextResponse && clocks.resolution === sla.resolution) return {};
  return slaFields({ ...sla, ...clocks });
}
