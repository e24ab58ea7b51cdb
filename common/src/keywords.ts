/**
 * Whole-word keyword matching in any language, for automation rules: "refund" matches
 * "REFUND please" and "#refund" but not "refunded"; "remboursement" matches "Rémboursement";
 * "返金" matches "返金してください". Case and diacritics never matter.
 *
 * Words are found with Intl.Segmenter (ICU's word boundaries: spaces and punctuation for most
 * scripts, dictionaries for Thai, Lao, Khmer, Burmese, Chinese and Japanese), never with \b,
 * which knows only ASCII letters. Text and keyword are folded the same way before they are
 * compared. A keyword of several words (a phrase) matches those words in a row.
 */

/**
 * Marks that change no word when left out: Latin, Greek and Cyrillic diacritics, Hebrew
 * points and Arabic vowel marks (and the kashida that only stretches a word). Other marks
 * (Indic vowel signs, Japanese voicing marks) are letters of their word and stay.
 */
const IGNORED_MARKS: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
  [0x0591, 0x05bd], // Hebrew cantillation and points
  [0x05bf, 0x05bf],
  [0x05c1, 0x05c2],
  [0x05c4, 0x05c5],
  [0x05c7, 0x05c7],
  [0x0610, 0x061a], // Arabic marks and harakat
  [0x064b, 0x065f],
  [0x0670, 0x0670],
  [0x06d6, 0x06dc],
  [0x06df, 0x06e4],
  [0x06e7, 0x06e8],
  [0x06ea, 0x06ed],
  [0x0640, 0x0640], // tatweel
];

function dropIgnoredMarks(text: string): string {
  let kept = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (!IGNORED_MARKS.some(([first, last]) => code >= first && code <= last)) kept += character;
  }
  return kept;
}

/** Scripts written without spaces whose dictionary segmentation splits compounds unpredictably: matched as text. */
const UNSPACED_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005]+$/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Case- and diacritic-insensitive form of a text: compatibility forms unified (ｆｕｌｌ-width, ligatures), marks dropped, lower case. */
export function foldText(text: string): string {
  return dropIgnoredMarks(text.normalize('NFKD'))
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(/ı/g, 'i')
    .replace(/[\u2018\u2019\u02bc]/g, "'");
}

/** The words of an already folded text, in order. */
function wordsOfFolded(folded: string): string[] {
  const words: string[] = [];
  for (const segment of segmenter.segment(folded)) if (segment.isWordLike) words.push(segment.segment);
  return words;
}

/** A message's text, folded and cut into words once, for every keyword of every rule. */
export interface SearchableText {
  folded: string;
  words: string[];
}

export function searchableText(text: string): SearchableText {
  const folded = foldText(text);
  return { folded, words: wordsOfFolded(folded) };
}

/** A keyword or phrase ready to look for. */
export interface CompiledKeyword {
  keyword: string;
  words: string[];
  /** Chinese or Japanese only: looked for as text, since there is no space to make a word. */
  asText: string | null;
}

export function compileKeyword(keyword: string): CompiledKeyword {
  const folded = foldText(keyword.trim());
  const words = wordsOfFolded(folded);
  const compact = words.join('');
  return { keyword, words, asText: words.length > 0 && UNSPACED_CJK.test(compact) ? compact : null };
}

/** Whether a keyword can ever match: it has at least one word (not only punctuation, emoji or spaces). */
export const isSearchableKeyword = (keyword: string): boolean => compileKeyword(keyword).words.length > 0;

export function containsKeyword(text: SearchableText, keyword: CompiledKeyword): boolean {
  if (keyword.words.length === 0) return false;
  if (keyword.asText !== null) return text.folded.includes(keyword.asText);
  const [first, ...rest] = keyword.words;
  for (let index = 0; index + rest.length < text.words.length; index++) {
    if (text.words[index] !== first) continue;
    if (rest.every((word, offset) => text.words[index + 1 + offset] === word)) return true;
  }
  return false;
}
