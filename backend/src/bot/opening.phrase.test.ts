import { openingPhrase } from './opening.phrase';

// A Friday evening in Paris (22:00, UTC+1).
const now = new Date('2025-03-14T21:00:00Z');

describe('the next opening, as the customer reads it', () => {
  it('says today, tomorrow, a weekday or a date, with the time and the zone, in each language', () => {
    expect(openingPhrase('2025-03-14T22:30:00Z', now, 'Europe/Paris', 'en')).toBe('at 23:30 today (GMT+1)');
    expect(openingPhrase('2025-03-15T08:00:00Z', now, 'Europe/Paris', 'en')).toBe('at 09:00 tomorrow (GMT+1)');
    expect(openingPhrase('2025-03-17T08:00:00Z', now, 'Europe/Paris', 'es')).toBe('el lunes a las 09:00 (CET)');
    expect(openingPhrase('2025-03-17T08:00:00Z', now, 'Europe/Paris', 'fr')).toBe('lundi à 09:00 (UTC+1)');
    expect(openingPhrase('2025-03-28T08:00:00Z', now, 'Europe/Paris', 'fr')).toBe('vendredi 28 mars à 09:00 (UTC+1)');
  });

  it('counts days in the customer’s zone, not the server’s', () => {
    // 13:00 UTC on Saturday is 09:00 on Saturday in New York, where it is still Friday 17:00 now.
    expect(openingPhrase('2025-03-15T13:00:00Z', now, 'America/New_York', 'en')).toBe('at 09:00 tomorrow (EDT)');
    expect(openingPhrase('2025-03-15T00:00:00Z', now, 'Europe/Paris', 'es')).toBe('mañana a la 01:00 (CET)');
  });

  it('tells nothing without an opening, for a past or unreadable one, and falls back to UTC for an unknown zone', () => {
    expect(openingPhrase(null, now, 'Europe/Paris', 'en')).toBeNull();
    expect(openingPhrase('2025-03-14T08:00:00Z', now, 'Europe/Paris', 'en')).toBeNull();
    expect(openingPhrase('soon', now, 'Europe/Paris', 'en')).toBeNull();
    expect(openingPhrase('2025-03-15T08:00:00Z', now, 'Mars/Olympus', 'en')).toBe('at 08:00 tomorrow (UTC)');
  });
});
