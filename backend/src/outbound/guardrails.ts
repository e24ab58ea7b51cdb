import {
  checkPublicReply,
  guardrailSummary,
  mergeGuardrailSettings,
  storedGuardrailSettingsSchema,
  unresolvedFindings,
  type GuardrailContext,
  type GuardrailFinding,
  type GuardrailSettings,
} from '@parley/common';
import { cachedChannel } from '../channels/channels.service';
import type { ChannelDoc } from '../channels/channel.model';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { brandGuardrails } from '../guardrails/guardrails.service';
import { GuardrailBlocked } from '../http/errors';
import { hashtagFindings, normalizedConfirmKeys } from './hashtag.guardrail';
import type { MessageDoc } from '../tickets/message.model';
import { Message } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';

/**
 * The guardrails of the one way out: every public message is checked here before it is
 * stored (postMessage: a 422 the agent sees) and again before a connector sends it (the
 * outbound processor: a message from any other path that would not pass is failed, never
 * sent). Notes and private messages are not checked: that is where personal data belongs.
 */

export interface GuardrailSubject {
  ticket: Pick<TicketDoc, '_id' | 'channelId' | 'channelKind' | 'contactId'>;
  /** The customer message answered, when known: its author may be mentioned, its language says which phone formats to expect. */
  replyTo?: Pick<MessageDoc, 'contactId' | 'language'> | null;
  text: string;
}

export interface GuardrailInput extends GuardrailSubject {
  channel: ChannelDoc | null;
  context: GuardrailContext;
}

/**
 * One check of a public reply: the findings it makes, each with its span. Producers run in
 * order and their findings add up; a warning needs the confirmKey it carries in `confirm`.
 */
export type GuardrailFindingProducer = (input: GuardrailInput) => GuardrailFinding[] | Promise<GuardrailFinding[]>;

/** Personal data, blocklist, mentions and links: the same check as the composer's (common/guardrails.check.ts). */
export const sharedCheck: GuardrailFindingProducer = ({ text, context }) => checkPublicReply(text, context);

/** Hashtags the brand never used on the channel, or trending there: a second look (hashtag.guardrail.ts). */
export const hashtagCheck: GuardrailFindingProducer = ({ ticket, text }) => hashtagFindings(ticket.channelId, text);

/** Every check a public reply goes through; their warnings are confirmed alike, by their confirmKey. */
export const guardrailProducers: readonly GuardrailFindingProducer[] = [sharedCheck, hashtagCheck];

/** A channel's own guardrails, as stored in settings.guardrails (none when unset or unreadable). */
export function channelGuardrails(channel: Pick<ChannelDoc, 'settings'> | null): Partial<GuardrailSettings> | undefined {
  const parsed = storedGuardrailSettingsSchema.safeParse(channel?.settings.guardrails ?? {});
  return parsed.success ? parsed.data : undefined;
}

async function answeredHandles(subject: GuardrailSubject): Promise<string[]> {
  const ids = [subject.ticket.contactId, subject.replyTo?.contactId].filter((id): id is NonNullable<typeof id> => Boolean(id));
  const unique = ids.filter((id, index) => ids.findIndex((other) => other.equals(id)) === index);
  const found = await Promise.all(unique.map((id) => Contact.findById(id, { identities: 1 }).lean<Pick<ContactDoc, 'identities'>>()));
  const contacts = found.filter((contact): contact is Pick<ContactDoc, 'identities'> => contact !== null);
  const handles = contacts.flatMap((contact) => contact.identities.filter((identity) => identity.kind === subject.ticket.channelKind).map((identity) => identity.handle));
  return [...new Set(handles.filter((handle): handle is string => Boolean(handle)).map((handle) => handle.replace(/^@/, '').toLowerCase()))];
}

async function conversationLanguage(subject: GuardrailSubject): Promise<string | null> {
  if (subject.replyTo?.language) return subject.replyTo.language;
  const latest = await Message.findOne({ ticketId: subject.ticket._id, direction: 'inbound' }, { language: 1 }).sort({ sentAt: -1 }).lean<Pick<MessageDoc, 'language'>>();
  return latest?.language ?? null;
}

/** What the check runs with for a reply in this ticket: the brand's and the channel's guardrails, who is answered, in which language. */
export async function guardrailContextFor(subject: Omit<GuardrailSubject, 'text'>, channel?: ChannelDoc | null): Promise<GuardrailContext> {
  const ofChannel = channel === undefined ? await cachedChannel(subject.ticket.channelId) : channel;
  const [brand, handles, language] = await Promise.all([brandGuardrails(), answeredHandles({ ...subject, text: '' }), conversationLanguage({ ...subject, text: '' })]);
  return { settings: mergeGuardrailSettings(brand, channelGuardrails(ofChannel)), answeredHandles: handles, language };
}

export interface GuardrailVerdict {
  /** Everything the checks found, confirmed or not. */
  findings: GuardrailFinding[];
  /** What still holds the reply back: every block, and each warning whose confirmKey was not given. */
  unresolved: GuardrailFinding[];
  /** The confirmKeys given that matched a warning (what the message records as confirmed). */
  confirmedKeys: string[];
}

/** Runs every guardrail check on a public reply in this ticket. */
export async function guardrailFindingsFor(subject: GuardrailSubject, { confirmed = [] }: { confirmed?: readonly string[] } = {}): Promise<GuardrailVerdict> {
  const channel = await cachedChannel(subject.ticket.channelId);
  const context = await guardrailContextFor(subject, channel);
  const input: GuardrailInput = { ...subject, channel, context };
  const findings: GuardrailFinding[] = [];
  for (const producer of guardrailProducers) findings.push(...(await producer(input)));
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  const warningKeys = new Set(findings.map((finding) => finding.confirmKey).filter((key): key is string => key !== undefined));
  const given = [...normalizedConfirmKeys(confirmed)];
  return { findings, unresolved: unresolvedFindings(findings, given), confirmedKeys: given.filter((key) => warningKeys.has(key)) };
}

/**
 * Refuses a public reply a guardrail holds back with 422 and the findings (GuardrailBlocked);
 * answers the confirmKeys that let its warnings through, for the message to keep.
 */
export async function enforcePublicGuardrails(subject: GuardrailSubject, confirmed: readonly string[] = []): Promise<string[]> {
  const verdict = await guardrailFindingsFor(subject, { confirmed });
  if (verdict.unresolved.length > 0) throw new GuardrailBlocked(guardrailSummary(verdict.unresolved), verdict.unresolved);
  return verdict.confirmedKeys;
}

/** Why a message may not go out as it is, for its failureReason: null when it may. */
export function heldBackReason(unresolved: readonly GuardrailFinding[]): string | null {
  if (unresolved.length === 0) return null;
  const details = unresolved.map((finding) => `${finding.message} ("${finding.text}")`).join('; ');
  return `Not sent: ${guardrailSummary(unresolved)}. ${details}`;
}
