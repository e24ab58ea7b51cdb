import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

/**
 * Personal data in a text: where it is (UTF-16 offsets, end exclusive) and what kind. Each
 * finder errs towards letting ordinary replies through (prices, dates, times, order numbers
 * that are not the brand's configured references): a guardrail that cries wolf gets ignored.
 */
export interface Span {
  start: number;
  end: number;
}
export interface PersonalDataSpan extends Span {
  kind: 'email' | 'phone' | 'card' | 'iban' | 'address';
}

const letterOrDigit = /[\p{L}\p{N}]/u;
const charBefore = (text: string, index: number) => text[index - 1] ?? '';

function* matches(text: string, regex: RegExp): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    if (match[0] === '') regex.lastIndex += 1;
    else yield match;
  }
}

// ——— email ———

const emailPattern = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-][\p{L}\p{N}._%+-]*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;
/** "name [at] domain [dot] com", "nombre (arroba) dominio.es": the forms people use to dodge filters. */
const hiddenEmailPattern =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-][\p{L}\p{N}._%+-]*\s*[[({]\s*(?:at|arroba|arobase)\s*[\])}]\s*[\p{L}\p{N}-]+(?:\s*(?:\.|[[({]\s*(?:dot|punto|point)\s*[\])}])\s*[\p{L}\p{N}-]+)+/giu;

export function findEmails(text: string): PersonalDataSpan[] {
  return [...matches(text, emailPattern), ...matches(text, hiddenEmailPattern)].map((match) => ({ kind: 'email', start: match.index, end: match.index + match[0].length }));
}

// ——— card numbers ———

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Digit groups separated by one space or dash, as cards are written (4-4-4-4, 4-6-5, or no gaps). */
const digitRunPattern = /(?<![\p{L}\p{N}]|[\p{N}][.,])\d+(?:[ -]\d+)*(?![\p{L}\p{N}]|[.,]\d)/gu;

