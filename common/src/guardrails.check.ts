import type { GuardrailFinding } from './guardrails';
import { findAddresses, findCards, findEmails, findIbans, findPhones, type PersonalDataSpan, type Span } from './guardrails.personal';
import { compileReferencePattern } from './guardrails.patterns';
import { foldForComparison, type EffectiveGuardrailSettings, type GuardrailContext } from './guardrails.settings';

/**
 * The one guardrail check of a public reply: run by the composer on every keystroke and by the
 * server before anything public goes out (backend/src/outbound/guardrails.ts). Pure and
 * synchronous; findings come sorted by where they start, spans in UTF-16 offsets.
 *
 * Personal data (email, phone, card, IBAN, the brand's references, postal addresses) always
 * blocks: it belongs in a private conversation. The blocklist, mentions and links warn or
 * block as configured; a warning carries the confirmKey that lets it through.
 */
export type GuardrailCheckContext = Pick<GuardrailContext, 'settings'> & Partial<Omit<GuardrailContext, 'settings'>>;

const personalMessages: Record<PersonalDataSpan['kind'] | 'reference', string> = {
  email: 'An email address does not belong in a public reply: move to private',
  phone: 'A phone number does not belong in a public reply: move to private',
  card: 'A card number does not belong in a public reply: move to private',
  iban: 'A bank account number (IBAN) does not belong in a public reply: move to private',
  reference: 'An order or booking reference does not belong in a public reply: move to private',
  address: 'A postal address does not belong in a public reply: move to private',
};

/** Kinds of personal data that a finding of the same span loses to, most specific first. */
const precedence: Array<PersonalDataSpan['kind'] | 'reference'> = ['email', 'iban', 'card', 'reference', 'phone', 'address'];

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

function* allMatches(text: string, regex: RegExp): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    if (match[0] === '') regex.lastIndex += 1;
    else yield match;
  }
}

function findReferences(text: string, patterns: readonly string[]): Array<Span & { kind: 'reference' }> {
  const found: Array<Span & { kind: 'reference' }> = [];
  for (const source of patterns) {
    const regex = compileReferencePattern(source);
    if (!regex) continue;
    for (const match of allMatches(text, regex)) found.push({ kind: 'reference', start: match.index, end: match.index + match[0].length });
  }
  return found;
}

function personalData(text: string, context: GuardrailCheckContext): GuardrailFinding[] {
  const candidates = [
    ...findEmails(text),
    ...findIbans(text),
    ...findCards(text),
    ...findReferences(text, context.settings.referencePatterns),
    ...findPhones(text, context.language),
    ...findAddresses(text),
  ].sort((a, b) => precedence.indexOf(a.kind) - precedence.indexOf(b.kind) || a.start - b.start);
  const kept: typeof candidates = [];
  for (const candidate of candidates) if (!kept.some((other) => overlaps(other, candidate))) kept.push(candidate);
  return kept.map(({ kind, start, end }) => ({ kind, severity: 'block', text: text.slice(start, end), start, end, message: personalMessages[kind] }));
}

/**
 * The text folded for comparison (lower case, no accents) with, for every folded character,
 * where it came from, so a match maps back to the exact span the agent wrote.
 */
function foldWithOffsets(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const character of text) {
    const into = /\s/.test(character) ? ' ' : foldForComparison(character) || (/\p{M}/u.test(character) ? '' : character);
    for (const unit of into) {
      folded += unit;
      starts.push(index);
      ends.push(index + character.length);
    }
    index += character.length;
  }
  return { folded, starts, ends };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const phraseRegexes = new Map<string, RegExp>();
/** A folded phrase as a whole-word pattern over folded text; cached, the composer checks on every keystroke. */
function phraseRegex(phrase: string): RegExp {
  let regex = phraseRegexes.get(phrase);
  if (!regex) {
    regex = new RegExp(`(?<![\\p{L}\\p{N}])${phrase.split(' ').map(escapeRegex).join(' +')}(?![\\p{L}\\p{N}])`, 'gu');
    if (phraseRegexes.size > 2_000) phraseRegexes.clear();
    phraseRegexes.set(phrase, regex);
  }
  return regex;
}

function blocklistFindings(text: string, settings: EffectiveGuardrailSettings): GuardrailFinding[] {
  if (settings.blocklist.length === 0) return [];
  const { folded, starts, ends } = foldWithOffsets(text);
  const findings: GuardrailFinding[] = [];
  for (const entry of settings.blocklist) {
    const phrase = foldForComparison(entry.phrase);
    if (!phrase) continue;
    const regex = phraseRegex(phrase);
    for (const match of allMatches(folded, regex)) {
      const start = starts[match.index] ?? 0;
      const end = ends[match.index + match[0].length - 1] ?? start;
      findings.push({
        kind: 'blocklist',
        severity: entry.action,
        text: text.slice(start, end),
        start,
        end,
        message:
          entry.action === 'block'
            ? `"${entry.phrase}" is on the brand's blocklist: rephrase the reply`
            : `"${entry.phrase}" is on the brand's watch list: check the reply before sending it`,
        ...(entry.action === 'warn' ? { confirmKey: `blocklist:${phrase}` } : {}),
      });
    }
  }
  return findings;
}

