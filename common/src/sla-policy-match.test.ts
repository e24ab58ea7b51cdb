import { firstMatchingPolicy, policyMatches, type OrderedSlaPolicy, type SlaMatchSubject } from './sla-policy-match';

const channel = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const otherChannel = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const team = 'cccccccccccccccccccccccc';
const mention: SlaMatchSubject = { channelId: channel, origin: 'public', teamId: team, influenceTier: 'vip' };

let created = 0;
const policy = (name: string, fields: Partial<OrderedSlaPolicy> = {}) => ({ name, active: true, order: 0, createdAt: new Date(Date.UTC(2026, 0, 1, 0, created++)), ...fields });

describe('SLA policy conditions', () => {
  it('match everything without conditions, as an older policy without the fields does', () => {
    expect(policyMatches({}, mention)).toBe(true);
    expect(policyMatches({ channelIds: [], origins: [], teamIds: [], influenceTiers: [] }, mention)).toBe(true);
  });

  it('need every kind to hold, and any value within a kind', () => {
    expect(policyMatches({ channelIds: [otherChannel, channel], influenceTiers: ['celebrity', 'vip'] }, mention)).toBe(true);
    expect(policyMatches({ channelIds: [channel], origins: ['private'] }, mention)).toBe(false);
    expect(policyMatches({ teamIds: [team] }, { ...mention, teamId: null })).toBe(false);
    expect(policyMatches({ influenceTiers: ['high'] }, mention)).toBe(false);
  });
});

describe('the first matching policy', () => {
  it('is the first active one in order whose conditions match; the unconditioned one last is the default', () => {
    const fallback = policy('Default', { order: 10 });
    const vip = policy('VIP public', { order: 1, origins: ['public'], influenceTiers: ['vip'] });
    const off = policy('Switched off', { order: 0, active: false });
    const policies = [fallback, vip, off];
    expect(firstMatchingPolicy(policies, mention)?.name).toBe('VIP public');
    expect(firstMatchingPolicy(policies, { ...mention, origin: 'private' })?.name).toBe('Default');
    expect(policies.map((candidate) => candidate.name)).toEqual(['Default', 'VIP public', 'Switched off']);
  });

  it('breaks equal orders by age, puts unordered policies last, and finds none when nothing matches', () => {
    const older = policy('Older', { order: 2 });
    const newer = policy('Newer', { order: 2 });
    const unordered = policy('Unordered', { order: undefined });
    expect(firstMatchingPolicy([newer, older], mention)?.name).toBe('Older');
    expect(firstMatchingPolicy([unordered, newer], mention)?.name).toBe('Newer');
    expect(firstMatchingPolicy([policy('Elsewhere', { channelIds: [otherChannel] })], mention)).toBeUndefined();
  });
});
