import { Types } from 'mongoose';
import type { BotAnswerVisibility } from '@parley/common';
import { MATCH_THRESHOLD, matcherOver, type MatchableAnswer } from './answers.matcher';
import { demoBotAnswers } from './answers.seed';
import { offTopic, paraphrases } from '../test/bot-answer-cases';

const knowledgeBase: MatchableAnswer[] = demoBotAnswers.map((entry) => ({ ...entry, _id: new Types.ObjectId() }));
const matcher = matcherOver(knowledgeBase);

describe('the knowledge-base matcher', () => {
  it('finds the right entry for paraphrases in English, Spanish and French', () => {
    const results = paraphrases.map(([text, language, intent]) => ({ text, expected: intent, got: matcher.match(text, language, 'private') }));
    const wrong = results.filter((result) => result.got?.intent !== result.expected).map(({ text, expected, got }) => ({ text, expected, got: got?.intent ?? null, closest: matcher.closest(text, null, 'private') }));
    expect(wrong).toEqual([]);
  });

  it('answers nothing to greetings, emoji, references, off-topic or very long texts', () => {
    const matched = offTopic.map(([text, language]) => ({ text: text.slice(0, 60), match: matcher.match(text, language, 'private') })).filter((result) => result.match);
    expect(matched).toEqual([]);
  });

  it('stems each language: plurals and verb forms match their entry, accents or none', () => {
    for (const [text, language] of [
      ['refunds', 'en'],
      ['refund', 'en'],
      ['reembolsos', 'es'],
      ['reembolso', 'es'],
      ['remboursements', 'fr'],
      ['remboursement', 'fr'],
      ['REMBOURSÉ', 'fr'],
    ] as const) {
      expect(matcher.match(text, language, 'private')).toMatchObject({ intent: 'refunds', language });
    }
    expect(matcher.match('reservacion cancelada, como la cambio?', 'es', 'private')?.intent).toBe('booking-changes');
    expect(matcher.match('Réservation annulée', 'fr', 'private')?.intent).toBe(matcher.match('reservation annulee', 'fr', 'private')?.intent);
  });

  it('answers in the customer language, else in the language their words matched, else the default', () => {
    expect(matcher.match('where is my refund', 'en', 'public')).toMatchObject({ language: 'en', text: expect.stringContaining('Manage my booking') as unknown });
    expect(matcher.match('¿dónde está mi reembolso?', null, 'public')).toMatchObject({ intent: 'refunds', language: 'es', text: expect.stringContaining('Gestionar mi reserva') as unknown });
    const englishOnly = matcherOver([{ ...knowledgeBase[2]!, answers: [{ language: 'en', text: 'Refunds take 7 days.' }] }]);
    expect(englishOnly.match('¿cuándo llega mi reembolso?', 'es', 'private')).toMatchObject({ language: 'en', text: 'Refunds take 7 days.' });
  });

  it('reads only the customer language questions when it is known', () => {
    // "reembolso" is a Spanish word: asked as French, no French question shares it.
    expect(matcher.match('reembolso', 'fr', 'private')).toBeNull();
    expect(matcher.match('reembolso', 'pt', 'private')?.intent).toBe('refunds');
  });

  it('gives an entry only where its visibility allows, and never an inactive one', () => {
    const entry = (visibility: BotAnswerVisibility, active = true): MatchableAnswer => ({ ...knowledgeBase[2]!, _id: new Types.ObjectId(), visibility, active });
    expect(matcherOver([entry('private')]).match('refund please', 'en', 'public')).toBeNull();
    expect(matcherOver([entry('private')]).match('refund please', 'en', 'private')?.intent).toBe('refunds');
    expect(matcherOver([entry('public')]).match('refund please', 'en', 'private')).toBeNull();
    expect(matcherOver([entry('both')]).match('refund please', 'en', 'public')?.intent).toBe('refunds');
    expect(matcherOver([entry('both', false)]).match('refund please', 'en', 'public')).toBeNull();
    expect(matcherOver([]).match('refund please', 'en', 'public')).toBeNull();
  });

  it('reports a confidence between the threshold and 1 for a match, and the closest entry under it', () => {
    const exact = matcher.match('How do I get a refund?', 'en', 'private');
    expect(exact?.confidence).toBeGreaterThan(0.9);
    expect(exact?.confidence).toBeLessThanOrEqual(1);
    const weak = matcher.closest('my cat lost her collar at the airport', 'en', 'private');
    expect(weak?.confidence ?? 0).toBeLessThan(MATCH_THRESHOLD);
    expect(MATCH_THRESHOLD).toBeGreaterThan(0);
    expect(MATCH_THRESHOLD).toBeLessThan(1);
  });
});