/** @handles as X and Instagram write them (Instagram allows dots inside). */
const mentionPattern = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![A-Za-z0-9_@])/gu;

function mentionFindings(text: string, context: GuardrailCheckContext): GuardrailFinding[] {
  const { settings } = context;
  if (settings.mentions === 'allow') return [];
  const allowed = new Set([...(context.answeredHandles ?? []), ...settings.allowedMentions].map((handle) => handle.replace(/^@/, '').toLowerCase()));
  const findings: GuardrailFinding[] = [];
  for (const match of allMatches(text, mentionPattern)) {
    const handle = (match[1] ?? '').toLowerCase();
    if (allowed.has(handle)) continue;
    findings.push({
      kind: 'mention',
      severity: settings.mentions,
      text: match[0],
      start: match.index,
      end: match.index + match[0].length,
      message:
        settings.mentions === 'block'
          ? `${match[0]} is not the account you are answering: public replies may not mention other accounts`
          : `${match[0]} is not the account you are answering: make sure they should be part of this public reply`,
      ...(settings.mentions === 'warn' ? { confirmKey: `mention:@${handle}` } : {}),
    });
  }
  return findings;
}

const commonTlds = 'com|net|org|info|biz|io|co|app|dev|me|ly|gl|tv|shop|store|online|site|link|eu|uk|fr|es|de|it|nl|be|ch|ca|us|mx|ar|br|pt|ie|au|cat';
/** Links with a scheme, "www." ones, and bare domains of common top-level domains ("acme-deals.shop/x"). */
const linkPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}@._/-])(?:https?:\/\/[^\s<>"'“”‘’]+|www\.[^\s<>"'“”‘’]+|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:${commonTlds})(?![\p{L}\p{N}-])(?:[/?#][^\s<>"'“”‘’]*)?)`,
  'giu',
);

function hostOf(link: string): string {
  return link
    .replace(/^https?:\/\//i, '')
    .replace(/[/?#].*$/, '')
    .replace(/^[^@]*@/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function linkFindings(text: string, settings: EffectiveGuardrailSettings): GuardrailFinding[] {
  if (settings.allowedLinkDomains.length === 0) return [];
  const findings: GuardrailFinding[] = [];
  for (const match of allMatches(text, linkPattern)) {
    // Sentence punctuation after a link is not part of it.
    const link = match[0].replace(/[.,;:!?)\]}'"»…]+$/u, '');
    const host = hostOf(link);
    if (!host || settings.allowedLinkDomains.some((domain) => host === domain || host.endsWith(`.${domain}`))) continue;
    findings.push({
      kind: 'link',
      severity: settings.links,
      text: link,
      start: match.index,
      end: match.index + link.length,
      message:
        settings.links === 'block'
          ? `A link to ${host} is outside the brand's allowed domains: public replies may not link there`
          : `A link to ${host} is outside the brand's allowed domains: check it before sending`,
      ...(settings.links === 'warn' ? { confirmKey: `link:${host}` } : {}),
    });
  }
  return findings;
}

export function checkPublicReply(text: string, context: GuardrailCheckContext): GuardrailFinding[] {
  const personal = personalData(text, context);
  // An email's domain is not a link, its local part no mention.
  const policy = [...blocklistFindings(text, context.settings), ...mentionFindings(text, context), ...linkFindings(text, context.settings)].filter(
    (finding) => finding.kind === 'blocklist' || !personal.some((other) => other.kind === 'email' && overlaps(other, finding)),
  );
  return [...personal, ...policy].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The findings that still hold a reply back: every block, and each warning whose key was not confirmed. */
export function unresolvedFindings(findings: readonly GuardrailFinding[], confirmed: readonly string[]): GuardrailFinding[] {
  const keys = new Set(confirmed);
  return findings.filter((finding) => finding.severity === 'block' || (finding.confirmKey !== undefined && !keys.has(finding.confirmKey)));
}

/** One sentence for the whole 422: what holds the reply back. */
export function guardrailSummary(findings: readonly GuardrailFinding[]): string {
  const blocked = findings.filter((finding) => finding.severity === 'block');
  if (blocked.length > 0) {
    const personal = blocked.some((finding) => ['email', 'phone', 'card', 'iban', 'reference', 'address'].includes(finding.kind));
    return personal
      ? 'This public reply contains personal data: remove it or move the conversation to private'
      : 'This public reply contains something the brand does not allow in public: rephrase it';
  }
  const looked = [...new Set(findings.map((finding) => finding.text))].join(', ');
  return `This public reply needs a second look at ${looked}: confirm each warning to send it`;
}
