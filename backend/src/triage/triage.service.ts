import {
    influenceTierOf,
  RECENT_SENTIMENTS,
  ticketSentimentOf,
  triagePriority,
  UNDETERMINED_LANGUAGE,
  type Engagement,
  type InboundEvent,
  type InfluenceTier,
  type ListedAs,
  type Priority,
  type PriorityDecision,
  type Sentiment,
  type TriageKeyword,
} from '@parley/common';
import type { ResolvedContact } from '../contacts/contacts.service';
import type { Logger } from '../logger';
import { rejectAfter } from '../lib/async';
import { priorityRank, type TicketDoc } from '../tickets/ticket.model';
import { analyzeText } from './analysis';
import { keywordsIn } from './triage-settings.service';
import { vipListingOf } from './vip';

/** What triage made of one customer message as it was ingested. */
export interface MessageTriage {
  /** ISO 639-1 or "und"; null when the text could not be read (complete false). */
  language: string | null;
  sentiment: Sentiment | null;
  tier: InfluenceTier;
  /** The author's largest follower count on any platform (0 when no platform says). */
  reach: number;
  listedAs: ListedAs;
  keywords: TriageKeyword[];
  engagement: Engagement | null;
  decision: PriorityDecision;
  /**
   * false when a step failed or took too long (the text analysis, the VIP lists): the message
   * is stored with what there is (priority by reach) and a triage job reads it again.
   */
  complete: boolean;
}

/** How long ingest waits for the brand's lists (a cold cache); beyond it the message goes on without them. */
const LISTS_TIMEOUT_MS = 500;

/** The seams a test replaces to see ingest survive a failing or slow triage step. */
export interface TriageSteps {
  analyze: typeof analyzeText;
  listing: typeof vipListingOf;
}
export const realTriageSteps: TriageSteps = { analyze: analyzeText, listing: vipListingOf };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A platform's language tag, when it is a plain ISO 639-1 code ("en", not "qme" or "und"). */
const platformLanguage = (code: string | undefined) => {
  const primary = code?.toLowerCase().split('-')[0];
  return primary && /^[a-z]{2}$/.test(primary) ? primary : null;
};

/**
 * Reads a customer message for triage: its language and sentiment (local analysis), who wrote
 * it (reach, verification, the brand's lists and tags), the admin keywords it holds and what
 * the platform counted on it, and from these its priority and the reason. Never throws: a step
 * that fails leaves its part out and the triage incomplete.
 */
export async function triageInbound(event: Pick<InboundEvent, 'text' | 'visibility' | 'language' | 'engagement'>, contact: Pick<ResolvedContact, 'identities' | 'tags'>, log: Logger | undefined, steps: TriageSteps = realTriageSteps): Promise<MessageTriage> {
  let complete = true;
  let language: string | null = platformLanguage(event.language);
  let sentiment: Sentiment | null = null;
  try {
    const analysis = steps.analyze(event.text);
    sentiment = analysis.sentiment;
    // Our reading first; the platform's tag when we cannot tell (a very short text).
    language = analysis.language !== UNDETERMINED_LANGUAGE ? analysis.language : (language ?? UNDETERMINED_LANGUAGE);
  } catch (error) {
    complete = false;
    log?.warn({ err: error }, 'triage could not read a message; it is stored with priority by reach and read again');
  }

  let listedAs: ListedAs = contact.tags.includes('press') ? 'press' : contact.tags.includes('vip') ? 'vip' : null;
  try {
    const listing = await rejectAfter(steps.listing(contact.identities), LISTS_TIMEOUT_MS);
    if (listing.press) listedAs = 'press';
    else if (listing.vip) listedAs ??= 'vip';
  } catch (error) {
    complete = false;
    log?.warn({ err: messageOf(error) }, 'triage could not read the VIP lists; the message goes on without them');
  }

  let keywords: TriageKeyword[] = [];
  try {
    keywords = await keywordsIn(event.text);
  } catch (error) {
    complete = false;
    log?.warn({ err: messageOf(error) }, 'triage could not read its keywords');
  }

  const tier = influenceTierOf(contact.identities, { vip: listedAs !== null });
  const reach = Math.max(0, ...contact.identities.map((identity) => identity.followers ?? 0));
  const engagement = event.engagement ?? null;
  const decision = triagePriority({ tier, listedAs, sentiment, visibility: event.visibility, keywords, engagement });
  return { language, sentiment, tier, reach, listedAs, keywords, engagement, decision, complete };
}

/** The triage fields of a ticket opened for a message. */
export function newTicketTriage(triage: MessageTriage) {
  return {
    priority: triage.decision.priority,
    priorityRank: priorityRank(triage.decision.priority),
    priorityReason: triage.decision.reason,
    prioritySource: 'triage' as const,
    language: triage.language,
    ...(triage.sentiment ? { sentiment: triage.sentiment, sentimentRecent: [triage.sentiment] } : {}),
    influenceTier: triage.tier,
    reach: triage.reach,
  };
}

/**
 * A ticket's triage fields after one more customer message. Language and sentiment follow the
 * latest messages; priority follows triage only while triage set it, never down within one
 * episode (a "thanks" does not calm a lawsuit), afresh when the message reopens the ticket.
 */
export function ticketTriageChange(ticket: TicketDoc, triage: MessageTriage, { reopened }: { reopened: boolean }): { set: Partial<TicketDoc>; priority: Priority } {
  const recent = triage.sentiment ? [triage.sentiment, ...(ticket.sentimentRecent ?? [])].slice(0, RECENT_SENTIMENTS) : (ticket.sentimentRecent ?? []);
  const sentiment = ticketSentimentOf(recent);
  const language = triage.language && triage.language !== UNDETERMINED_LANGUAGE ? triage.language : (ticket.language ?? triage.language);
  const set: Partial<TicketDoc> = {
    language,
    ...(sentiment ? { sentiment, sentimentRecent: recent } : {}),
    influenceTier: triage.tier,
    reach: triage.reach,
  };
  if ((ticket.prioritySource ?? 'triage') !== 'triage') return { set, priority: ticket.priority };
  const proposed = triage.decision.priority;
  if (!reopened && priorityRank(proposed) < priorityRank(ticket.priority)) return { set, priority: ticket.priority };
  return {
    set: { ...set, priority: proposed, priorityRank: priorityRank(proposed), priorityReason: triage.decision.reason },
    priority: proposed,
  };
}
