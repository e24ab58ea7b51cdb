import type { BotLanguage } from '@parley/common';

/**
 * The knowledge-base matcher's interface as the bot uses it (answers.matcher.ts implements it).
 * A copy, so the bot compiles on its own; the integrator keeps one of the two.
 */
export interface AnswerMatch {
  answerId: string;
  intent: string;
  text: string;
  language: BotLanguage;
  confidence: number;
}

export interface AnswerMatcher {
  match(text: string, language: string | null, visibility: 'public' | 'private'): Promise<AnswerMatch | null>;
}
