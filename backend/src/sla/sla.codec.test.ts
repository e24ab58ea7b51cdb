import { Types } from 'mongoose';
import { clocksForNewTicket, clocksOnAgentReply } from '@parley/common';
import { encodeSla, slaOf } from './sla.codec';

describe('stored SLA clocks', () => {
  it('read back as they were written', () => {
    const opened = new Date('2026-11-30T09:00:00Z');
    const clocks = clocksOnAgentReply(clocksForNewTicket(opened, { targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 }, hours: null }), new Date('2026-11-30T09:20:00Z'), null);
    const sla = { policyId: new Types.ObjectId(), policyName: 'Social care', businessHoursId: null, ...clocks };
    expect(slaOf({ slaClocks: encodeSla(sla) })).toEqual(sla);
    const choosing = { ...sla, pauseStatuses: ['pending' as const] };
    expect(slaOf({ slaClocks: encodeSla(choosing) })).toEqual(choosing);
  });

  it('are none when absent or unreadable', () => {
    expect(slaOf({})).toBeUndefined();
    expect(slaOf({ slaClocks: '{"policyId": 42' })).toBeUndefined();
    expect(slaOf({ slaClocks: '{"policyId": "nope"}' })).toBeUndefined();
  });
});
