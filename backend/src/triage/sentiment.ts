import type { Sentiment, SentimentLabel } from '@parley/common';
import { EMOJI_VALENCE, EMOTICON_VALENCE, SARCASM_EMOJI } from './lexicons/emoji';
import { english } from './lexicons/en';
import { spanish } from './lexicons/es';
import { french } from './lexicons/fr';
import type { Lexicon } from './lexicons/lexicon';
import { normalizeWord, textForSentiment } from './text';

/**
 * Sentiment by lexicon and rules, in the manner of VADER but for care: valenced words and
 * care phrases ("still waiting", "toujours rien"), negation up to three words back,
 * intensifiers, shouting in capitals, "but", sarcasm markers turning praise around, and
 * courtesy that counts for little inside a request. Everything is local and synchronous.
 */

interface CompiledLexicon {
  words: Map<string, number>;
  /** Phrases by their first word, longest first. */
  phrases: Map<string, { words: string[]; valence: number }[]>;
  negators: Set<string>;
  intensifiers: Set<string>;
  contrasts: Set<string>;
  sarcasm: string[][];
  courtesy: Set<string>;
  requests: Set<string>;
}

const splitWords = (run: string) => run.split(' ').map(normalizeWord).filter(Boolean);

function compile(lexicon: Lexicon): CompiledLexicon {
  const phrases = new Map<string, { words: string[]; valence: number }[]>();
  for (const [phrase, valence] of Object.entries(lexicon.phrases)) {
    const words = splitWords(phrase);
    const first = words[0];
    if (!first) continue;
    const list = phrases.get(first) ?? [];
    list.push({ words, valence });
    list.sort((a, b) => b.words.length - a.words.length);
    phrases.set(first, list);
  }
  const set = (words: readonly string[]) => new Set(words.map(normalizeWord));
  return {
    words: new Map(Object.entries(lexicon.words).map(([word, valence]) => [normalizeWord(word), valence])),
    phrases,
    negators: set(lexicon.negators),
    intensifiers: set(lexicon.intensifiers),
    contrasts: set(lexicon.contrasts),
    sarcasm: lexicon.sarcasm.map(splitWords),
    courtesy: set(lexicon.courtesy),
    requests: set(lexicon.requests),
  };
}

const LEXICONS: Record<string, CompiledLexicon> = { en: compile(english), es: compile(spanish), fr: compile(french) };
/** Languages without a lexicon are read by their emoji and emoticons. */
const EMOJI_ONLY = compile({ words: {}, phrases: {}, negators: [], intensifiers: [], contrasts: [], sarcasm: [], courtesy: [], requests: [] });

type Token =
  | { kind: 'word'; word: string; shouted: boolean; elongated: boolean }
  | { kind: 'emoji'; emoji: string }
  | { kind: 'stop' };

const TOKEN = /(\p{Extended_Pictographic})|([\p{L}\p{M}\p{N}]+)|([.!?;:¡¿]+)/gu;
const ORDINAL = /^\d+(?:st|nd|rd|th|e|eme|er|re|o|a|º|ª)$/u;
const ELONGATION = /(\p{L})\1{2,}/gu;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, emoji, word, stop] = match;
    if (emoji) tokens.push({ kind: 'emoji', emoji });
    else if (word) {
      const normalized = normalizeWord(word);
      const collapsed = normalized.replace(ELONGATION, '$1');
      tokens.push({
        kind: 'word',
        word: ORDINAL.test(normalized) ? 'nth' : collapsed,
        shouted: word.length >= 2 && /\p{Lu}/u.test(word) && word === word.toUpperCase(),
        elongated: collapsed !== normalized,
      });
    } else if (stop) tokens.push({ kind: 'stop' });
  }
  return tokens;
}

const NEGATION_WINDOW = 3;
const NEGATION_FACTOR = -0.74;
const INTENSIFIER_FACTOR = 1.25;
const SHOUT_FACTOR = 1.4;
const COURTESY_IN_REQUEST = 0.25;
/** VADER's normalization constant: sum / sqrt(sum² + α) maps any sum into (-1, 1). */
const NORMALIZATION_ALPHA = 15;
/** |score| below this is neutral. */
export const NEUTRAL_BAND = 0.2;

interface Contribution {
  valence: number;
  /** Position among the words, for "but". */
  at: number;
  /** Sarcasm turns praise around, but not emoji that are themselves signs of annoyance. */
  praise: boolean;
  /** A thanks: politeness inside a request, praise otherwise. */
  courtesy: boolean;
}

interface Reading {
  sum: number;
  hits: number;
}

