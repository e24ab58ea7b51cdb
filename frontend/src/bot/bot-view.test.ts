import { ApiError } from '../api/client';
import { botFieldOf, botSettingsOf, fieldMessage, periodWindow, reasonRows, recentHandoff, settingsFromDraft } from './bot-view';

const handoff = (at: string) => ({ at, reason: 'customer_asked' as const, summary: 'Asked for a person.', learnt: { intent: null, reference: null, email: null, language: null } });

describe('the bot screens', () => {
  it('spans today from local midnight, and 7 or 30 days back from now', () => {
    const now = new Date(2026, 11, 1, 15, 30);
    expect(periodWindow('today', now)).toEqual({ from: new Date(2026, 11, 1).toISOString(), to: now.toISOString() });
    expect(new Date(periodWindow('week', now).from).getTime()).toBe(now.getTime() - 7 * 86_400_000);
    expect(new Date(periodWindow('month', now).from).getTime()).toBe(now.getTime() - 30 * 86_400_000);
  });

  it('lists the hand-off reasons in the contract’s order, unknown ones last, none without a hand-off', () => {
    expect(reasonRows({ vip: 2, later_reason: 1, customer_asked: 5, bot_failed: 0 })).toEqual([
      ['customer_asked', 5],
      ['vip', 2],
      ['later_reason', 1],
    ]);
  });

  it('sends the whole bot setting: the edited fields, the rest as stored, empty fields left to their defaults', () => {
    const stored = botSettingsOf({ settings: { bot: { mode: 'after_hours', name: 'Old', handoffReach: 10, businessHoursId: 'a'.repeat(24) } } });
    expect(settingsFromDraft(stored, { mode: 'always_first', name: ' Acme helper ', brandName: '', reach: '' })).toEqual({ mode: 'always_first', name: 'Acme helper', businessHoursId: 'a'.repeat(24) });
    expect(settingsFromDraft(stored, { mode: 'off', name: '', brandName: 'Acme', reach: '5000' })).toEqual({ mode: 'off', brandName: 'Acme', handoffReach: 5000, businessHoursId: 'a'.repeat(24) });
    expect(botSettingsOf({ settings: {} })).toEqual({ mode: 'off' });
    expect(botSettingsOf({ settings: { bot: { mode: 'sometimes' } } })).toEqual({ mode: 'off' });
  });

  it('puts a refused value next to its field, without the field’s path', () => {
    const refused = new ApiError(400, 'invalid', 'settings.bot.handoffReach Too small: expected number to be >=0', 'settings.bot.handoffReach');
    expect(botFieldOf(refused)).toBe('handoffReach');
    expect(fieldMessage(refused)).toBe('Too small: expected number to be >=0');
    expect(botFieldOf(new ApiError(400, 'invalid', 'credentials.secret too short', 'credentials.secret'))).toBe('other');
    expect(botFieldOf(null)).toBeUndefined();
  });

  it('mentions a hand-off on the ticket row for a day, and only while people have the conversation', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(recentHandoff({ botState: 'handed_off', handoff: handoff('2026-12-01T08:00:00Z') }, now)?.reason).toBe('customer_asked');
    expect(recentHandoff({ botState: 'handed_off', handoff: handoff('2026-11-29T08:00:00Z') }, now)).toBeNull();
    expect(recentHandoff({ botState: 'active', handoff: handoff('2026-12-01T08:00:00Z') }, now)).toBeNull();
  });
});
