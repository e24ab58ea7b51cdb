import { businessMinutesBetween, durationBucket, type BusinessHoursSpec, type Priority, type SlaClockValue } from '@parley/common';
import { slaOf } from '../sla/sla.codec';
import type { TicketDoc } from '../tickets/ticket.model';
import type { RollupCounts } from './rollup.model';

/**
 * What a ticket contributes to the rollups, from the ticket alone (its clocks and its first
 * response times are kept on it), so the worker and a rebuild count exactly the same.
 *
 * Two parts, each counted in the UTC hour it happened: "created" (the ticket, its first
 * response, the bot's share, the hand-off, the first- and next-response clocks) in the hour the
 * ticket was created; "solved" (the solve, the resolution time and clock) in the hour it was
 * solved. A reopened ticket's "solved" part is withdrawn until it is solved again.
 */

export const factParts = ['created', 'solved'] as const;
export type FactPart = (typeof factParts)[number];

export const durationMetrics = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type DurationMetric = (typeof durationMetrics)[number];
export const durationBases = ['business', 'calendar'] as const;
export type DurationBasis = (typeof durationBases)[number];

/** Counter names: plain words, then "<metric>_met|breached" and "<metric>_<basis>_<bucket>". */
export const histogramCounter = (metric: DurationMetric, basis: DurationBasis, bucket: number) => `${metric}_${basis}_${bucket}`;
export const complianceCounter = (metric: DurationMetric, outcome: 'met' | 'breached') => `${metric}_${outcome}`;

export interface RollupKeyParts {
  hour: Date;
  teamKey: string;
  agentKey: string;
  channelKey: string;
  priority: Priority;
}

export const rollupKeyOf = ({ hour, teamKey, agentKey, channelKey, priority }: RollupKeyParts) =>
  [hour.toISOString().slice(0, 13), teamKey, agentKey, channelKey, priority].join('|');

export function rollupKeyParts(key: string): RollupKeyParts {
  const [hour = '', teamKey = 'none', agentKey = 'none', channelKey = 'none', priority = 'normal'] = key.split('|');
  return { hour: new Date(`${hour}:00:00.000Z`), teamKey, agentKey, channelKey, priority: priority as Priority };
}

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

export interface TicketContribution {
  part: FactPart;
  rollupKey: string;
  counts: RollupCounts;
}

export type ContributingTicket = Pick<
  TicketDoc,
  '_id' | 'createdAt' | 'status' | 'solvedAt' | 'priority' | 'teamId' | 'assigneeId' | 'channelId' | 'slaClocks' | 'firstResponseAt' | 'firstHumanResponseAt' | 'handoff'
>;

function add(counts: RollupCounts, name: string, by = 1): void {
  counts[name] = (counts[name] ?? 0) + by;
}

function addDuration(counts: RollupCounts, metric: DurationMetric, from: Date, to: Date, hours: BusinessHoursSpec | null): void {
  const calendar = Math.max(0, (to.getTime() - from.getTime()) / 60_000);
  const business = hours ? businessMinutesBetween(from, to, hours) : calendar;
  add(counts, histogramCounter(metric, 'calendar', durationBucket(calendar)));
  add(counts, histogramCounter(metric, 'business', durationBucket(business)));
}

function addCompliance(counts: RollupCounts, metric: DurationMetric, clock: SlaClockValue | null | undefined): void {
  if (clock?.state === 'met') add(counts, complianceCounter(metric, 'met'));
  else if (clock?.state === 'breached') add(counts, complianceCounter(metric, 'breached'));
}

/** Whether the ticket's first response was the bot's: before any person's, or no person answered. */
export function botAnswered(ticket: Pick<TicketDoc, 'firstResponseAt' | 'firstHumanResponseAt'>): boolean {
  if (!ticket.firstResponseAt) return false;
  return !ticket.firstHumanResponseAt || ticket.firstResponseAt.getTime() < ticket.firstHumanResponseAt.getTime();
}

export const isSolved = (ticket: Pick<TicketDoc, 'status' | 'solvedAt'>): ticket is typeof ticket & { solvedAt: Date } =>
  (ticket.status === 'solved' || ticket.status === 'closed') && ticket.solvedAt instanceof Date;

/** The ticket's parts, with their rollup keys; `hours` are the business hours its clocks count in (null: around the clock). */
export function contributionsOf(ticket: ContributingTicket, hours: BusinessHoursSpec | null): TicketContribution[] {
  const sla = slaOf(ticket);
  const dimensions = {
    teamKey: ticket.teamId?.toHexString() ?? 'none',
    agentKey: ticket.assigneeId?.toHexString() ?? 'none',
    channelKey: ticket.channelId.toHexString(),
    priority: ticket.priority,
  };

  const created: RollupCounts = { created: 1 };
  if (ticket.firstResponseAt) {
    add(created, 'responded');
    addDuration(created, 'firstResponse', ticket.createdAt, ticket.firstResponseAt, hours);
  }
  if (botAnswered(ticket)) add(created, 'botAnswered');
  if (ticket.handoff) add(created, 'handedOff');
  addCompliance(created, 'firstResponse', sla?.firstResponse);
  const next = sla?.nextResponse;
  addCompliance(created, 'nextResponse', next);
  if (next?.completedAt && (next.state === 'met' || next.state === 'breached')) addDuration(created, 'nextResponse', next.startedAt, next.completedAt, hours);
  const parts: TicketContribution[] = [{ part: 'created', rollupKey: rollupKeyOf({ hour: hourOf(ticket.createdAt), ...dimensions }), counts: created }];

  if (isSolved(ticket)) {
    const solved: RollupCounts = { solved: 1 };
    addDuration(solved, 'resolution', ticket.createdAt, ticket.solvedAt, hours);
    addCompliance(solved, 'resolution', sla?.resolution);
    parts.push({ part: 'solved', rollupKey: rollupKeyOf({ hour: hourOf(ticket.solvedAt), ...dimensions }), counts: solved });
  }
  return parts;
}

export function addCounts(into: RollupCounts, counts: RollupCounts): RollupCounts {
  for (const [name, value] of Object.entries(counts)) if (value !== 0) add(into, name, value);
  return into;
}

export function sameCounts(a: RollupCounts, b: RollupCounts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? 0) !== (b[key] ?? 0)) return false;
  return true;
}
