import { DURATION_BUCKET_EDGES, bucketQuantile, durationBucket, reportRangeProblem } from './reports';

describe('duration buckets', () => {
  it('puts a duration in the bucket whose edges hold it', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(0.5)).toBe(0);
    expect(durationBucket(1)).toBe(1);
    expect(durationBucket(59.9)).toBe(DURATION_BUCKET_EDGES.indexOf(45));
    expect(durationBucket(60)).toBe(DURATION_BUCKET_EDGES.indexOf(60));
    expect(durationBucket(1_000_000)).toBe(DURATION_BUCKET_EDGES.length - 1);
  });

  it('interpolates the median and p90 inside the bucket that holds them', () => {
    const buckets = new Array<number>(DURATION_BUCKET_EDGES.length).fill(0);
    // Ten durations: 5 in [10, 15), 4 in [30, 45), 1 in [60, 90).
    buckets[DURATION_BUCKET_EDGES.indexOf(10)] = 5;
    buckets[DURATION_BUCKET_EDGES.indexOf(30)] = 4;
    buckets[DURATION_BUCKET_EDGES.indexOf(60)] = 1;
    const median = bucketQuantile(buckets, 0.5) ?? NaN;
    expect(median).toBeGreaterThanOrEqual(10);
    expect(median).toBeLessThan(15);
    const p90 = bucketQuantile(buckets, 0.9) ?? NaN;
    expect(p90).toBeGreaterThanOrEqual(30);
    expect(p90).toBeLessThan(45);
    expect(bucketQuantile(buckets, 1)).toBe(75);
  });

  it('answers null without durations and the lower edge of the open last bucket', () => {
    expect(bucketQuantile([], 0.5)).toBeNull();
    const buckets = new Array<number>(DURATION_BUCKET_EDGES.length).fill(0);
    buckets[DURATION_BUCKET_EDGES.length - 1] = 3;
    expect(bucketQuantile(buckets, 0.5)).toBe(43200);
  });
});

describe('report ranges', () => {
  it('accepts a year and names the field of what is wrong', () => {
    expect(reportRangeProblem({ from: '2024-01-01', to: '2024-12-31', tz: 'Europe/Paris' })).toBeNull();
    expect(reportRangeProblem({ from: '2024-01-01', to: '2025-01-02', tz: 'UTC' })?.field).toBe('to');
    expect(reportRangeProblem({ from: '2024-02-01', to: '2024-01-31', tz: 'UTC' })).toEqual({ field: 'to', message: 'to is before from' });
    expect(reportRangeProblem({ from: '2024-01-01', to: '2024-01-31', tz: 'Mars/Olympus' })?.field).toBe('tz');
    expect(reportRangeProblem({ from: '2024-13-01', to: '2024-12-31', tz: 'UTC' })?.field).toBe('from');
  });
});
