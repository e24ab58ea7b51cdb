import { DEFAULT_PAUSE_STATUSES, DEFAULT_WARN_AT_SHARE, defaultSlaEscalation, earliestOwedDueAt, nextDueAt, type BusinessHours, type SlaClock, type SlaClockValue, type SlaBreachedEvent, type SlaPolicy, type SlaWarningEvent, type TicketSla } from '@parley/common';
import type { DomainEvents, SlaNoticeEvent } from '../events/domain-events';
import type { TicketSlaDoc } from '../tickets/ticket.model';
import type { BusinessHoursDoc } from './business-hours.model';
import type { SlaEscalationDoc, SlaPolicyDoc } from './sla-policy.model';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** One clock as the API shows it (and as sla.codec.ts stores it). */
export function presentClock(clock: SlaClockValue | null): SlaClock | null {
  if (!clock) return null;
  return {
    state: clock.state,
    targetMinutes: clock.targetMinutes,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    remainingMinutes: clock.remainingMinutes,
    completedAt: iso(clock.completedAt),
    breachedAt: iso(clock.breachedAt),
  };
}

/** A ticket's clocks; a ticket opened while no policy applied has none. */
export function presentSla(sla: TicketSlaDoc | undefined): TicketSla {
  if (!sla) return { policyId: null, policyName: null, businessHours: false, firstResponse: null, nextResponse: null, resolution: null, nextDueAt: null, earliestOwedDueAt: null };
  return {
    policyId: sla.policyId?.toHexString() ?? null,
    policyName: sla.policyName,
    businessHours: sla.businessHoursId !== null,
    firstResponse: presentClock(sla.firstResponse),
    nextResponse: presentClock(sla.nextResponse),
    resolution: presentClock(sla.resolution),
    nextDueAt: iso(nextDueAt(sla)),
    earliestOwedDueAt: iso(earliestOwedDueAt(sla)),
  };
}

/** A policy's warning and escalation settings, the defaults for a policy older than them. */
export function warningSettingsOf(policy: Pick<SlaPolicyDoc, 'warnAtShare' | 'escalation'> | null): { warnAtShare: number; escalation: SlaEscalationDoc } {
  const escalation = { ...defaultSlaEscalation, ...policy?.escalation };
  return { warnAtShare: policy?.warnAtShare ?? DEFAULT_WARN_AT_SHARE, escalation: { ...escalation, reassignTeamId: policy?.escalation?.reassignTeamId ?? null } };
}

export function presentWarningSettings(policy: SlaPolicyDoc): Pick<SlaPolicy, 'warnAtShare' | 'escalation'> {
  const { warnAtShare, escalation } = warningSettingsOf(policy);
  const { notify, raisePriority, unassignAbsent } = escalation;
  return { warnAtShare, escalation: { notify, raisePriority, unassignAbsent, reassignTeamId: escalation.reassignTeamId?.toHexString() ?? null } };
}

export function presentSlaPolicy(policy: SlaPolicyDoc): SlaPolicy {
  const targets = (priority: keyof SlaPolicyDoc['targets']) => ({
    firstResponseMinutes: policy.targets[priority].firstResponseMinutes ?? null,
    nextResponseMinutes: policy.targets[priority].nextResponseMinutes ?? null,
    resolutionMinutes: policy.targets[priority].resolutionMinutes ?? null,
  });
  return {
    id: policy._id.toHexString(),
    name: policy.name,
    active: policy.active,
    order: policy.order ?? 0,
    businessHoursId: policy.businessHoursId?.toHexString() ?? null,
    channelIds: policy.channelIds.map((id) => id.toHexString()),
    origins: policy.origins ?? [],
    teamIds: (policy.teamIds ?? []).map((id) => id.toHexString()),
    influenceTiers: policy.influenceTiers ?? [],
    pauseStatuses: policy.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES],
    targets: { low: targets('low'), normal: targets('normal'), high: targets('high'), urgent: targets('urgent') },
    countBotReplies: policy.countBotReplies ?? false,
    ...presentWarningSettings(policy),
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}

export function presentBusinessHours(hours: BusinessHoursDoc): BusinessHours {
  return {
    id: hours._id.toHexString(),
    name: hours.name,
    timezone: hours.timezone,
    intervals: hours.intervals.map(({ day, start, end }) => ({ day, start, end })),
    holidays: hours.holidays,
    createdAt: hours.createdAt.toISOString(),
    updatedAt: hours.updatedAt.toISOString(),
  };
}

function presentSlaNotice({ ticket, clock, dueAt }: SlaNoticeEvent) {
  return {
    ticket: { id: ticket._id.toHexString(), number: ticket.number, subject: ticket.subject },
    clock,
    dueAt: dueAt.toISOString(),
    assigneeId: ticket.assigneeId?.toHexString() ?? null,
    teamId: ticket.teamId?.toHexString() ?? null,
  };
}

/** The sla.warning socket event. */
export const presentSlaWarning = (event: DomainEvents['sla.warning']): SlaWarningEvent => ({ ...presentSlaNotice(event), share: event.share });
/** The sla.breached socket event. */
export const presentSlaBreach = (event: DomainEvents['sla.breached']): SlaBreachedEvent => ({ ...presentSlaNotice(event), breachedAt: event.breachedAt.toISOString() });
