import { localDateOf, reportWindow, weekOf } from './report.periods';

describe('report windows', () => {
  it('gives the last Sunday of October in Paris its 25 hours', () => {
    const window = reportWindow('2024-10-27', '2024-10-27', 'Europe/Paris');
    expect(window.start.toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(window.end.toISOString()).toBe('2024-10-27T23:00:00.000Z');
    expect(window.utcDays).toEqual(['2024-10-26', '2024-10-27']);
    expect(window.approximate).toBe(false);
  });

  it('gives the last Sunday of March in Paris its 23 hours', () => {
    const window = reportWindow('2024-03-31', '2024-03-31', 'Europe/Paris');
    expect((window.end.getTime() - window.start.getTime()) / 3_600_000).toBe(23);
  });

  it('says when the zone splits hours between days', () => {
    expect(reportWindow('2024-10-01', '2024-10-31', 'Asia/Kolkata').approximate).toBe(true);
    expect(reportWindow('2024-10-01', '2024-10-31', 'America/New_York').localDays).toHaveLength(31);
  });

  it('reads local dates and weeks', () => {
    expect(localDateOf(new Date('2024-10-26T22:30:00Z'), 'Europe/Paris')).toBe('2024-10-27');
    expect(localDateOf(new Date('2024-10-26T22:30:00Z'), 'UTC')).toBe('2024-10-26');
    expect(weekOf('2024-10-27')).toBe('2024-10-21');
    expect(weekOf('2024-10-28')).toBe('2024-10-28');
  });
});
