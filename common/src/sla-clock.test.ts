import {
  addBusinessMinutes,
  businessMinutesBetween,
  clocksForNewTicket,
  clocksOnAgentReply,
  clocksOnCustomerMessage,
  clocksOnRetarget,
  clocksOnStatusChange,
  clocksBreachedBy,
  clocksOnHandoff,
  clocksWhileBotHolds,
  nextOpeningAfter,
  earliestOwedDueAt,
  isWithinBusinessHours,
  nextDueAt,
} from './sla-clock';
import { businessHoursInputSchema, slaPolicyInputSchema, slaPolicyUpdateSchema, type BusinessHoursSpec, type SlaTargets } from './sla';

const at = (iso: string) => new Date(iso);
const minutesLater = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** Monday to Friday, 09:00–17:00 in Paris; lunch is not a break here. */
const paris: BusinessHoursSpec = {
  timezone: 'Europe/Paris',
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: ['2026-12-25'],
};

describe('business-hours arithmetic', () => {
  it('counts calendar minutes without a schedule', () => {
    expect(addBusinessMinutes(at('2026-11-28T10:00:00Z'), 90, null).toISOString()).toBe('2026-11-28T11:30:00.000Z');
    expect(businessMinutesBetween(at('2026-11-28T10:00:00Z'), at('2026-11-28T11:30:00Z'), null)).toBe(90);
  });

  it('carries what is left of a day into the next open day, skipping the weekend', () => {
    // Friday 16:30 Paris (15:30 UTC in winter) + 60 business minutes → Monday 09:30 Paris.
    expect(addBusinessMinutes(at('2026-11-27T15:30:00Z'), 60, paris).toISOString()).toBe('2026-11-30T08:30:00.000Z');
  });

  it('starts counting at opening time when the message arrives at night', () => {
    // Tuesday 02:00 Paris + 30 minutes → Tuesday 09:30 Paris.
    expect(addBusinessMinutes(at('2026-12-01T01:00:00Z'), 30, paris).toISOString()).toBe('2026-12-01T08:30:00.000Z');
  });

  it('skips holidays', () => {
    // Thursday 24 December 16:00 Paris + 120 minutes: 60 that day, Christmas closed, then the weekend → Monday 28th 10:00.
    expect(addBusinessMinutes(at('2026-12-24T15:00:00Z'), 120, paris).toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });

  it('follows the local clock across a daylight-saving change', () => {
    // Friday 27 March 2026 16:00 Paris is 15:00 UTC (winter); Monday 30 March 10:00 Paris is 08:00 UTC (summer).
    expect(addBusinessMinutes(at('2026-03-27T15:00:00Z'), 120, paris).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('measures only open time between two instants', () => {
    // Friday 16:00 Paris to Monday 10:00 Paris: 60 + 60 minutes.
    expect(businessMinutesBetween(at('2026-11-27T15:00:00Z'), at('2026-11-30T09:00:00Z'), paris)).toBe(120);
    expect(businessMinutesBetween(at('2026-11-30T09:00:00Z'), at('2026-11-27T15:00:00Z'), paris)).toBe(0);
  });

  it('knows when the team is on shift', () => {
    expect(isWithinBusinessHours(at('2026-11-30T09:00:00Z'), paris)).toBe(true);
    expect(isWithinBusinessHours(at('2026-11-28T10:00:00Z'), paris)).toBe(false);
    expect(isWithinBusinessHours(at('2026-12-25T10:00:00Z'), paris)).toBe(false);
    expect(isWithinBusinessHours(at('2026-11-28T10:00:00Z'), null)).toBe(true);
  });

  it('merges overlapping intervals instead of counting them twice', () => {
    const overlapping: BusinessHoursSpec = { timezone: 'UTC', intervals: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '11:00', end: '13:00' }], holidays: [] };
    expect(businessMinutesBetween(at('2026-11-30T00:00:00Z'), at('2026-12-01T00:00:00Z'), overlapping)).toBe(240);
  });

  it('refuses a schedule that is never open', () => {
    const closed: BusinessHoursSpec = { timezone: 'UTC', intervals: [{ day: 1, start: '09:00', end: '17:00' }], holidays: [] };
    const everyMonday = Array.from({ length: 120 }, (_, week) => new Date(Date.UTC(2026, 10, 30 + week * 7)).toISOString().slice(0, 10));
    expect(() => addBusinessMinutes(at('2026-11-28T00:00:00Z'), 60, { ...closed, holidays: everyMonday })).toThrow(/no open time/);
  });
});

describe('schedule and policy input', () => {
  it('names the field of a bad schedule', () => {
    const result = businessHoursInputSchema.safeParse({ name: 'x', timezone: 'Mars/Olympus', intervals: [{ day: 1, start: '09:00', end: '08:00' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['timezone', 'intervals.0.end']);
  });

  it('refuses intervals that overlap on the same day, naming the later one, and accepts touching ones', () => {
    const hours = (intervals: Array<{ day: number; start: string; end: string }>) => businessHoursInputSchema.safeParse({ name: 'x', timezone: 'Europe/Paris', intervals });
    const overlapping = hours([{ day: 1, start: '13:00', end: '17:00' }, { day: 2, start: '09:00', end: '17:00' }, { day: 1, start: '09:00', end: '13:30' }]);
    expect(overlapping.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['intervals.2']);
    expect(hours([{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '12:00', end: '17:00' }, { day: 2, start: '10:00', end: '11:00' }]).success).toBe(true);
    expect(businessHoursInputSchema.safeParse({ name: 'x', timezone: '', intervals: [{ day: 1, start: '09:00', end: '17:00' }] }).error?.issues[0]?.path).toEqual(['timezone']);
  });

  it('refuses targets of zero or less minutes', () => {
    const policy = (minutes: number) => ({ name: 'x', targets: { low: { ...targets, firstResponseMinutes: minutes }, normal: targets, high: targets, urgent: targets } });
    for (const minutes of [0, -5, 1.5]) expect(slaPolicyInputSchema.safeParse(policy(minutes)).error?.issues[0]?.path.join('.')).toBe('targets.low.firstResponseMinutes');
    expect(slaPolicyInputSchema.safeParse(policy(1)).success).toBe(true);
  });

  it('takes pause statuses among the open ones only, pending and on hold by default', () => {
    const base = { name: 'x', targets: { low: targets, normal: targets, high: targets, urgent: targets } };
    expect(slaPolicyInputSchema.parse(base).pauseStatuses).toEqual(['pending', 'on_hold']);
    expect(slaPolicyInputSchema.parse({ ...base, pauseStatuses: ['pending', 'pending'] }).pauseStatuses).toEqual(['pending']);
    expect(slaPolicyInputSchema.safeParse({ ...base, pauseStatuses: ['pending', 'solved'] }).error?.issues[0]?.path).toEqual(['pauseStatuses', 1]);
    expect(slaPolicyInputSchema.safeParse({ ...base, pauseStatuses: ['closed'] }).success).toBe(false);
  });

  it('lets a PATCH change one field without resetting the others to defaults', () => {
    expect(slaPolicyUpdateSchema.parse({ name: 'Night shift' })).toEqual({ name: 'Night shift' });
  });
});

const targets: SlaTargets = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 };
const context = { targets, hours: null };
const opened = at('2026-11-30T09:00:00Z');

describe('a ticket\'s clocks', () => {
  it('owes a first response and a resolution from the moment the customer wrote', () => {
    const clocks = clocksForNewTicket(opened, context);
    expect(clocks.firstResponse).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 60) });
    expect(clocks.resolution).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 480) });
    expect(clocks.nextResponse).toBeNull();
    expect(nextDueAt(clocks)).toEqual(minutesLater(opened, 60));
  });

  it('stops the first response at the reply, then owes the next one when the customer writes again', () => {
    const replied = clocksOnAgentReply(clocksForNewTicket(opened, context), minutesLater(opened, 20), null);
    expect(replied.firstResponse).toMatchObject({ state: 'met', completedAt: minutesLater(opened, 20), remainingMinutes: 40 });
    const again = clocksOnCustomerMessage(replied, minutesLater(opened, 45), context);
    expect(again.nextResponse).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 75) });
    // A second customer message does not restart the clock already counting.
    expect(clocksOnCustomerMessage(again, minutesLater(opened, 50), context)).toBe(again);
    expect(clocksOnAgentReply(again, minutesLater(opened, 80), null).nextResponse).toMatchObject({ state: 'breached', breachedAt: minutesLater(opened, 75) });
  });

  it('does not owe a next response while the first is still owed', () => {
    const clocks = clocksForNewTicket(opened, context);
    expect(clocksOnCustomerMessage(clocks, minutesLater(opened, 5), context)).toBe(clocks);
  });

  it('marks a running clock breached at its due time, and a late reply still completes it', () => {
    const breached = clocksBreachedBy(clocksForNewTicket(opened, context), minutesLater(opened, 61));
    expect(breached.firstResponse).toMatchObject({ state: 'breached', breachedAt: minutesLater(opened, 60), completedAt: null });
    expect(nextDueAt(breached)).toEqual(minutesLater(opened, 480));
    // Still owed, the missed reply is what the ticket sorts by.
    expect(earliestOwedDueAt(breached)).toEqual(minutesLater(opened, 60));
    const late = clocksOnAgentReply(breached, minutesLater(opened, 90), null);
    expect(late.firstResponse).toMatchObject({ state: 'breached', completedAt: minutesLater(opened, 90) });
    expect(earliestOwedDueAt(late)).toEqual(minutesLater(opened, 480));
  });

  it('pauses the resolution while the ticket waits on the customer and resumes with the time that was left', () => {
    const clocks = clocksForNewTicket(opened, context);
    const pending = clocksOnStatusChange(clocks, 'open', 'pending', minutesLater(opened, 100), null);
    expect(pending.resolution).toMatchObject({ state: 'paused', remainingMinutes: 380 });
    expect(nextDueAt(pending)).toEqual(minutesLater(opened, 60));
    const resumed = clocksOnStatusChange(pending, 'pending', 'open', minutesLater(opened, 1_000), null);
    expect(resumed.resolution).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 1_380) });
  });

  it('pauses by the policy\'s statuses: on hold need not pause, and a policy may pause new tickets', () => {
    const clocks = clocksForNewTicket(opened, context);
    const onlyPending = ['pending'] as const;
    const onHold = clocksOnStatusChange(clocks, 'open', 'on_hold', minutesLater(opened, 100), null, onlyPending);
    expect(onHold.resolution).toBe(clocks.resolution);
    const pending = clocksOnStatusChange(onHold, 'on_hold', 'pending', minutesLater(opened, 200), null, onlyPending);
    expect(pending.resolution).toMatchObject({ state: 'paused', remainingMinutes: 280 });
    // Leaving pending for on hold leaves what pauses: the clock runs again with what it had left.
    const held = clocksOnStatusChange(pending, 'pending', 'on_hold', minutesLater(opened, 300), null, onlyPending);
    expect(held.resolution).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 580) });

    const waitsWhileNew = clocksForNewTicket(opened, { ...context, pauseStatuses: ['new', 'pending'] });
    expect(waitsWhileNew.resolution).toMatchObject({ state: 'paused', remainingMinutes: 480 });
    const taken = clocksOnStatusChange(waitsWhileNew, 'new', 'open', minutesLater(opened, 60), null, ['new', 'pending']);
    expect(taken.resolution).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 540) });
    // Reopened after a solve into a status that pauses: owed again, and waiting.
    const solved = clocksOnStatusChange(taken, 'open', 'solved', minutesLater(opened, 120), null, ['open']);
    const reopened = clocksOnStatusChange(solved, 'solved', 'open', minutesLater(opened, 600), null, ['open']);
    expect(reopened.resolution).toMatchObject({ state: 'paused', remainingMinutes: 420, completedAt: null });
  });

  it('ends the resolution on solve, cancels responses no longer owed, and reopens with the time left', () => {
    const clocks = clocksForNewTicket(opened, context);
    const solved = clocksOnStatusChange(clocks, 'open', 'solved', minutesLater(opened, 30), null);
    expect(solved.resolution).toMatchObject({ state: 'met', remainingMinutes: 450 });
    expect(solved.firstResponse).toMatchObject({ state: 'cancelled' });
    expect(nextDueAt(solved)).toBeNull();
    const reopened = clocksOnStatusChange(solved, 'solved', 'open', minutesLater(opened, 600), null);
    expect(reopened.resolution).toMatchObject({ state: 'running', dueAt: minutesLater(opened, 1_050), completedAt: null });
  });

  it('moves running clocks to the new priority\'s targets, counting the time already used', () => {
    const clocks = clocksForNewTicket(opened, context);
    const urgent = clocksOnRetarget(clocks, minutesLater(opened, 10), { targets: { firstResponseMinutes: 15, nextResponseMinutes: 10, resolutionMinutes: 120 }, hours: null });
    expect(urgent.firstResponse).toMatchObject({ state: 'running', targetMinutes: 15, dueAt: minutesLater(opened, 15) });
    expect(urgent.resolution).toMatchObject({ targetMinutes: 120, dueAt: minutesLater(opened, 120) });
    const tooLate = clocksOnRetarget(clocks, minutesLater(opened, 20), { targets: { firstResponseMinutes: 15, nextResponseMinutes: 10, resolutionMinutes: 120 }, hours: null });
    expect(tooLate.firstResponse).toMatchObject({ state: 'breached' });
  });

  it('counts business minutes with a schedule: a Friday-evening post is due on Monday morning', () => {
    const friday = at('2026-11-27T15:30:00Z');
    const clocks = clocksForNewTicket(friday, { targets, hours: paris });
    expect(clocks.firstResponse?.dueAt.toISOString()).toBe('2026-11-30T08:30:00.000Z');
  });
});

