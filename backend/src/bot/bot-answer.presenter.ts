import type { BotAnswer as BotAnswerShape } from '@parley/common';
import type { BotAnswerDoc } from './bot-answer.model';

export function presentBotAnswer(doc: BotAnswerDoc): BotAnswerShape {
  return {
    id: doc._id.toHexString(),
    intent: doc.intent,
    questions: doc.questions.map(({ language, text }) => ({ language, text })),
    answers: doc.answers.map(({ language, text }) => ({ language, text })),
    visibility: doc.visibility,
    active: doc.active,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
