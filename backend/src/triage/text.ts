/**
 * Preparing a social post for analysis. Language detectors read letters, so everything that
 * is not the author's prose (handles, links, hashtags, emoji, order numbers) goes; sentiment
 * reads the author's mood, so emoji stay and a hashtag's words are kept as words.
 */

/**
 * Only the start of a text is analysed: analysis runs in the ingest path, and the first couple
 * of thousand characters of a message tell its language and mood as well as the whole.
 */
export const ANALYSED_CHARACTERS = 2_000;
/** Language needs less: n-gram detection costs grow with the text and settle within a few sentences. */
export const LANGUAGE_CHARACTERS = 600;

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const HANDLE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.]+/gu;
const HASHTAG = /(^|[^\p{L}\p{N}_&])[#＃]([\p{L}\p{N}_]+)/gu;
// Pictographs, their modifiers and joiners, keycaps, flags: nothing a detector can read.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u{FE0F}|\u{200D}|\u{20E3}/gu;
// Tokens with digits are references (SJ204, 48213, XK4J2L), not words of a language.
const WITH_DIGITS = /[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*/gu;
const SPACES = /\s+/gu;

/** The head of a text, cut on a code point boundary so a split surrogate pair is never analysed. */
export function headOf(text: string, limit = ANALYSED_CHARACTERS): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return /[\uD800-\uDBFF]$/u.test(cut) ? cut.slice(0, -1) : cut;
}

/** The author's prose only: what a language detector should see. */
export function textForLanguage(text: string): string {
  const prose = headOf(text)
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(HANDLE, '$1 ')
    .replace(HASHTAG, '$1 ')
    .replace(EMOJI, ' ')
    .replace(WITH_DIGITS, ' ')
    .replace(SPACES, ' ')
    .trim();
  return headOf(prose, LANGUAGE_CHARACTERS);
}

/** Splits a hashtag's body into words: "#HappyCustomer" → "Happy Customer", "#fast_delivery" → "fast delivery". */
export function hashtagWords(tag: string): string {
  return tag
    .replace(/_/gu, ' ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .trim();
}

/** What sentiment reads: links and handles go, hashtags become their words, emoji stay. */
export function textForSentiment(text: string): string {
  return headOf(text)
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(HANDLE, '$1 ')
    .replace(HASHTAG, (_match, before: string, tag: string) => `${before} ${hashtagWords(tag)} `)
    .replace(SPACES, ' ')
    .trim();
}

/** Whether a text has any letter at all (emoji-only, digits-only or empty texts have none). */
export function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}

/** Lower case, accents dropped, so "Pésimo", "pesimo" and "PÉSIMO" are one word. */
export function normalizeWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The words of a text as a matcher compares them: links, addresses, handles, emoji and
 * references go, a hashtag's words stay, each word lower case without accents. French and
 * English elisions split on their apostrophe ("l'enregistrement" → "l", "enregistrement").
 */
export function wordsOf(text: string, limit = ANALYSED_CHARACTERS): string[] {
  const prose = headOf(text, limit)
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(HANDLE, '$1 ')
    .replace(HASHTAG, (_match, before: string, tag: string) => `${before} ${hashtagWords(tag)} `)
    .replace(WITH_DIGITS, ' ');
  return prose
    .split(/[^\p{L}\p{M}]+/u)
    .filter(Boolean)
    .map(normalizeWord)
    .filter(Boolean);
}
