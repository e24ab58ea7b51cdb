import type { BotAnswer } from '@parley/common';
import { draftOf, emptyDraft, inputOf, languagesOf, newRow, orderedRows, sentAnswerLanguages } from './bot-answer-draft';

const entry: BotAnswer = {
  id: 'a1',
  intent: 'refunds',
  questions: [
    { language: 'fr', text: 'Remboursement ?' },
    { language: 'en', text: 'Refund?' },
    { language: 'en', text: 'Money back?' },
  ],
  answers: [{ language: 'en', text: 'Seven days.' }],
  visibility: 'private',
  active: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('the bot answer draft', () => {
  it('sends the question rows language by language, so the server’s questions.N is the Nth row on screen', () => {
    const draft = draftOf(entry);
    draft.questions.push(newRow('es', '  '));
    const input = inputOf(draft);
    expect(input.questions).toEqual([
      { language: 'en', text: 'Refund?' },
      { language: 'en', text: 'Money back?' },
      { language: 'es', text: '  ' },
      { language: 'fr', text: 'Remboursement ?' },
    ]);
    expect(orderedRows(draft).map((row) => row.text)).toEqual(input.questions.map((question) => question.text));
    expect(input).toMatchObject({ intent: 'refunds', visibility: 'private', active: false, answers: [{ language: 'en', text: 'Seven days.' }] });
  });

  it('sends only the answers written, and says in which order', () => {
    const draft = { ...emptyDraft(), answers: { en: '', es: 'Siete días.', fr: 'Sept jours.' } };
    expect(sentAnswerLanguages(draft)).toEqual(['es', 'fr']);
    expect(inputOf(draft).answers).toEqual([
      { language: 'es', text: 'Siete días.' },
      { language: 'fr', text: 'Sept jours.' },
    ]);
  });

  it('lists the languages an entry covers', () => {
    expect(languagesOf(entry)).toEqual(['en', 'fr']);
  });
});
