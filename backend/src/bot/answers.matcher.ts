import { BOT_DEFAULT_LANGUAGE, botLanguages, type BotAnswerMatch, type BotLanguage } from '@parley/common';
import { readAtMostEvery } from '../lib/read-at-most-every';
import { BotAnswer, type BotAnswerDoc } from './bot-answer.model';
import { bigramsOf, stemsOf } from './answers.text';

/**
 * Which knowledge-base entry answers a customer's words, locally. Each question variant, each
 * entry's questions taken together, and the customer's text become TF-IDF vectors over the
 * language's stems (plus their bigrams, weighed less), where a term's IDF counts the entries
 * that use it. An entry scores its best variant's cosine, blended with its whole entry's and
 * scaled by how much of the customer's text it has words for. A word no entry uses weighs
 * against a match, a little less than a rare one, so a question with a detail in it ("my bag
 * from Madrid") still finds its entry and a sentence about something else ("my cat is sick")
 * finds none.
 */

export type AnswerMatch = BotAnswerMatch;
export type MessageVisibility = 'public' | 'private';

export interface AnswerMatcher {
  match(text: string, language: string | null, visibility: MessageVisibility): Promise<AnswerMatch | null>;
}

/** The confidence from which the bot gives an entry's answer (tuned on answers.matcher.test.ts's labelled questions). */
export const MATCH_THRESHOLD = 0.3;
/** How much a bigram weighs against a single stem. */
const BIGRAM_WEIGHT = 0.5;
/** How much a word no entry of the language uses weighs against the rarest word they use. */
const UNKNOWN_WORD_WEIGHT = 0.6;
/** How much the entry's questions taken as one count against its closest question. */
const WHOLE_ENTRY_WEIGHT = 0.3;
/** How much the share of the customer's words an entry has words for counts (as an exponent). */
const COVERAGE_WEIGHT = 0.3;
/**
 * What a match on a single word of a longer text keeps of its score when that word is in
 * none of the entry's other questions: "I miss my mom" shares only "miss" with "my suitcase is
 * missing"; "refund status" shares only "refund" with refunds, but every refunds question has it.
 */
const SINGLE_WORD_FACTOR = 0.5;

export type MatchableAnswer = Pick<BotAnswerDoc, '_id' | 'intent' | 'questions' | 'answers' | 'visibility' | 'active'>;

interface Weighed {
  weights: Map<string, number>;
  norm: number;
}

interface Variant extends Weighed {
  entry: MatchableAnswer;
  /** All the entry's questions in the language as one: a question may borrow words from several. */
  whole: Weighed;
  /** Of the entry's questions in the language, the share that has each stem. */
  shares: Map<string, number>;
}

interface LanguageIndex {
  variants: Variant[];
  /** A term's inverse entry frequency; a term no entry uses weighs as UNKNOWN_WORD_WEIGHT of the rarest. */
  idfOf: (term: string) => number;
}

/** The terms of a text with their counts: stems, and bigrams (which carry a space). */
function termCounts(text: string, language: BotLanguage): Map<string, number> {
  const stems = stemsOf(text, language);
  const counts = new Map<string, number>();
  for (const term of [...stems, ...bigramsOf(stems)]) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

const isBigram = (term: string) => term.includes(' ');

function weigh(counts: Map<string, number>, idfOf: (term: string) => number): Weighed {
  const weights = new Map<string, number>();
  let squares = 0;
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * idfOf(term) * (isBigram(term) ? BIGRAM_WEIGHT : 1);
    weights.set(term, weight);
    squares += weight * weight;
  }
  return { weights, norm: Math.sqrt(squares) };
}

function summed(questions: ReadonlyArray<Map<string, number>>): Map<string, number> {
  const sum = new Map<string, number>();
  for (const counts of questions) for (const [term, count] of counts) sum.set(term, (sum.get(term) ?? 0) + count);
  return sum;
}

function sharesOf(questions: ReadonlyArray<Map<string, number>>): Map<string, number> {
  const having = new Map<string, number>();
  for (const counts of questions) for (const term of counts.keys()) having.set(term, (having.get(term) ?? 0) + 1);
  return new Map([...having].map(([term, count]) => [term, count / questions.length] as const));
}

function indexLanguage(entries: readonly MatchableAnswer[], language: BotLanguage): LanguageIndex {
  const asked = entries
    .map((entry) => ({
      entry,
      questions: entry.questions.filter((question) => question.language === language).map((question) => termCounts(question.text, language)).filter((counts) => counts.size > 0),
    }))
    .filter(({ questions }) => questions.length > 0);
  // How many entries use a term, not how many questions: a word every question of one entry
  // repeats ("refund") tells that entry apart best.
  const usedBy = new Map<string, number>();
  for (const { questions } of asked) for (const term of summed(questions).keys()) usedBy.set(term, (usedBy.get(term) ?? 0) + 1);
  const idf = new Map([...usedBy].map(([term, count]) => [term, Math.log(1 + asked.length / count)] as const));
  const unknownIdf = Math.log(1 + asked.length) * UNKNOWN_WORD_WEIGHT;
  const idfOf = (term: string) => idf.get(term) ?? unknownIdf;
  const variants = asked.flatMap(({ entry, questions }) => {
    const whole = weigh(summed(questions), idfOf);
    const shares = sharesOf(questions);
    return questions.map((counts) => ({ entry, ...weigh(counts, idfOf), whole, shares }));
  });
  return { variants, idfOf };
}