describe('the bot and the clocks', () => {
  it('waits while the bot holds the conversation and gives people their whole target from the hand-off', () => {
    const held = clocksWhileBotHolds(clocksForNewTicket(opened, context), minutesLater(opened, 1), null);
    expect(held.firstResponse).toMatchObject({ state: 'paused' });
    expect(nextDueAt(held)).toEqual(minutesLater(opened, 480));
    // Hours later, the bot hands over: 60 minutes from then, not from when the customer first wrote.
    const handedOff = clocksOnHandoff(held, minutesLater(opened, 300), context);
    expect(handedOff.firstResponse).toMatchObject({ state: 'running', startedAt: minutesLater(opened, 300), dueAt: minutesLater(opened, 360) });
    expect(clocksOnAgentReply(handedOff, minutesLater(opened, 320), null).firstResponse).toMatchObject({ state: 'met' });
  });

  it('leaves a first response the bot counted for (countBotReplies) as met at the hand-off', () => {
    const answered = clocksOnAgentReply(clocksForNewTicket(opened, context), minutesLater(opened, 1), null);
    expect(clocksOnHandoff(answered, minutesLater(opened, 30), context)).toEqual(answered);
  });

  it('tells when the team is next on shift', () => {
    // Saturday 23:00 Paris → Monday 09:00 Paris; Tuesday 10:00 Paris is open now; no schedule: always open.
    expect(nextOpeningAfter(at('2026-11-28T22:00:00Z'), paris)?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(nextOpeningAfter(at('2026-12-01T09:00:00Z'), paris)?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(nextOpeningAfter(at('2026-12-01T09:00:00Z'), null)).toBeNull();
  });
});
