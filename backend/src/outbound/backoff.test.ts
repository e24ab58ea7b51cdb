import { jitteredBackoff } from '../queue/queue.factory';

describe('the outbound retry backoff', () => {
  it('doubles from 2 s per attempt, capped at 5 minutes, spread ±50% by jitter', () => {
    expect([1, 2, 3, 4].map((attempt) => jitteredBackoff(attempt, () => 0.5))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(jitteredBackoff(30, () => 0.5)).toBe(300_000);
    expect(jitteredBackoff(3, () => 0)).toBe(4_000);
    expect(jitteredBackoff(3, () => 0.999)).toBeLessThan(12_000);
    const spread = new Set(Array.from({ length: 50 }, () => jitteredBackoff(5)));
    expect(spread.size).toBeGreaterThan(1);
    for (const delay of spread) expect(delay).toBeGreaterThanOrEqual(16_000);
  });
});