function read(text: string, lexicon: CompiledLexicon): Reading {
  const tokens = tokenize(text);
  const words = tokens.flatMap((token, index) => (token.kind === 'word' ? [{ ...token, index }] : []));
  const mostlyShouted = words.filter((word) => word.shouted).length > words.length / 2;
  const contributions: Contribution[] = [];
  const consumed = new Set<number>();
  let sarcasm = false;
  let request = text.includes('?');
  let lastContrast = -1;

  const wordAt = (position: number) => words[position]?.word;
  const matchesAt = (position: number, run: string[]) => run.every((word, offset) => wordAt(position + offset) === word);

  for (let position = 0; position < words.length; position++) {
    const current = words[position];
    if (!current) continue;
    if (lexicon.contrasts.has(current.word)) lastContrast = position;
    if (lexicon.requests.has(current.word)) request = true;
    if (lexicon.sarcasm.some((run) => matchesAt(position, run))) sarcasm = true;
    if (consumed.has(position)) continue;

    const phrase = lexicon.phrases.get(current.word)?.find((candidate) => matchesAt(position, candidate.words));
    if (phrase) {
      for (let offset = 0; offset < phrase.words.length; offset++) consumed.add(position + offset);
      contributions.push({ valence: phrase.valence, at: position, praise: phrase.valence > 0, courtesy: false });
      continue;
    }

    let valence = lexicon.words.get(current.word);
    if (valence === undefined || valence === 0) continue;
    if (current.shouted && !mostlyShouted) valence *= SHOUT_FACTOR;
    if (current.elongated) valence *= INTENSIFIER_FACTOR;
    for (let back = 1; back <= 2; back++) {
      const before = wordAt(position - back);
      if (before && lexicon.intensifiers.has(before)) valence *= INTENSIFIER_FACTOR;
    }
    if (negated(tokens, current.index, lexicon)) valence *= NEGATION_FACTOR;
    contributions.push({ valence, at: position, praise: valence > 0, courtesy: lexicon.courtesy.has(current.word) });
  }

  for (const token of tokens) {
    if (token.kind !== 'emoji') continue;
    if (SARCASM_EMOJI.has(token.emoji)) sarcasm = true;
    const valence = EMOJI_VALENCE[token.emoji];
    if (valence !== undefined) contributions.push({ valence, at: words.length, praise: false, courtesy: false });
  }
  for (const [emoticon, valence] of Object.entries(EMOTICON_VALENCE)) {
    if (text.includes(emoticon)) contributions.push({ valence, at: words.length, praise: false, courtesy: false });
  }

  const complaint = contributions.filter((contribution) => contribution.valence < 0).reduce((total, contribution) => total + contribution.valence, 0);
  const ironic = sarcasm && (complaint <= -1 || tokens.some((token) => token.kind === 'emoji' && SARCASM_EMOJI.has(token.emoji)));

  let sum = 0;
  for (const contribution of contributions) {
    let valence = contribution.valence;
    if (ironic && contribution.praise) valence = -Math.abs(valence);
    if (request && contribution.courtesy) valence *= COURTESY_IN_REQUEST;
    if (lastContrast >= 0) valence *= contribution.at < lastContrast ? 0.5 : 1.5;
    sum += valence;
  }
  sum += emphasis(text, sum);
  return { sum, hits: contributions.length };
}

/** A negator up to three words back, within the same sentence ("not happy", "no estoy nada contento"). */
function negated(tokens: Token[], index: number, lexicon: CompiledLexicon): boolean {
  let seen = 0;
  for (let at = index - 1; at >= 0 && seen < NEGATION_WINDOW; at--) {
    const token = tokens[at];
    if (!token || token.kind === 'stop') return false;
    if (token.kind !== 'word') continue;
    seen++;
    if (lexicon.negators.has(token.word)) return true;
    // English contractions split at the apostrophe: "doesn't" reads "doesn t".
    if (token.word === 't' && tokens[at - 1]?.kind === 'word') return true;
  }
  return false;
}

/** Exclamation marks (up to four) and repeated question marks make a feeling stronger. */
function emphasis(text: string, sum: number): number {
  if (sum === 0) return 0;
  const exclamations = Math.min(4, (text.match(/!/gu) ?? []).length);
  const pressing = /\?{2,}/u.test(text) ? 1 : 0;
  return Math.sign(sum) * (exclamations * 0.292 + pressing * 0.4);
}

const labelOf = (score: number): SentimentLabel => (score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral');

/**
 * Sentiment of a text in its language. English, Spanish and French have their lexicons; for an
 * undetermined language the three are tried and the one that recognises most wins; any other
 * language is read by its emoji and emoticons alone.
 */
export function sentimentOf(text: string, language: string): Sentiment {
  const prepared = textForSentiment(text);
  const lexicon = LEXICONS[language];
  let reading: Reading;
  if (lexicon) reading = read(prepared, lexicon);
  else if (language === 'und') {
    const readings = Object.values(LEXICONS).map((candidate) => read(prepared, candidate));
    reading = readings.reduce((best, candidate) => (candidate.hits > best.hits ? candidate : best));
  } else reading = read(prepared, EMOJI_ONLY);
  const score = Math.round((reading.sum / Math.sqrt(reading.sum * reading.sum + NORMALIZATION_ALPHA)) * 1000) / 1000;
  return { score: score === 0 ? 0 : score, label: labelOf(score) };
}

