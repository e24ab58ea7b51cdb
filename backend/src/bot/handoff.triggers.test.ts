import { HANDOFF_PAYLOAD } from '@parley/common';
import { asksForPerson, handoffReasonOf, isClearlyNegative, isHighProfile, LONG_MESSAGE_CHARACTERS, misunderstoodTooOften, NEGATIVE_SENTIMENT_THRESHOLD } from './handoff.triggers';

const calm = { said: 'hello', value: undefined, sentiment: null, vip: false, followers: 10, handoffReach: 100_000 };

describe('asking for a person', () => {
  it.each([
    'I want to talk to an agent',
    'HUMAN please',
    'can I speak to a real person?',
    'quiero hablar con una persona',
    'Necesito un agente humano',
    'hablar con alguien, por favor',
    'Je veux parler à un conseiller',
    'un humain svp',
    'Je voudrais parler à quelqu’un',
    'une personne, pas un robot',
    'Conseillère ?',
  ])('hears "%s"', (text) => expect(asksForPerson(text, undefined)).toBe(true));

  it.each(['agentic workflows are cool', 'for the good of humanity', 'my personal data', 'personne ne répond', 'a humanoid robot', 'the agency'])('is not fooled by "%s"', (text) =>
    expect(asksForPerson(text, undefined)).toBe(false),
  );

  it('hears the quick reply, as a payload or as text', () => {
    expect(asksForPerson('', HANDOFF_PAYLOAD)).toBe(true);
    expect(asksForPerson(HANDOFF_PAYLOAD, undefined)).toBe(true);
  });
});

describe('the other triggers', () => {
  it('finds clearly negative only under the threshold and labelled negative', () => {
    expect(isClearlyNegative({ label: 'negative', score: NEGATIVE_SENTIMENT_THRESHOLD })).toBe(true);
    expect(isClearlyNegative({ label: 'negative', score: -0.3 })).toBe(false);
    expect(isClearlyNegative({ label: 'neutral', score: -0.9 })).toBe(false);
    expect(isClearlyNegative(null)).toBe(false);
  });

  it('finds a VIP on the list or at the reach threshold', () => {
    expect(isHighProfile({ vip: true, followers: 0, handoffReach: 100 })).toBe(true);
    expect(isHighProfile({ vip: false, followers: 100, handoffReach: 100 })).toBe(true);
    expect(isHighProfile({ vip: false, followers: 99, handoffReach: 100 })).toBe(false);
  });

  it('hands over after two misunderstandings in a row', () => {
    expect(misunderstoodTooOften(1)).toBe(false);
    expect(misunderstoodTooOften(2)).toBe(true);
  });

  it('ranks an explicit request first, then who the customer is, then mood, then length', () => {
    const angry = { label: 'negative' as const, score: -0.9 };
    expect(handoffReasonOf(calm)).toBeNull();
    expect(handoffReasonOf({ ...calm, said: 'agent!', vip: true, sentiment: angry })).toBe('customer_asked');
    expect(handoffReasonOf({ ...calm, followers: 200_000, sentiment: angry })).toBe('vip');
    expect(handoffReasonOf({ ...calm, sentiment: angry })).toBe('negative_sentiment');
    expect(handoffReasonOf({ ...calm, said: 'a'.repeat(LONG_MESSAGE_CHARACTERS) })).toBe('not_understood');
  });
});
