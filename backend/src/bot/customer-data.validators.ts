import { normalizeWord } from '../triage/text';

/**
 * What the agent needs to find the customer's case, recognised in what the customer writes.
 * Every pattern lives here, so the bot, its tests and whoever reads a hand-off agree on what a
 * reference or an email is.
 */

/**
 * An airline booking reference (PNR, "record locator"): six letters or digits, at least one of
 * them a letter (ABC123, XK4J2L, QWERTY). Checked on the upper-cased token.
 */
export const BOOKING_REFERENCE = /^(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6}$/;
/** An order number: "#" and 6–10 digits (#123456), or "ORD-" and 6–10 digits (ORD-123456). */
export const ORDER_NUMBER = /^(?:#\d{6,10}|ORD-\d{6,10})$/i;
/**
 * An email address: the HTML standard's "valid e-mail address" (what a browser's email field
 * accepts), made stricter where that one lets obvious typos through: the domain needs a dot and
 * a top-level domain of 2+ letters ("ana@gmail" is refused), and the local part has no leading,
 * trailing or doubled dot.
 */
export const EMAIL =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?<!\.)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** RFC 5321's limit on a whole address. */
const EMAIL_MAX_LENGTH = 254;

export const isBookingReference = (token: string): boolean => BOOKING_REFERENCE.test(token.toUpperCase());
export const isOrderNumber = (token: string): boolean => ORDER_NUMBER.test(token);
export const isEmail = (token: string): boolean => token.length <= EMAIL_MAX_LENGTH && EMAIL.test(token);

/**
 * Six-letter words customers write as an answer that a booking reference would otherwise take
 * ("thanks", "cancel"); a reference made of letters only is accepted when asked for, except these.
 */
const COMMON_SIX_LETTER_WORDS = new Set(['THANKS', 'PLEASE', 'CANCEL', 'REFUND', 'FLIGHT', 'TICKET', 'CHEERS', 'BILLET', 'MALETA', 'BAGAGE', 'RETARD', 'CLIENT', 'PERSON', 'HUMANO', 'AGENTE', 'HUMAIN', 'ANSWER', 'PEDIDO', 'ORDERS', 'VUELOS', 'AVIONS']);

/** A word with the punctuation around it taken off (the "#" of an order number kept). */
const bare = (word: string): string => word.replace(/^[^\p{L}\p{N}#]+/u, '').replace(/[^\p{L}\p{N}]+$/u, '');

/** A message's words, bare. */
const tokensOf = (text: string): string[] => text.split(/\s+/u).map(bare).filter(Boolean);

/**
 * The first booking reference or order number in a message, normalised (upper case). Unprompted,
 * a booking reference needs a digit as well as a letter, since any six-letter word ("flight")
 * would pass; when the bot has just asked for one (`prompted`), letters alone will do.
 */
export function findReference(text: string, prompted: boolean): string | null {
  for (const token of tokensOf(text)) {
    if (isOrderNumber(token)) return token.toUpperCase();
    if (!isBookingReference(token)) continue;
    const upper = token.toUpperCase();
    if (/\d/u.test(token) || (prompted && !COMMON_SIX_LETTER_WORDS.has(upper))) return upper;
  }
  return null;
}

/** Tokens that look meant as an email address (an "@" inside, not a leading @handle). */
const emailAttempts = (text: string): string[] => tokensOf(text).filter((token) => token.indexOf('@') > 0);

/** The first valid email address in a message, lower-cased. */
export function findEmail(text: string): string | null {
  const found = emailAttempts(text).find(isEmail);
  return found ? found.toLowerCase() : null;
}

/** Whether the message tries to give an email address and gets it wrong ("ana@gmail", "ana@@x.com"). */
export const hasInvalidEmail = (text: string): boolean => emailAttempts(text).some((token) => !isEmail(token));

const isCustomerData = (token: string): boolean => isOrderNumber(token) || (isBookingReference(token) && /\d/u.test(token)) || isEmail(token);

/** The message without its references and email addresses, as written otherwise: what is left to understand. */
export function withoutCustomerData(text: string): string {
  return text
    .split(/\s+/u)
    .filter((word) => word && !isCustomerData(bare(word)))
    .join(' ');
}

/** Lower case, no accents, no apostrophes or punctuation, single spaces: "Je n’en ai pas !" → "je nen ai pas". */
export function plainText(text: string): string {
  return normalizeWord(text)
    .replace(/['’`]/gu, '')
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}

/** The ways customers say they have no reference or would rather not give an email. */
const SKIP_ANSWERS = new Set(
  [
    'skip', 'no', 'nope', 'none', 'n/a', 'pass', 'i dont have one', 'i dont have it', 'dont have one', 'i dont', 'rather not', 'id rather not', 'no thanks',
    'no tengo', 'no lo tengo', 'no la tengo', 'ninguno', 'ninguna', 'omitir', 'saltar', 'prefiero no', 'no gracias',
    'non', 'je nen ai pas', 'je ne lai pas', 'pas de reference', 'aucun', 'aucune', 'passer', 'je prefere pas', 'je prefere ne pas', 'non merci',
  ].map(plainText),
);

export const isSkip = (text: string): boolean => SKIP_ANSWERS.has(plainText(text));

/**
 * A customer speaking of their own booking or order ("my flight", "mi último pedido", "ma
 * commande", "I booked"): the agent will need its reference, which a public thread must never
 * ask for. A general question ("how do refunds work?") stays in public.
 */
const CASE_WORDS = 'booking|reservation|order|flight|ticket|parcel|package|delivery|refund|reserva|pedido|vuelo|billete|paquete|entrega|reembolso|commande|vol|billet|colis|livraison|remboursement';
const OWN_CASE = new RegExp(
  `(?<![\\p{L}])(?:(?:my|our|mi|mis|nuestra|nuestro|mon|ma|mes|notre|nos)\\s+(?:\\p{L}+\\s+)?(?:${CASE_WORDS})s?|i (?:booked|ordered)|he (?:reservado|pedido)|jai (?:reserve|commande))(?![\\p{L}])`,
  'u',
);

export const mentionsOwnCase = (text: string): boolean => OWN_CASE.test(plainText(text));
