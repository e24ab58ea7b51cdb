import { Types } from 'mongoose';
import {
  DEFAULT_PAUSE_STATUSES,
  DEFAULT_WARN_AT_SHARE,
  clocksForNewTicket,
  comparePolicyOrder,
  earliestOwedDueAt,
  firstMatchingPolicy,
  nextDueAt,
  nextWarnAt,
  type BusinessHoursSpec,
  type InfluenceTier,
  type OrderedSlaPolicy,
  type Priority,
  type SlaClocksValue,
  type SlaContext,
  type SlaOrigin,
  type SlaPauseStatus,
} from '@parley/common';
import { NO_SLA_DUE, type TicketDoc, type TicketSlaDoc } from '../tickets/ticket.model';
import { encodeSla, slaOf } from './sla.codec';
import { BusinessHours, type BusinessHoursDoc } from './business-hours.model';
import { SlaPolicy, type SlaPolicyDoc } from './sla-policy.model';

/** A policy beside its conditions as the matching reads them (ids as hex). */
interface MatchablePolicy extends OrderedSlaPolicy {
  policy: SlaPolicyDoc;
}

interface Configuration {
  /** The active policies, in the order they are tried. */
  policies: MatchablePolicy[];
  schedules: Map<string, BusinessHoursDoc>;
  at: number;
}

let cached: Configuration | null = null;
/** How long a process trusts its copy of the policies: ingest needs them for every new ticket. */
const MAX_AGE_MS = 5_000;

async function configuration(): Promise<Configuration> {
  if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached;
  const [policies, schedules] = await Promise.all([
    SlaPolicy.find({ active: true }).lean<SlaPolicyDoc[]>(),
    BusinessHours.find().lean<BusinessHoursDoc[]>(),
  ]);
  const matchable = policies.map((policy): MatchablePolicy => ({
    policy,
    active: policy.active,
    order: policy.order,
    createdAt: policy.createdAt,
    channelIds: policy.channelIds.map((id) => id.toHexString()),
    origins: policy.origins,
    teamIds: policy.teamIds?.map((id) => id.toHexString()),
    influenceTiers: policy.influenceTiers,
  }));
  cached = { policies: matchable.sort(comparePolicyOrder), schedules: new Map(schedules.map((schedule) => [schedule._id.toHexString(), schedule])), at: Date.now() };
  return cached;
}

/** Forgets the cached policies: this process changed them. Other processes see the change within seconds. */
export function forgetSlaConfiguration(): void {
  cached = null;
}

const spec = (schedule: BusinessHoursDoc | undefined): BusinessHoursSpec | null =>
  schedule ? { timezone: schedule.timezone, intervals: schedule.intervals, holidays: schedule.holidays } : null;

/**
 * The business hours of the policy for a channel's everyday traffic (null: none, or around the
 * clock): the first policy whose only condition, if any, is the channel. A policy for VIPs or
 * private messages says when those are answered, not when the channel is staffed.
 */
export async function channelBusinessHours(channelId: Types.ObjectId): Promise<BusinessHoursSpec | null> {
  const { policies, schedules } = await configuration();
  const none = (list: readonly unknown[] | undefined) => !list || list.length === 0;
  const policy = policies.find(
    (candidate) =>
      none(candidate.origins) && none(candidate.teamIds) && none(candidate.influenceTiers) && (none(candidate.channelIds) || candidate.channelIds?.includes(channelId.toHexString())),
  )?.policy;
  return policy?.businessHoursId ? spec(schedules.get(policy.businessHoursId.toHexString())) : null;
}

/** A schedule by id, or (no id) the first one defined: the bot's "after hours" when no policy names one. */
export async function businessHoursById(id: Types.ObjectId | null): Promise<BusinessHoursSpec | null> {
  const { schedules } = await configuration();
  return spec(id ? schedules.get(id.toHexString()) : [...schedules.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]);
}

/** What a new ticket is matched to its policy on, and what its clocks start from. */
export interface NewTicketSlaInput {
  channelId: Types.ObjectId;
  origin: SlaOrigin;
  teamId: Types.ObjectId | null;
  influenceTier: InfluenceTier;
  priority: Priority;
  openedAt: Date;
}

/**
 * The SLA fields a new ticket starts with, under the first active policy whose conditions it
 * matches: no clocks when none does. The ticket keeps the policy's pause statuses with its
 * clocks, so a later edit of the policy applies only to tickets opened after it.
 */
export async function slaForNewTicket({ channelId, origin, teamId, influenceTier, priority, openedAt }: NewTicketSlaInput): Promise<Pick<TicketDoc, 'slaClocks' | 'slaDueRank' | 'slaNextCheckAt'>> {
  const { policies, schedules } = await configuration();
  const policy = firstMatchingPolicy(policies, { channelId: channelId.toHexString(), origin, teamId: teamId?.toHexString() ?? null, influenceTier })?.policy;
  if (!policy) return { slaDueRank: NO_SLA_DUE, slaNextCheckAt: NO_SLA_DUE };
  const hours = policy.businessHoursId ? spec(schedules.get(policy.businessHoursId.toHexString())) : null;
  const pauseStatuses = policy.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES];
  const clocks = clocksForNewTicket(openedAt, { targets: policy.targets[priority], hours, pauseStatuses });
  return slaFields({ policyId: policy._id, policyName: policy.name, businessHoursId: hours ? policy.businessHoursId : null, pauseStatuses, warnAtShare: policy.warnAtShare, ...clocks });
}

export interface TicketSlaContext extends SlaContext {
  sla: TicketSlaDoc;
  pauseStatuses: readonly SlaPauseStatus[];
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
  const policy = policyId ? (policies.find((candidate) => candidate.policy._id.equals(policyId))?.policy ?? (await SlaPolicy.findById(policyId).lean<SlaPolicyDoc>())) : null;
  const hours = sla.businessHoursId ? spec(schedules.get(sla.businessHoursId.toHexString())) : null;
  const none = { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null };
  // The pause statuses the ticket opened under, kept with its clocks (older tickets: the policy's, else the default).
  const pauseStatuses = sla.pauseStatuses ?? policy?.pauseStatuses ?? DEFAULT_PAUSE_STATUSES;
  return { sla, targets: policy?.targets[priority] ?? none, hours, pauseStatuses, countBotReplies: policy?.countBotReplies ?? false };
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
