/**
 * A language's sentiment lexicon for customer care. Keys are written as the scorer reads
 * words: lower case, without accents ("decepcion", "tres"), apostrophes split off
 * ("n'a" reads "n a", "doesn't" reads "doesn t"), an ordinal number as "nth" ("3rd time" reads
 * "nth time"). Valences run from -4 (worst) to 4 (best), as in VADER.
 */
export interface Lexicon {
  /** Single words and their valence. */
  words: Record<string, number>;
  /**
   * Runs of words that mean more than their parts in care ("still waiting", "thanks for
   * nothing", "ne marche pas"); matched before single words, longest first, and not negated again.
   */
  phrases: Record<string, number>;
  /** Words that turn the valence of a word up to three words after them. */
  negators: readonly string[];
  /** Words that make the next sentiment word stronger. */
  intensifiers: readonly string[];
  /** "but": what follows weighs more than what came before. */
  contrasts: readonly string[];
  /** Runs of words that say the praise around them is sarcastic ("yeah right"). */
  sarcasm: readonly string[];
  /** Single courtesy words ("thanks") that weigh little inside a request. */
  courtesy: readonly string[];
  /** Words that make a message a request ("please", "could"): its courtesy is politeness, not praise. */
  requests: readonly string[];
}
