import { UNDETERMINED_LANGUAGE } from '@parley/common';
import { detectAll } from 'tinyld';
import { english } from './lexicons/en';
import { spanish } from './lexicons/es';
import { french } from './lexicons/fr';
import { hasLetters, normalizeWord, textForLanguage } from './text';

/**
 * Language of a message: tinyld (n-gram profiles, synchronous, CommonJS) on the author's prose.
 * On a few words its profiles score low and close together ("lost my bag": Afrikaans 0.11,
 * English 0.04; "merci": nothing at all). An inbox hears English, Spanish and French far more
 * often than Afrikaans, so when tinyld is unsure one of the three wins if the words belong to it
 * alone (its function words and its sentiment lexicon), or if tinyld ranks it second and close
 * to its best; a text in another language has no such words and keeps tinyld's answer.
 */

/** The languages Parley reads sentiment in. */
export const CARE_LANGUAGES = ['en', 'es', 'fr'] as const;
export type CareLanguage = (typeof CARE_LANGUAGES)[number];
export const isCareLanguage = (language: string): language is CareLanguage => (CARE_LANGUAGES as readonly string[]).includes(language);

// Words frequent in one of the three; "la", "de", "no", "per" are left out as too shared with
// each other and with Portuguese and Italian, the neighbours most often confused with them.
const FUNCTION_WORDS: Record<CareLanguage, readonly string[]> = {
  en: ['the', 'you', 'your', 'my', 'is', 'are', 'and', 'to', 'of', 'it', 'i', 'not', 'what', 'how', 'with', 'for', 'this', 'have', 'still', 'again', 'please', 'do', 'does', 'can', 'where', 'when', 'why', 'was', 'be', 'just', 'me', 'hi', 'hello'],
  es: ['el', 'los', 'las', 'que', 'y', 'por', 'mi', 'es', 'con', 'una', 'unos', 'sois', 'muy', 'esta', 'como', 'hola', 'del', 'pero', 'sin', 'nada', 'todavia', 'hay', 'donde', 'cuando', 'usted', 'vosotros', 'sigo', 'llevo', 'ayuda'],
  fr: ['le', 'les', 'des', 'est', 'et', 'je', 'vous', 'pas', 'ne', 'mon', 'ma', 'une', 'avec', 'pour', 'ça', 'ca', 'très', 'du', 'au', 'aux', 'mais', 'rien', 'toujours', 'où', 'quand', 'bonjour', 'suis', 'j', 'c', 'n', 'qu', 'il', 'elle', 'nous', 'moi', 'aide'],
};

/** Each word that belongs to exactly one of the three languages, and that language. */
const OWN_WORDS: ReadonlyMap<string, CareLanguage> = (() => {
  const vocabularies: Record<CareLanguage, string[]> = {
    en: [...FUNCTION_WORDS.en, ...Object.keys(english.words)],
    es: [...FUNCTION_WORDS.es, ...Object.keys(spanish.words)],
    fr: [...FUNCTION_WORDS.fr, ...Object.keys(french.words)],
  };
  const owners = new Map<string, Set<CareLanguage>>();
  for (const language of CARE_LANGUAGES) {
    for (const word of vocabularies[language]) {
      const key = normalizeWord(word);
      owners.set(key, (owners.get(key) ?? new Set()).add(language));
    }
  }
  return new Map([...owners].flatMap(([word, languages]) => (languages.size === 1 ? [[word, [...languages][0] as CareLanguage] as const] : [])));
})();

/** At or above this tinyld score its reading stands. */
const SURE_SCORE = 0.3;
/** When unsure, a care language that tinyld ranks first or second within this factor of its best is taken. */
const CLOSE_FACTOR = 3;
/** Below this tinyld score, with no words to go by, the language is undetermined. */
const NOISE_SCORE = 0.05;

function wordVote(prose: string): CareLanguage | null {
  const words = prose.split(/[^\p{L}]+/u).filter(Boolean).map(normalizeWord);
  const hits: Record<CareLanguage, number> = { en: 0, es: 0, fr: 0 };
  for (const word of words) {
    const owner = OWN_WORDS.get(word);
    if (owner) hits[owner]++;
  }
  const [best, second] = CARE_LANGUAGES.map((language) => ({ language, hits: hits[language] })).sort((a, b) => b.hits - a.hits);
  // One word decides a one- or two-word text ("merci", "hola"); longer ones need two.
  const needed = words.length <= 2 ? 1 : 2;
  if (!best || best.hits < needed || (second && second.hits * 2 >= best.hits)) return null;
  return best.language;
}

/** ISO 639-1 code of the text's language, or "und" when it cannot be told. */
export function detectLanguage(text: string): string {
  const prose = textForLanguage(text);
  // Fewer than two letters (emoji, "k", "?"): nothing to read a language from.
  if (!hasLetters(prose) || (prose.match(/\p{L}/gu)?.length ?? 0) < 2) return UNDETERMINED_LANGUAGE;

  const candidates = detectAll(prose).filter((candidate) => /^[a-z]{2}$/u.test(candidate.lang));
  const top = candidates[0];
  if (top && top.accuracy >= SURE_SCORE) return top.lang;

  const vote = wordVote(prose);
  if (vote) return vote;
  const close = top && candidates.slice(0, 2).find((candidate) => isCareLanguage(candidate.lang) && candidate.accuracy * CLOSE_FACTOR >= top.accuracy);
  if (close) return close.lang;
  return top && top.accuracy >= NOISE_SCORE ? top.lang : UNDETERMINED_LANGUAGE;
}
