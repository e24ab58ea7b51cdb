import { TZDate } from '@date-fns/tz';
import { DEFAULT_PAUSE_STATUSES, type BusinessHoursSpec, type SlaClockState, type SlaTargets } from './sla';
import type { TicketStatus } from './tickets';

/**
 * SLA clock math, shared by the server (which keeps the clocks) and anyone who shows
 * them. Business hours are wall-clock intervals in the schedule's time zone, so a
 * daylight-saving change moves them with the local clock, as a team's shifts move.
 */

const MINUTE = 60_000;
/** How far ahead the math looks for open time: two years of closed days is a broken schedule. */
const MAX_DAYS = 740;

interface LocalDay {
  year: number;
  month: number;
  date: number;
  weekday: number;
  key: string;
}

function localDay(at: Date, zone: string): LocalDay {
  const local = new TZDate(at.getTime(), zone);
  const year = local.getFullYear();
  const month = local.getMonth();
  const date = local.getDate();
  const key = `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  return { year, month, date, weekday: local.getDay(), key };
}

const wallClock = (day: LocalDay, time: string, zone: string) =>
  new Date(new TZDate(day.year, day.month, day.date, Number(time.slice(0, 2)), Number(time.slice(3, 5)), zone).getTime());

const nextDayStart = (day: LocalDay, zone: string) => new Date(new TZDate(day.year, day.month, day.date + 1, 0, 0, zone).getTime());

/** The day's open intervals as instants, sorted and merged. */
function openIntervals(day: LocalDay, hours: BusinessHoursSpec): [number, number][] {
  if (hours.holidays.includes(day.key)) return [];
  const intervals = hours.intervals
    .filter((interval) => interval.day === day.weekday)
    .map((interval): [number, number] => [wallClock(day, interval.start, hours.timezone).getTime(), wallClock(day, interval.end, hours.timezone).getTime()])
    .filter(([open, close]) => close > open)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([...interval]);
  }
  return merged;
}

/** The instant `minutes` of working time after `start` (calendar time without a schedule). */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHoursSpec | null): Date {
  if (!hours) return new Date(start.getTime() + minutes * MINUTE);
  let remaining = Math.max(0, minutes) * MINUTE;
  let cursor = start.getTime();
  for (let days = 0; days < MAX_DAYS; days++) {
    const day = localDay(new Date(cursor), hours.timezone);
    for (const [open, close] of openIntervals(day, hours)) {
      if (close <= cursor) continue;
      const from = Math.max(open, cursor);
      if (remaining <= close - from) return new Date(from + remaining);
      remaining -= close - from;
    }
    cursor = nextDayStart(day, hours.timezone).getTime();
  }
  throw new Error('the business hours have no open time in the next two years');
}

/** Working minutes between two instants (calendar minutes without a schedule); 0 when `to` is not after `from`. */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHoursSpec | null): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!hours) return (to.getTime() - from.getTime()) / MINUTE;
  let total = 0;
  let cursor = from.getTime();
  for (let days = 0; days < MAX_DAYS && cursor < to.getTime(); days++) {
    const day = localDay(new Date(cursor), hours.timezone);
    for (const [open, close] of openIntervals(day, hours)) {
      const start = Math.max(open, cursor);
      const end = Math.min(close, to.getTime());
      if (end > start) total += end - start;
    }
    cursor = nextDayStart(day, hours.timezone).getTime();
  }
  return total / MINUTE;
}

/** Whether the team is on shift at `at` (always, without a schedule). */
export function isWithinBusinessHours(at: Date, hours: BusinessHoursSpec | null): boolean {
  if (!hours) return true;
  const day = localDay(at, hours.timezone);
  return openIntervals(day, hours).some(([open, close]) => at.getTime() >= open && at.getTime() < close);
}

/** One clock as the server keeps it (dates as Date). */
export interface SlaClockValue {
  state: SlaClockState;
  targetMinutes: number;
  startedAt: Date;
  dueAt: Date;
  remainingMinutes: number | null;
  completedAt: Date | null;
  breachedAt: Date | null;
}

export interface SlaClocksValue {
  firstResponse: SlaClockValue | null;
  nextResponse: SlaClockValue | null;
  resolution: SlaClockValue | null;
}

const round = (minutes: number) => Math.round(minutes * 100) / 100;

export function startClock(at: Date, targetMinutes: number, hours: BusinessHoursSpec | null): SlaClockValue {
  return { state: 'running', targetMinutes, startedAt: at, dueAt: addBusinessMinutes(at, targetMinutes, hours), remainingMinutes: null, completedAt: null, breachedAt: null };
}

/** A running clock whose due time has passed is breached, at its due time. */
export function breachIfDue(clock: SlaClockValue, now: Date): SlaClockValue {
  if (clock.state !== 'running' || clock.dueAt.getTime() > now.getTime()) return clock;
  return { ...clock, state: 'breached', breachedAt: clock.dueAt };
}

/** The owed thing was done at `at`: met in time, or breached (and now done). */
export function completeClock(clock: SlaClockValue, at: Date, hours: BusinessHoursSpec | null): SlaClockValue {
  if (clock.state === 'met' || clock.state === 'cancelled' || clock.completedAt) return clock;
  if (clock.state === 'paused') return { ...clock, state: 'met', completedAt: at };
  const late = at.getTime() > clock.dueAt.getTime();
  return {
    ...clock,
    state: late ? 'breached' : 'met',
    breachedAt: late ? (clock.breachedAt ?? clock.dueAt) : null,
    completedAt: at,
    remainingMinutes: late ? 0 : round(businessMinutesBetween(at, clock.dueAt, hours)),
  };
}

export function cancelClock(clock: SlaClockValue, at: Date): SlaClockValue {
  if (clock.state !== 'running' && clock.state !== 'paused') return clock;
  return { ...clock, state: 'cancelled', completedAt: at };
}

export function pauseClock(clock: SlaClockValue, at: Date, hours: BusinessHoursSpec | null): SlaClockValue {
  const current = breachIfDue(clock, at);
  if (current.state !== 'running') return current;
  return { ...current, state: 'paused', remainingMinutes: round(businessMinutesBetween(at, current.dueAt, hours)) };
}

/** Runs a paused clock again, or a completed one whose work turned out unfinished (a reopened ticket). */
export function resumeClock(clock: SlaClockValue, at: Date, hours: BusinessHoursSpec | null): SlaClockValue {
  if (clock.state === 'running' || clock.state === 'cancelled') return clock;
  if (clock.state === 'breached') return { ...clock, completedAt: null };
  const remaining = clock.remainingMinutes ?? 0;
  return breachIfDue({ ...clock, state: 'running', dueAt: addBusinessMinutes(at, remaining, hours), remainingMinutes: null, completedAt: null }, at);
}

/** A new target for a running clock (the priority changed): the time already used counts against it. */
export function retargetClock(clock: SlaClockValue, targetMinutes: number, at: Date, hours: BusinessHoursSpec | null): SlaClockValue {
  if (clock.targetMinutes === targetMinutes || (clock.state !== 'running' && clock.state !== 'paused')) return clock;
  const left = clock.state === 'paused' ? (clock.remainingMinutes ?? 0) : businessMinutesBetween(at, clock.dueAt, hours);
  const remaining = Math.max(0, targetMinutes - (clock.targetMinutes - left));
  if (clock.state === 'paused') return { ...clock, targetMinutes, remainingMinutes: round(remaining) };
  return breachIfDue({ ...clock, targetMinutes, dueAt: addBusinessMinutes(at, remaining, hours) }, at);
}

export interface SlaContext {
  targets: SlaTargets;
  hours: BusinessHoursSpec | null;
  /** The statuses that pause the resolution clock (the policy's); absent: pending and on hold. */
  pauseStatuses?: readonly TicketStatus[];
}

/** Still owed to the customer: counting, paused, or past due and not yet done. */
const owed = (clock: SlaClockValue | null): boolean =>
  clock !== null && (clock.state === 'running' || clock.state === 'paused' || (clock.state === 'breached' && clock.completedAt === null));
const finished = (status: TicketStatus) => status === 'solved' || status === 'closed';

/** A ticket opened at `at` (as `new`): the first response and the resolution are owed; the resolution waits if `new` pauses it. */
export function clocksForNewTicket(at: Date, { targets, hours, pauseStatuses = DEFAULT_PAUSE_STATUSES }: SlaContext): SlaClocksValue {
  const resolution = targets.resolutionMinutes ? startClock(at, targets.resolutionMinutes, hours) : null;
  return {
    firstResponse: targets.firstResponseMinutes ? startClock(at, targets.firstResponseMinutes, hours) : null,
    nextResponse: null,
    resolution: resolution && pauseStatuses.includes('new') ? pauseClock(resolution, at, hours) : resolution,
  };
}

/** The customer wrote again: once they have had a first answer, the next one is owed. */
export function clocksOnCustomerMessage(clocks: SlaClocksValue, at: Date, { targets, hours }: SlaContext): SlaClocksValue {
  if (owed(clocks.firstResponse) || owed(clocks.nextResponse) || !targets.nextResponseMinutes) return clocks;
  // A message written before our last answer (delivered late) owes nothing new from before that answer.
  const answered = Math.max(clocks.firstResponse?.completedAt?.getTime() ?? 0, clocks.nextResponse?.completedAt?.getTime() ?? 0);
  return { ...clocks, nextResponse: startClock(new Date(Math.max(at.getTime(), answered)), targets.nextResponseMinutes, hours) };
}

/** An agent answered the customer (a public or private reply, not a note) at `at`, the time it was written. */
export function clocksOnAgentReply(clocks: SlaClocksValue, at: Date, hours: BusinessHoursSpec | null): SlaClocksValue {
  return {
    ...clocks,
    firstResponse: clocks.firstResponse && owed(clocks.firstResponse) ? completeClock(clocks.firstResponse, at, hours) : clocks.firstResponse,
    nextResponse: clocks.nextResponse && owed(clocks.nextResponse) ? completeClock(clocks.nextResponse, at, hours) : clocks.nextResponse,
  };
}

/**
 * Status moves pause, resume, end or reopen the resolution clock; solving ends what was still owed.
 * `pauseStatuses` are those of the ticket's policy (by default pending and on hold: waiting on the customer).
 */
export function clocksOnStatusChange(
  clocks: SlaClocksValue,
  from: TicketStatus,
  to: TicketStatus,
  at: Date,
  hours: BusinessHoursSpec | null,
  pauseStatuses: readonly TicketStatus[] = DEFAULT_PAUSE_STATUSES,
): SlaClocksValue {
  if (from === to) return clocks;
  const pauses = (status: TicketStatus) => pauseStatuses.includes(status);
  const { resolution } = clocks;
  if (finished(to)) {
    return {
      firstResponse: clocks.firstResponse && cancelClock(clocks.firstResponse, at),
      nextResponse: clocks.nextResponse && cancelClock(clocks.nextResponse, at),
      resolution: resolution && owed(resolution) ? completeClock(resolution, at, hours) : resolution,
    };
  }
  // Reopened after a solve: the resolution is owed again (and waits at once if the new status pauses it).
  const reopened = resolution && finished(from) ? resumeClock(resolution, at, hours) : resolution;
  if (pauses(to)) return { ...clocks, resolution: reopened && pauseClock(reopened, at, hours) };
  if (pauses(from)) return { ...clocks, resolution: reopened && resumeClock(reopened, at, hours) };
  return reopened === resolution ? clocks : { ...clocks, resolution: reopened };
}

/** The priority changed: running clocks take the new targets, counting the time already used. */
export function clocksOnRetarget(clocks: SlaClocksValue, at: Date, { targets, hours }: SlaContext): SlaClocksValue {
  const retarget = (clock: SlaClockValue | null, minutes: number | null) => (clock && minutes ? retargetClock(clock, minutes, at, hours) : clock);
  return {
    firstResponse: retarget(clocks.firstResponse, targets.firstResponseMinutes),
    nextResponse: retarget(clocks.nextResponse, targets.nextResponseMinutes),
    resolution: retarget(clocks.resolution, targets.resolutionMinutes),
  };
}

/**
 * The bot took the conversation and its replies are not first responses (the policy's
 * countBotReplies is off): the response clocks wait while it holds the conversation.
 */
export function clocksWhileBotHolds(clocks: SlaClocksValue, at: Date, hours: BusinessHoursSpec | null): SlaClocksValue {
  return {
    ...clocks,
    firstResponse: clocks.firstResponse && pauseClock(clocks.firstResponse, at, hours),
    nextResponse: clocks.nextResponse && pauseClock(clocks.nextResponse, at, hours),
  };
}

/** The bot handed over a conversation it held: the people's response clock starts now, with its whole target. */
export function clocksOnHandoff(clocks: SlaClocksValue, at: Date, { targets, hours }: SlaContext): SlaClocksValue {
  const restart = (clock: SlaClockValue | null, minutes: number | null) => (clock && clock.state === 'paused' && minutes ? startClock(at, minutes, hours) : clock);
  return { ...clocks, firstResponse: restart(clocks.firstResponse, targets.firstResponseMinutes), nextResponse: restart(clocks.nextResponse, targets.nextResponseMinutes) };
}

/** When the team is next on shift: `at` itself when open, null without a schedule (always open). */
export function nextOpeningAfter(at: Date, hours: BusinessHoursSpec | null): Date | null {
  if (!hours) return null;
  return addBusinessMinutes(at, 0, hours);
}

/** Marks every running clock past due as breached. */
export function clocksBreachedBy(clocks: SlaClocksValue, now: Date): SlaClocksValue {
  return {
    firstResponse: clocks.firstResponse && breachIfDue(clocks.firstResponse, now),
    nextResponse: clocks.nextResponse && breachIfDue(clocks.nextResponse, now),
    resolution: clocks.resolution && breachIfDue(clocks.resolution, now),
  };
}

/** The earliest due time among the clocks `counts` keeps, or null. */
function earliestDue(clocks: SlaClocksValue, counts: (clock: SlaClockValue) => boolean): Date | null {
  const due = [clocks.firstResponse, clocks.nextResponse, clocks.resolution]
    .filter((clock): clock is SlaClockValue => clock !== null && counts(clock))
    .map((clock) => clock.dueAt.getTime());
  return due.length > 0 ? new Date(Math.min(...due)) : null;
}

/**
 * The earliest due time of what is still owed, a missed target included (its due time has
 * passed): the order "SLA due soonest" puts tickets in, the most overdue first.
 */
export const earliestOwedDueAt = (clocks: SlaClocksValue): Date | null => earliestDue(clocks, (clock) => owed(clock) && clock.state !== 'paused');

/** The earliest due time of a running clock, or null: when the next breach can happen. */
export const nextDueAt = (clocks: SlaClocksValue): Date | null => earliestDue(clocks, (clock) => clock.state === 'running');

/**
 * When a running clock warns: after `share` of its span from startedAt to dueAt. The span is
 * the clock's own, so business hours count as they did for dueAt (closed hours inside the span
 * count too: a warning at 75% of an overnight span may come before the team's morning), and a
 * pause or retarget moves it with dueAt. The simplest rule that never warns after the breach.
 */
export function warnAtOf(clock: Pick<SlaClockValue, 'startedAt' | 'dueAt'>, share: number): Date {
  const start = clock.startedAt.getTime();
  const span = Math.max(0, clock.dueAt.getTime() - start);
  return new Date(start + Math.floor(span * share));
}

/** The earliest warning time of a running clock that is after `after` (all of them without it), or null. */
export function nextWarnAt(clocks: SlaClocksValue, share: number, after = -Infinity): Date | null {
  const times = [clocks.firstResponse, clocks.nextResponse, clocks.resolution]
    .filter((clock): clock is SlaClockValue => clock !== null && clock.state === 'running')
    .map((clock) => warnAtOf(clock, share).getTime())
    .filter((at) => at > after);
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}