function looksLikeCard(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  // Issuers' first digits: 2 and 5 Mastercard, 3 Amex/Diners/JCB, 4 Visa, 6 Discover/UnionPay/Maestro.
  if (!/^[2-6]/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  return passesLuhn(digits);
}

export function findCards(text: string): PersonalDataSpan[] {
  const found: PersonalDataSpan[] = [];
  for (const run of matches(text, digitRunPattern)) {
    const separators = new Set(run[0].match(/[ -]/g) ?? []);
    if (separators.size > 1) continue;
    const groups: Span[] = [];
    for (const group of matches(run[0], /\d+/g)) groups.push({ start: run.index + group.index, end: run.index + group.index + group[0].length });
    // Any consecutive groups may be the card ("ref 12 4111 1111 1111 1111"), each of 3–6 digits unless unbroken.
    let best: Span | undefined;
    for (let first = 0; first < groups.length && !best; first++) {
      for (let last = groups.length - 1; last >= first; last--) {
        const chosen = groups.slice(first, last + 1);
        if (chosen.length > 1 && chosen.some((group) => group.end - group.start < 3 || group.end - group.start > 6)) continue;
        const start = chosen[0]?.start ?? 0;
        const end = chosen.at(-1)?.end ?? 0;
        if (looksLikeCard(text.slice(start, end).replace(/\D/g, ''))) {
          best = { start, end };
          break;
        }
      }
    }
    if (best) found.push({ kind: 'card', ...best });
  }
  return found;
}

// ——— IBAN ———

/** IBAN length per country (SWIFT's IBAN registry). */
const ibanLengths: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

function ibanChecksumValid(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function findIbans(text: string): PersonalDataSpan[] {
  const found: PersonalDataSpan[] = [];
  for (const match of matches(text, /(?<![\p{L}\p{N}])([A-Za-z]{2})(\d{2})/gu)) {
    const country = (match[1] ?? '').toUpperCase();
    const length = ibanLengths[country];
    if (!length) continue;
    // Walk on from the check digits: letters and digits, single spaces or dashes between groups, up to the country's length.
    let compact = `${country}${match[2] ?? ''}`;
    let index = match.index + 4;
    while (compact.length < length && index < text.length) {
      const character = text[index] ?? '';
      if (/[A-Za-z0-9]/.test(character)) {
        compact += character.toUpperCase();
        index += 1;
      } else if (/[ -]/.test(character) && /[A-Za-z0-9]/.test(text[index + 1] ?? '')) {
        index += 1;
      } else break;
    }
    if (compact.length !== length || letterOrDigit.test(text[index] ?? '')) continue;
    if (!/\d{6}/.test(compact.slice(4).replace(/[A-Z]/g, '')) || !ibanChecksumValid(compact)) continue;
    found.push({ kind: 'iban', start: match.index, end: index });
  }
  return found;
}

// ——— phone numbers ———

/** Where numbers written nationally are looked for, by the conversation's language. */
const regionsByLanguage: Record<string, CountryCode[]> = { en: ['US', 'GB'], es: ['ES', 'MX'], fr: ['FR', 'BE', 'CA'] };
const defaultRegions: CountryCode[] = ['US', 'GB', 'FR', 'ES'];
/** Regions whose national numbers are always dialled with a leading 0: "123456789" there is no phone number. */
const trunkZeroRegions = new Set<CountryCode>(['FR', 'BE', 'GB', 'CH', 'DE', 'IT', 'IE', 'AU', 'NL']);

/** "order 0612345678", "pedido nº 612345678", "commande #0612…": a number named as something else. */
const namedAsOther =
  /(?:order|invoice|tracking|ticket|case|ref|reference|booking|confirmation|account|pedido|factura|seguimiento|referencia|reserva|localizador|cuenta|commande|facture|suivi|référence|réservation|dossier|compte)\s*(?:(?:no|nr|n[°º]|num|number|numero|número|numéro)\.?\s*)?[:#]?\s*$/iu;
const followedByUnit = /^\s*(?:€|\$|£|¥|%|eur\b|usd\b|gbp\b|euros?\b|dollars?\b|pesos?\b|kg\b|km\b|ml\b|mb\b|gb\b|x\b|h\b|min\b)/iu;

export function regionsFor(language: string | null | undefined): CountryCode[] {
  return (language && regionsByLanguage[language.slice(0, 2).toLowerCase()]) || defaultRegions;
}

export function findPhones(text: string, language: string | null | undefined): PersonalDataSpan[] {
  const found = new Map<string, PersonalDataSpan>();
  for (const region of regionsFor(language)) {
    for (const number of findPhoneNumbersInText(text, { defaultCountry: region })) {
      const { startsAt: start, endsAt: end } = number;
      const written = text.slice(start, end);
      const international = /^\s*(?:\+|00)/.test(written);
      if (!number.number.isValid()) continue;
      if (letterOrDigit.test(charBefore(text, start)) || letterOrDigit.test(text[end] ?? '')) continue;
      if (/#\s*$/.test(text.slice(Math.max(0, start - 2), start)) || namedAsOther.test(text.slice(Math.max(0, start - 40), start))) continue;
      if (followedByUnit.test(text.slice(end, end + 10))) continue;
      if (!international && trunkZeroRegions.has(region) && !written.replace(/^\(/, '').startsWith('0')) continue;
      found.set(`${start}:${end}`, { kind: 'phone', start, end });
    }
  }
  return [...found.values()];
}

// ——— postal addresses ———

/** A word any case: "street" as Street, STREET, street. */
const anyCase = (words: string[]) => words.map((word) => word.replace(/\p{L}/gu, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`).replace(/\./g, '\\.')).join('|');

const name = String.raw`\p{Lu}[\p{L}'’.-]*`;
const englishStreetTypes = anyCase(['street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'court', 'ct', 'place', 'pl', 'terrace', 'crescent', 'close', 'square', 'sq', 'highway', 'hwy', 'parkway', 'pkwy', 'way']);
/** "221B Baker Street", "1600 Pennsylvania Ave": a number, capitalised names, a street type. */
const englishStreet = new RegExp(
  String.raw`(?<![\p{L}\p{N}#])\d{1,5}[A-Za-z]?,?\s+(?:(?:[NSEW]|North|South|East|West)\.?\s+)?(?:(?:${name}|\d{1,3}(?:st|nd|rd|th))\s+){1,4}(?:${englishStreetTypes})\.?(?![\p{L}\p{N}])`,
  'gu',
);
const spanishStreetTypes = anyCase(['calle', 'c/', 'avenida', 'avda.', 'avda', 'av.', 'paseo', 'plaza', 'pza.', 'carrera', 'camino', 'ronda', 'travesía', 'glorieta', 'carretera', 'ctra.']);
const spanishLinks = '(?:de|del|de la|de los|de las|la|los|las|el|y)';
/** "Calle Mayor 12", "C/ de Alcalá, 45", "Avenida de la Constitución nº 3": type, name, then number. */
const spanishStreet = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${spanishStreetTypes})\s*(?:${spanishLinks}\s+)?${name}(?:\s+(?:${spanishLinks}\s+)?${name}){0,4},?\s*(?:n[º°o]\.?\s*)?\d{1,4}(?![\p{N}])`,
  'gu',
);
const frenchStreetTypes = anyCase(['rue', 'avenue', 'av.', 'boulevard', 'bd', 'place', 'allée', 'impasse', 'chemin', 'quai', 'route', 'cours', 'square', 'passage', 'faubourg', 'chaussée', 'voie']);
const frenchLinks = String.raw`(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’])`;
/** "12 rue de la Paix", "3 bis, avenue Foch": number, type, then a name. */
const frenchStreet = new RegExp(
  String.raw`(?<![\p{L}\p{N}#])\d{1,4}\s*(?:bis|ter|[abAB])?,?\s+(?:${frenchStreetTypes})\s+${frenchLinks}?${name}(?:[\s-]+${frenchLinks}?${name}){0,4}`,
  'gu',
);
/** "75002 Paris", "28013 Madrid", "13001 Marseille Cedex": a five-digit postcode and a capitalised city. */
const postcodeCity = new RegExp(String.raw`(?<![\p{L}\p{N}#]|[\p{N}][.,])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}\s+${name}(?:[\s-]${name}){0,3}`, 'gu');
const usStates =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
/** "Springfield, IL 62704". */
const usCityStateZip = new RegExp(String.raw`${name}(?:\s${name}){0,3},\s*(?:${usStates})\s+\d{5}(?:-\d{4})?(?![\p{N}])`, 'gu');
/** "SW1A 1AA", "M1 1AE": British postcodes, capitals only. */
const britishPostcode = /(?<![\p{L}\p{N}])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}(?![\p{L}\p{N}])/gu;

export function findAddresses(text: string): PersonalDataSpan[] {
  const spans: Span[] = [];
  // A full stop after the last word ends the sentence, not the address.
  const spanOf = (match: RegExpExecArray) => ({ start: match.index, end: match.index + match[0].replace(/[.,]+$/, '').length });
  for (const pattern of [englishStreet, spanishStreet, frenchStreet, usCityStateZip, britishPostcode]) {
    for (const match of matches(text, pattern)) spans.push(spanOf(match));
  }
  for (const match of matches(text, postcodeCity)) {
    if (namedAsOther.test(text.slice(Math.max(0, match.index - 40), match.index))) continue;
    spans.push(spanOf(match));
  }
  // "12 rue de la Paix, 75002 Paris" is one address: spans next to each other (a comma or spaces apart) join.
  spans.sort((a, b) => a.start - b.start);
  const joined: Span[] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    if (last && (span.start <= last.end || /^[\s,]*$/.test(text.slice(last.end, span.start)))) last.end = Math.max(last.end, span.end);
    else joined.push({ ...span });
  }
  return joined.map((span) => ({ kind: 'address', ...span }));
}
