import { clocksForNewTicket, clocksOnStatusChange, nextWarnAt, pauseClock, resumeClock, startClock, warnAtOf } from './sla-clock';
import { slaPolicyInputSchema, slaPolicyUpdateSchema, type BusinessHoursSpec } from './sla';

const at = (iso: string) => new Date(iso);
const paris: BusinessHoursSpec = { timezone: 'Europe/Paris', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })), holidays: [] };
const targets = { firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: 480 };

describe('the warning time of a clock', () => {
  it('is the share of its span around the clock', () => {
    const clock = startClock(at('2026-11-30T09:00:00Z'), 60, null);
    expect(warnAtOf(clock, 0.75)).toEqual(at('2026-11-30T09:45:00Z'));
    expect(warnAtOf(clock, 0.5)).toEqual(at('2026-11-30T09:30:00Z'));
  });

  it('uses the business-hours span of the clock: the share of startedAt → dueAt as dueAt counted it', () => {
    // Friday 16:00 Paris (15:00Z) + 2 business hours: due Monday 10:00 Paris (09:00Z); the span holds the weekend.
    const clock = startClock(at('2026-11-27T15:00:00Z'), 120, paris);
    expect(clock.dueAt).toEqual(at('2026-11-30T09:00:00Z'));
    const span = clock.dueAt.getTime() - clock.startedAt.getTime();
    expect(warnAtOf(clock, 0.5).getTime()).toBe(clock.startedAt.getTime() + span / 2);
    expect(warnAtOf(clock, 0.99).getTime()).toBeLessThan(clock.dueAt.getTime());
  });

  it('moves with dueAt after a pause and a resume', () => {
    const clock = startClock(at('2026-11-30T09:00:00Z'), 60, null);
    const resumed = resumeClock(pauseClock(clock, at('2026-11-30T09:30:00Z'), null), at('2026-11-30T10:30:00Z'), null);
    expect(resumed.dueAt).toEqual(at('2026-11-30T11:00:00Z'));
    expect(warnAtOf(resumed, 0.75)).toEqual(at('2026-11-30T10:30:00Z'));
  });

  it('is the earliest of the running clocks, after a given instant when asked', () => {
    const clocks = clocksForNewTicket(at('2026-11-30T09:00:00Z'), { targets, hours: null });
    expect(nextWarnAt(clocks, 0.75)).toEqual(at('2026-11-30T09:45:00Z'));
    expect(nextWarnAt(clocks, 0.75, at('2026-11-30T09:45:00Z').getTime())).toEqual(at('2026-11-30T15:00:00Z'));
    const pending = clocksOnStatusChange(clocks, 'open', 'pending', at('2026-11-30T09:10:00Z'), null);
    expect(nextWarnAt({ ...pending, firstResponse: null }, 0.75)).toBeNull();
  });
});

describe('warning and escalation settings of a policy', () => {
  const policy = { name: 'Care', targets: { low: targets, normal: targets, high: targets, urgent: targets } };

  it('default to a warning at 75% and a notice at the breach', () => {
    expect(slaPolicyInputSchema.parse(policy)).toMatchObject({
      warnAtShare: 0.75,
      escalation: { notify: true, raisePriority: false, reassignTeamId: null, unassignAbsent: false },
    });
  });

  it('take a share strictly between 0 and 1', () => {
    for (const warnAtShare of [0, 1, 1.5, -0.2]) {
      const result = slaPolicyUpdateSchema.safeParse({ warnAtShare });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['warnAtShare']);
    }
    expect(slaPolicyUpdateSchema.parse({ warnAtShare: 0.5 })).toEqual({ warnAtShare: 0.5 });
  });
});
