import { HANDOFF_PAYLOAD, type HandoffReason, type Sentiment } from '@parley/common';
import { plainText } from './customer-data.validators';

/**
 * When the bot stops and a person takes over. Pure: the bot asks these on every message, before
 * anything else it would say, so no question it is in the middle of keeps a customer from a person.
 */

/** A sentiment score at or below this, labelled negative, is clearly unhappy: a bot reply would only annoy. */
export const NEGATIVE_SENTIMENT_THRESHOLD = -0.5;
/** Misunderstandings in a row after which a person takes over. */
export const MISUNDERSTANDINGS_BEFORE_HANDOFF = 2;
/** A message this long is a story a person should read, not a question for the knowledge base. */
export const LONG_MESSAGE_CHARACTERS = 5_000;

/**
 * Asking for a person, in English, Spanish and French, on accent-free lower case. Whole words
 * only ("agentic", "humanity", "personal" are not requests). French "personne" alone also means
 * "nobody", so only "une personne" counts; "quelqu'un" and "alguien" only after "parler"/"hablar".
 */
const PERSON_WORDS = [
  'agents?', 'humans?', 'persons?', 'real person', 'representatives?', 'operators?', 'talk to someone', 'speak to someone', 'speak with someone',
  'personas?', 'humanos?', 'agentes?', 'asesor(?:a|es|as)?', 'operador(?:a|es|as)?', 'hablar con alguien',
  'humains?', 'conseill(?:er|ere)s?', 'une (?:vraie )?personne', 'parler a quelquun', 'parler avec quelquun', 'operat(?:eur|rice)s?',
];
const PERSON_REQUEST = new RegExp(`(?<![\\p{L}\\p{N}])(?:${PERSON_WORDS.join('|')})(?![\\p{L}\\p{N}])`, 'u');

/** Only the start of a huge message is read for a request: the regex is linear, but there is no need. */
const READ_FOR_REQUEST = 2_000;

/** The customer asked for a person: in words, or by tapping the "Talk to a person" quick reply. */
export function asksForPerson(said: string, value: unknown): boolean {
  if (value === HANDOFF_PAYLOAD || said.trim() === HANDOFF_PAYLOAD) return true;
  return PERSON_REQUEST.test(plainText(said.slice(0, READ_FOR_REQUEST)));
}

export const isClearlyNegative = (sentiment: Sentiment | null): boolean =>
  sentiment !== null && sentiment.label === 'negative' && sentiment.score <= NEGATIVE_SENTIMENT_THRESHOLD;

/** On a VIP or press list, or followed by at least the channel's reach threshold. */
export const isHighProfile = (customer: { vip: boolean; followers: number; handoffReach: number }): boolean =>
  customer.vip || customer.followers >= customer.handoffReach;

export const misunderstoodTooOften = (inARow: number): boolean => inARow >= MISUNDERSTANDINGS_BEFORE_HANDOFF;

export interface MessageSignals {
  said: string;
  /** A tapped quick reply's payload. */
  value: unknown;
  sentiment: Sentiment | null;
  vip: boolean;
  followers: number;
  handoffReach: number;
}

/**
 * Whether this message alone sends the conversation to a person, and why. An explicit request
 * wins (it is what the customer said), then who the customer is, then their mood; a message too
 * long for the bot counts as one it did not understand.
 */
export type MessageHandoffReason = Extract<HandoffReason, 'customer_asked' | 'vip' | 'negative_sentiment' | 'not_understood'>;

export function handoffReasonOf(message: MessageSignals): MessageHandoffReason | null {
  if (asksForPerson(message.said, message.value)) return 'customer_asked';
  if (isHighProfile(message)) return 'vip';
  if (isClearlyNegative(message.sentiment)) return 'negative_sentiment';
  if (message.said.length >= LONG_MESSAGE_CHARACTERS) return 'not_understood';
  return null;
}
