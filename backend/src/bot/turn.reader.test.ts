import { DEFAULT_BOT_HANDOFF_REACH } from '@parley/common';
import { firstNameOf, readChannelData, replyLanguage, saidIn } from './turn.reader';

describe('reading a turn', () => {
  it('greets by a first name, never by a handle', () => {
    expect(firstNameOf('Ana García')).toBe('Ana');
    expect(firstNameOf('  Jean-Luc Picard ')).toBe('Jean-Luc');
    expect(firstNameOf('Zoë')).toBe('Zoë');
    for (const handle of ['@ana', 'ana_88', 'jsmith', 'travel.guy', 'User1', '🌸', '', undefined]) expect(firstNameOf(handle)).toBeNull();
  });

  it('falls back to cautious values for missing or malformed channel data', () => {
    expect(readChannelData(undefined)).toMatchObject({ visibility: 'private', vip: false, handoffReach: DEFAULT_BOT_HANDOFF_REACH, afterHours: false, quickReplies: false });
    expect(readChannelData({ visibility: 'public', followers: 'many', sentiment: { score: 5 } })).toMatchObject({ visibility: 'public', followers: 0, sentiment: null });
  });

  it('reads a tapped payload before the typed text, and keeps the conversation’s language when a message tells none', () => {
    expect(saidIn({ text: 'Talk to a person', value: 'HANDOFF_HUMAN' })).toBe('HANDOFF_HUMAN');
    expect(saidIn({ text: ' hi ' })).toBe('hi');
    expect(replyLanguage('fr', 'en')).toBe('fr');
    expect(replyLanguage('de', 'es')).toBe('es');
    expect(replyLanguage(null, null, null)).toBe('en');
  });
});
