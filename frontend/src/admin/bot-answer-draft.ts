import { BOT_DEFAULT_LANGUAGE, botLanguages, type BotAnswer, type BotAnswerInput, type BotAnswerVisibility, type BotLanguage } from '@parley/common';

/**
 * An entry as the editor holds it: question rows per language (each with a key the screen
 * keeps across edits) and one answer text per language. The input it sends lists the rows
 * language by language, so a server error on `questions.N` names the Nth row on screen.
 */
export interface QuestionRow {
  key: number;
  language: BotLanguage;
  text: string;
}

export interface BotAnswerDraft {
  id?: string;
  intent: string;
  questions: QuestionRow[];
  answers: Record<BotLanguage, string>;
  visibility: BotAnswerVisibility;
  active: boolean;
}

let nextKey = 1;
export const newRow = (language: BotLanguage, text = ''): QuestionRow => ({ key: nextKey++, language, text });

export const emptyDraft = (): BotAnswerDraft => ({
  intent: '',
  questions: [newRow(BOT_DEFAULT_LANGUAGE)],
  answers: { en: '', es: '', fr: '' },
  visibility: 'both',
  active: true,
});

export function draftOf(entry: BotAnswer): BotAnswerDraft {
  const answers = { en: '', es: '', fr: '' };
  for (const answer of entry.answers) answers[answer.language] = answer.text;
  return { id: entry.id, intent: entry.intent, questions: entry.questions.map((question) => newRow(question.language, question.text)), answers, visibility: entry.visibility, active: entry.active };
}

/** The rows in the order the input lists them: language by language. */
export const orderedRows = (draft: BotAnswerDraft): QuestionRow[] => botLanguages.flatMap((language) => draft.questions.filter((row) => row.language === language));

/** The languages of the answers the input sends, in its order: those written (the server requires the default's). */
export const sentAnswerLanguages = (draft: BotAnswerDraft): BotLanguage[] => botLanguages.filter((language) => draft.answers[language].trim() !== '');

/** The input for the API. Empty question rows are sent as they are, so the server names the one to fill in. */
export function inputOf(draft: BotAnswerDraft): BotAnswerInput {
  return {
    intent: draft.intent.trim(),
    questions: orderedRows(draft).map(({ language, text }) => ({ language, text })),
    answers: sentAnswerLanguages(draft).map((language) => ({ language, text: draft.answers[language] })),
    visibility: draft.visibility,
    active: draft.active,
  };
}

/** The languages an entry covers (with a question or an answer in it). */
export const languagesOf = (entry: BotAnswer): BotLanguage[] => botLanguages.filter((language) => entry.questions.some((question) => question.language === language) || entry.answers.some((answer) => answer.language === language));