function cosine(query: Weighed, document: Weighed): number {
  if (query.norm === 0 || document.norm === 0) return 0;
  let dot = 0;
  for (const [term, weight] of query.weights) dot += weight * (document.weights.get(term) ?? 0);
  return dot / (query.norm * document.norm);
}

/** The share of the query's weight that the document has words for. */
function coverage(query: Weighed, document: Weighed): number {
  let total = 0;
  let covered = 0;
  for (const [term, weight] of query.weights) {
    total += weight;
    if (document.weights.has(term)) covered += weight;
  }
  return total === 0 ? 0 : covered / total;
}

/**
 * A variant's score for the query: its cosine blended with its whole entry's, times the share
 * of the query the entry has words for, and less when one weak word is all they share.
 */
function scoreOf(query: Weighed, variant: Variant): number {
  const similarity = (1 - WHOLE_ENTRY_WEIGHT) * cosine(query, variant) + WHOLE_ENTRY_WEIGHT * cosine(query, variant.whole);
  const score = similarity ** (1 - COVERAGE_WEIGHT) * coverage(query, variant.whole) ** COVERAGE_WEIGHT;
  const stems = [...query.weights.keys()].filter((term) => !isBigram(term));
  const shared = stems.filter((term) => variant.whole.weights.has(term));
  if (stems.length < 2 || shared.length !== 1) return score;
  const share = variant.shares.get(shared[0] ?? '') ?? 0;
  return score * (SINGLE_WORD_FACTOR + (1 - SINGLE_WORD_FACTOR) * share);
}

const isBotLanguage = (language: string): language is BotLanguage => (botLanguages as readonly string[]).includes(language);

/** The customer's language as the bot speaks it, or null when it is another or unknown. */
function botLanguageOf(language: string | null): BotLanguage | null {
  const base = language?.toLowerCase().split('-')[0];
  return base !== undefined && isBotLanguage(base) ? base : null;
}

const visibleIn = (entry: MatchableAnswer, visibility: MessageVisibility) => entry.visibility === 'both' || entry.visibility === visibility;

function answerOf(entry: MatchableAnswer, language: BotLanguage, confidence: number): AnswerMatch {
  const answer = entry.answers.find((candidate) => candidate.language === language) ?? entry.answers.find((candidate) => candidate.language === BOT_DEFAULT_LANGUAGE) ?? entry.answers[0];
  return {
    answerId: entry._id.toHexString(),
    intent: entry.intent,
    text: answer?.text ?? '',
    language: answer?.language ?? BOT_DEFAULT_LANGUAGE,
    confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 1_000) / 1_000,
  };
}

export interface PureAnswerMatcher {
  /** The entry that answers the text, when one reaches MATCH_THRESHOLD. */
  match(text: string, language: string | null, visibility: MessageVisibility): AnswerMatch | null;
  /** The best-scoring entry whatever its confidence (null when no entry shares a word with the text). */
  closest(text: string, language: string | null, visibility: MessageVisibility): AnswerMatch | null;
}

/** A matcher over these entries (inactive ones are left out): pure, for tests and the bot's dialogue tests. */
export function matcherOver(entries: readonly MatchableAnswer[]): PureAnswerMatcher {
  const active = entries.filter((entry) => entry.active);
  const indexes = new Map(botLanguages.map((language) => [language, indexLanguage(active, language)] as const));

  const closest = (text: string, language: string | null, visibility: MessageVisibility): AnswerMatch | null => {
    const customerLanguage = botLanguageOf(language);
    let best: { entry: MatchableAnswer; language: BotLanguage; score: number } | null = null;
    for (const candidate of customerLanguage ? [customerLanguage] : botLanguages) {
      const index = indexes.get(candidate);
      if (!index || index.variants.length === 0) continue;
      const query = weigh(termCounts(text, candidate), index.idfOf);
      if (query.norm === 0) continue;
      for (const variant of index.variants) {
        if (!visibleIn(variant.entry, visibility)) continue;
        const score = scoreOf(query, variant);
        if (score > 0 && (!best || score > best.score)) best = { entry: variant.entry, language: candidate, score };
      }
    }
    // A customer whose language is unknown gets the answer in the language their words matched.
    return best ? answerOf(best.entry, customerLanguage ?? best.language, best.score) : null;
  };

  return {
    closest,
    match(text, language, visibility) {
      const found = closest(text, language, visibility);
      return found && found.confidence >= MATCH_THRESHOLD ? found : null;
    },
  };
}

/**
 * The active entries, read at most every 5 seconds per process and indexed once per read: the
 * bot matches every customer message. A change through the routes forgets them in this process
 * (forgetBotAnswers); others see it within those seconds.
 */
const recentlyRead = readAtMostEvery(5_000, async () => matcherOver(await BotAnswer.find({ active: true }).limit(2_000).lean<BotAnswerDoc[]>()));

export function forgetBotAnswers(): void {
  recentlyRead.forget();
}

export interface KnowledgeBaseMatcher extends AnswerMatcher {
  closest(text: string, language: string | null, visibility: MessageVisibility): Promise<AnswerMatch | null>;
}

/** The matcher over the knowledge base in MongoDB. */
export function createAnswerMatcher(): KnowledgeBaseMatcher {
  return {
    async match(text, language, visibility) {
      return (await recentlyRead.read()).match(text, language, visibility);
    },
    async closest(text, language, visibility) {
      return (await recentlyRead.read()).closest(text, language, visibility);
    },
  };
}
