import { UNDETERMINED_LANGUAGE } from '@parley/common';
import { detectAll } from 'tinyld';
import { hasLetters, textForLanguage } from './text';

/**
 * Language of a message: tinyld (n-gram profiles, synchronous, CommonJS) on the author's prose,
 * with one correction for the three languages Parley analyses. On a few words tinyld's profiles
 * can all score near zero ("sois unos cracks" came out Italian at 0.03); then the function words
 * of English, Spanish and French decide, and only when they agree on one of them — a text in
 * any other language has none of these words, so it keeps tinyld's answer.
 */

/** The languages Parley reads sentiment in. */
export const CARE_LANGUAGES = ['en', 'es', 'fr'] as const;
export type CareLanguage = (typeof CARE_LANGUAGES)[number];
export const isCareLanguage = (language: string): language is CareLanguage => (CARE_LANGUAGES as readonly string[]).includes(language);

// Words frequent in one of the three and rare in the other two (and in Portuguese and Italian,
// the neighbours most often confused with Spanish and French): "la", "de", "no", "per" are not here.
const FUNCTION_WORDS: Record<CareLanguage, ReadonlySet<string>> = {
  en: new Set(['the', 'you', 'your', 'my', 'is', 'are', 'and', 'to', 'of', 'it', 'i', 'not', 'what', 'how', 'with', 'for', 'this', 'have', 'still', 'again', 'thanks', 'thank', 'please', 'do', 'does', 'can', 'where', 'when', 'why', 'was', 'be', 'just', 'me']),
  es: new Set(['el', 'los', 'las', 'que', 'qué', 'y', 'por', 'mi', 'es', 'con', 'una', 'unos', 'sois', 'muy', 'gracias', 'está', 'cómo', 'hola', 'del', 'pero', 'sin', 'nada', 'todavía', 'hay', 'dónde', 'cuándo', 'usted', 'vosotros', 'sigo', 'llevo']),
  fr: new Set(['le', 'les', 'des', 'est', 'et', 'je', 'vous', 'pas', 'ne', 'mon', 'ma', 'une', 'avec', 'pour', 'merci', 'ça', 'très', 'du', 'au', 'aux', 'mais', 'rien', 'toujours', 'où', 'quand', 'bonjour', 'suis', 'j', 'c', 'n', 'qu', 'il', 'elle', 'nous']),
};

/** Below this tinyld score the top guess is noise, not a reading. */
const UNSURE_SCORE = 0.1;
/** Function words needed before they may overrule an unsure tinyld. */
const DECISIVE_WORDS = 2;

function functionWordVote(prose: string): CareLanguage | null {
  const words = prose.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  const counts = (Object.keys(FUNCTION_WORDS) as CareLanguage[]).map((language) => ({
    language,
    hits: words.filter((word) => FUNCTION_WORDS[language].has(word)).length,
  }));
  counts.sort((a, b) => b.hits - a.hits);
  const [best, second] = counts;
  if (!best || best.hits < DECISIVE_WORDS || (second && second.hits * 2 >= best.hits)) return null;
  return best.language;
}

/** ISO 639-1 code of the text's language, or "und" when it cannot be told. */
export function detectLanguage(text: string): string {
  const prose = textForLanguage(text);
  // Fewer than two letters (emoji, "k", "?"): nothing to read a language from.
  if (!hasLetters(prose) || (prose.match(/\p{L}/gu)?.length ?? 0) < 2) return UNDETERMINED_LANGUAGE;

  const [top] = detectAll(prose);
  const guess = top && /^[a-z]{2}$/u.test(top.lang) ? top : null;
  if (guess && guess.accuracy >= UNSURE_SCORE) return guess.lang;

  const vote = functionWordVote(prose);
  if (vote) return vote;
  return guess ? guess.lang : UNDETERMINED_LANGUAGE;
}
