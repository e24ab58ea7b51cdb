import { influenceTierOf } from './influence';

describe('influence tiers', () => {
  it('follow the largest reach among a contact\'s identities', () => {
    expect(influenceTierOf([{ followers: 24_500_000 }])).toBe('celebrity');
    expect(influenceTierOf([{ followers: 999_999 }, { followers: 120 }])).toBe('high');
    expect(influenceTierOf([{ followers: 10_000 }])).toBe('notable');
    expect(influenceTierOf([{ followers: 9_999 }, {}])).toBe('standard');
    expect(influenceTierOf([])).toBe('standard');
  });

  it('makes a verified account at least notable, and the brand\'s VIP list wins', () => {
    expect(influenceTierOf([{ followers: 12, verified: true }])).toBe('notable');
    expect(influenceTierOf([{ followers: 2_000_000, verified: true }])).toBe('celebrity');
    expect(influenceTierOf([{ followers: 3 }], { vip: true })).toBe('vip');
  });
});
