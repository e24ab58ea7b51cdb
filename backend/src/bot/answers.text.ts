import type { BotLanguage } from '@parley/common';
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { normalizeWord, wordsOf } from '../triage/text';

/**
 * Words to terms for the knowledge-base matcher: stop words out, the rest stemmed with the
 * language's Snowball stemmer (so "refunds" and "refund", "reembolsos" and "reembolso",
 * "remboursements" and "remboursement" are one term). Accents are dropped before both the
 * stop-word check and stemming, on the customer's words and the entries' alike, so a
 * customer who types without them ("reservacion", "annule") reads the same.
 */

/** Only the start of a message is matched: a question is asked in its first sentences. */
export const MATCHED_CHARACTERS = 1_000;

// Function words, greetings and courtesies: what every question shares and no answer depends on.
const STOP_WORDS: Record<BotLanguage, string> = {
  en: `a an the and or but if then so of to in on at by for from with without about into over after before as is are was were be been being
    am do does did doing done have has had having i me my mine myself we us our ours you your yours he him his she her it its they them their
    this that these those there here what which who whom whose when where why how can could would should shall will may might must
    not no yes any some all just very too also still again please pls plz thanks thank thx hi hello hey dear guys team acme ok okay
    get got im ive id dont cant wont isnt arent didnt doesnt s t m re ve ll d know tell want need help like one much many`,
  es: `el la los las un una unos unas lo al del de a en y e o u pero si no ni que con sin por para sobre entre hasta desde como cuando donde
    quien cual cuales cuanto cuanta cuantos cuantas es son era fue ser estar esta estoy estan estas este esto ese esa eso esos esas
    mi mis tu tus su sus nuestro nuestra nuestros vuestro yo me te se le les nos os usted ustedes vosotros ellos ellas el ella
    he ha han has hay haber tengo tiene tienen tener puedo puede pueden poder hago hace hacer quiero quisiera necesito saber
    muy mas ya tambien todavia aun otra otro por favor porfa gracias hola buenas buenos dias tardes noches saludos acme equipo ayuda ayudar`,
  fr: `le la les l un une des du de d a au aux en et ou mais si ne n pas ni que qu qui quoi dont ou avec sans pour par sur sous dans chez
    entre vers comme quand comment combien pourquoi quel quelle quels quelles est sont etait etre suis es sommes etes ai as avons avez ont avoir
    je j me m moi tu te t toi il elle on nous vous ils elles se s y ce c cet cette ces ca cela ceci mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs
    peux peut pouvez pouvons puis veux voudrais voulez faire fait fais savoir besoin tres plus deja aussi encore toujours svp stp merci bonjour bonsoir
    salut coucou acme equipe aide aider il y`,
};

const stopWords: Record<BotLanguage, ReadonlySet<string>> = {
  en: new Set(STOP_WORDS.en.split(/\s+/u).filter(Boolean).map(normalizeWord)),
  es: new Set(STOP_WORDS.es.split(/\s+/u).filter(Boolean).map(normalizeWord)),
  fr: new Set(STOP_WORDS.fr.split(/\s+/u).filter(Boolean).map(normalizeWord)),
};

const SNOWBALL_NAMES: Record<BotLanguage, string> = { en: 'english', es: 'spanish', fr: 'french' };
const stemmers = new Map<BotLanguage, Stemmer>();
function stemmerOf(language: BotLanguage): Stemmer {
  let stemmer = stemmers.get(language);
  if (!stemmer) {
    stemmer = newStemmer(SNOWBALL_NAMES[language]);
    stemmers.set(language, stemmer);
  }
  return stemmer;
}

/** The stems of a text's content words in a language, in order (repeats kept: they weigh). */
export function stemsOf(text: string, language: BotLanguage): string[] {
  const stemmer = stemmerOf(language);
  const stops = stopWords[language];
  return wordsOf(text, MATCHED_CHARACTERS)
    .filter((word) => word.length > 1 && !stops.has(word))
    .map((word) => stemmer.stem(word))
    .filter((stem) => stem.length > 1);
}

/** Neighbouring stems joined: "lost bag" and "bag lost" are different questions than "bag" alone. */
export function bigramsOf(stems: readonly string[]): string[] {
  const bigrams: string[] = [];
  for (let index = 1; index < stems.length; index++) bigrams.push(`${stems[index - 1]} ${stems[index]}`);
  return bigrams;
}
