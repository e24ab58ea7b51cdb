import type { Sentiment } from '@parley/common';
import { detectLanguage } from './language';
import { sentimentOf } from './sentiment';

export { detectLanguage } from './language';
export { sentimentOf } from './sentiment';

/** What triage reads from one inbound message's text. */
export interface TextAnalysis {
  /** ISO 639-1, or "und" when it cannot be told. */
  language: string;
  sentiment: Sentiment;
}

/**
 * Language, then sentiment in that language. Pure, synchronous and bounded (only the first
 * ANALYSED_CHARACTERS are read), so ingest can call it on every message.
 */
export function analyzeText(text: string): TextAnalysis {
  const language = detectLanguage(text);
  return { language, sentiment: sentimentOf(text, language) };
}
