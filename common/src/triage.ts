import { z } from 'zod';
import type { InfluenceTier } from './influence';
import { isSearchableKeyword } from './keywords';
import type { Priority } from './tickets';

/**
 * Triage: what Parley reads from a customer's message (language, sentiment, reach) and why a
 * ticket got its priority. The backend's triage/ computes them locally as the message is
 * ingested; the inbox shows them; rules, the bot and reports use them.
 */

/** A message's language as triage stores it: ISO 639-1, or "und" when it cannot be told. */
export const messageLanguageSchema = z.string().regex(/^([a-z]{2}|und)$/);
export const UNDETERMINED_LANGUAGE = 'und';

export const sentimentLabelSchema = z.enum(['negative', 'neutral', 'positive']);
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>;

/** score from -1 (most negative) to 1 (most positive); label is what the score means for care. */
export const sentimentSchema = z.object({ score: z.number().min(-1).max(1), label: sentimentLabelSchema });
export type Sentiment = z.infer<typeof sentimentSchema>;

/** What the platform counts on a public post when it says: likes, replies, reposts (retweets, shares), quotes. */
export const engagementSchema = z.object({
  likes: z.number().int().nonnegative().default(0),
  replies: z.number().int().nonnegative().default(0),
  reposts: z.number().int().nonnegative().default(0),
  quotes: z.number().int().nonnegative().default(0),
});
export type Engagement = z.infer<typeof engagementSchema>;

/** Interactions with a post, reposts and quotes counting double (they carry it to new readers). */
export const engagementTotal = (engagement: Engagement | null | undefined): number =>
  engagement ? engagement.likes + engagement.replies + 2 * (engagement.reposts + engagement.quotes) : 0;

/**
 * Who decided a ticket's priority. Triage sets it as messages arrive, and only while it is
 * still its own: an agent's choice (user), a rule's or an SLA policy's is never overwritten.
 */
export const prioritySourceSchema = z.enum(['triage', 'user', 'rule', 'policy']);
export type PrioritySource = z.infer<typeof prioritySourceSchema>;

/**
 * Admin keywords that weigh on priority, in any language: `urgent` and `high` set a floor
 * (a lawsuit is urgent whoever writes it), `raise` adds a step.
 */
export const triageKeywordLevelSchema = z.enum(['urgent', 'high', 'raise']);
export type TriageKeywordLevel = z.infer<typeof triageKeywordLevelSchema>;

export const triageKeywordSchema = z.strictObject({
  term: z.string().trim().min(1, 'must not be empty').max(100).refine(isSearchableKeyword, 'has no word to look for (only spaces, punctuation or symbols)'),
  level: triageKeywordLevelSchema,
});
export type TriageKeyword = z.infer<typeof triageKeywordSchema>;

/**
 * Storm detection: the negative public mentions of the last 5 minutes, per brand, hashtag
 * and keyword, against the scope's own recent baseline (an exponentially weighted mean and
 * deviation of the same 5-minute count). A storm starts when the count reaches both
 * minMentions and mean + deviations × deviation; it is over when the count falls below half
 * of that start threshold.
 */
export const stormSettingsSchema = z.strictObject({
  minMentions: z.number().int().min(2).max(10_000).default(10),
  deviations: z.number().min(1).max(20).default(3),
  /** How fast the baseline forgets: the weight of a minute's count halves after this many minutes. */
  baselineHalfLifeMinutes: z.number().int().min(5).max(7 * 24 * 60).default(120),
});
export type StormSettings = z.infer<typeof stormSettingsSchema>;

/** The care keywords that come with a new brand, in English, Spanish and French; admins edit them. */
export const DEFAULT_TRIAGE_KEYWORDS: readonly TriageKeyword[] = [
  ...['lawsuit', 'lawyer', 'sue', 'dangerous', 'injured', 'fire', 'abogado', 'demanda', 'peligroso', 'herido', 'avocat', 'procès', 'dangereux', 'blessé'].map((term) => ({ term, level: 'urgent' as const })),
  ...['fraud', 'scam', 'stolen', 'hacked', 'fraude', 'estafa', 'robado', 'hackeado', 'arnaque', 'volé', 'piraté'].map((term) => ({ term, level: 'high' as const })),
  ...['refund', 'cancel', 'chargeback', 'complaint', 'reembolso', 'cancelar', 'queja', 'reclamación', 'remboursement', 'annuler', 'plainte', 'réclamation'].map((term) => ({ term, level: 'raise' as const })),
];

export const triageSettingsSchema = z.strictObject({
  keywords: z.array(triageKeywordSchema).max(500).default([...DEFAULT_TRIAGE_KEYWORDS]),
  storm: stormSettingsSchema.default(stormSettingsSchema.parse({})),
});
export type TriageSettings = z.infer<typeof triageSettingsSchema>;

/** PUT /api/triage-settings: the whole settings, replacing what was saved. */
export const triageSettingsInputSchema = z.strictObject({ settings: triageSettingsSchema });

/** GET/PUT /api/triage-settings: the settings, and who saved them last. */
export const triageSettingsResponseSchema = z.object({ settings: triageSettingsSchema, updatedAt: z.iso.datetime().nullable(), updatedBy: z.string().nullable() });
export type TriageSettingsResponse = z.infer<typeof triageSettingsResponseSchema>;

/** A brand list a contact is on (the VIP and press lists). */
export type ListedAs = 'vip' | 'press' | null;

export interface PriorityInputs {
  tier: InfluenceTier;
  /** Which of the brand's lists names the author, press winning over vip in the words. */
  listedAs: ListedAs;
  /** null when the text could not be read (triage failed): priority by reach alone. */
  sentiment: Sentiment | null;
  visibility: 'public' | 'private';
  /** The admin keywords the text holds. */
  keywords: readonly TriageKeyword[];
  engagement: Engagement | null;
}

export interface PriorityDecision {
  priority: Priority;
  /** In words, for the agent: "celebrity reach · negative · public". */
  reason: string;
  /** The points behind it (0 and up): 1–2 normal, 3–4 high, 5 and more urgent. */
  points: number;
}

const TIER_POINTS: Record<InfluenceTier, number> = { celebrity: 3, high: 2, vip: 2, notable: 1, standard: 0 };
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
const atLeast = (priority: Priority, floor: Priority): Priority => (PRIORITIES.indexOf(priority) >= PRIORITIES.indexOf(floor) ? priority : floor);

const compact = (count: number): string => (count >= 1_000_000 ? `${(count / 1_000_000).toFixed(1)}M` : count >= 1_000 ? `${(count / 1_000).toFixed(1)}k` : String(count));

/**
 * A customer message's priority, and why, from who wrote it and what they wrote:
 *   reach: celebrity 3, high 2, vip or press list 2, notable 1;
 *   sentiment: negative 1, very negative (score ≤ -0.6) 2;
 *   public: 1 when the post can hurt (negative, a notable author or more, or an admin keyword);
 *   engagement: 50 interactions 1, 500 and more 2;
 *   keywords: `raise` 1 each (2 at most); `high` and `urgent` are floors.
 * 0 points is normal (low for a positive private or public word with nothing else), 1–2
 * normal, 3–4 high, 5 and more urgent.
 */
export function triagePriority(inputs: PriorityInputs): PriorityDecision {
  const reasons: string[] = [];
  let points = TIER_POINTS[inputs.tier];
  reasons.push(inputs.listedAs === 'press' ? 'press list' : inputs.tier === 'vip' ? 'VIP list' : `${inputs.tier} reach`);

  const negative = inputs.sentiment?.label === 'negative';
  if (!inputs.sentiment) reasons.push('sentiment pending');
  else if (negative && inputs.sentiment.score <= -0.6) {
    points += 2;
    reasons.push('very negative');
  } else {
    if (negative) points += 1;
    reasons.push(inputs.sentiment.label);
  }

  const raising = inputs.keywords.filter((keyword) => keyword.level === 'raise');
  const floors = inputs.keywords.filter((keyword) => keyword.level !== 'raise');
  const canHurt = negative || TIER_POINTS[inputs.tier] >= 1 || inputs.keywords.length > 0;
  if (inputs.visibility === 'public' && canHurt) points += 1;
  reasons.push(inputs.visibility);

  const interactions = engagementTotal(inputs.engagement);
  if (interactions >= 50) {
    points += interactions >= 500 ? 2 : 1;
    reasons.push(`${compact(interactions)} interactions`);
  }
  points += Math.min(2, raising.length);
  for (const keyword of [...floors, ...raising]) reasons.push(`“${keyword.term}”`);

  let priority: Priority = points >= 5 ? 'urgent' : points >= 3 ? 'high' : 'normal';
  if (points === 0 && inputs.sentiment?.label === 'positive') priority = 'low';
  for (const keyword of floors) priority = atLeast(priority, keyword.level === 'urgent' ? 'urgent' : 'high');
  return { priority, reason: reasons.join(' · '), points };
}

/** The ticket's reading of the customer's latest messages (newest first, at most 3). */
export const RECENT_SENTIMENTS = 3;

/** The weights of the latest customer messages in a ticket's sentiment, newest first. */
const RECENT_WEIGHTS = [2, 1.5, 1] as const;

/**
 * A ticket's sentiment from its customer's latest messages, newest first: scores averaged
 * with weights 2, 1.5, 1; the label is the one with the most weight (a tie goes to the newest)
 * — one "thanks" after two angry posts is not yet a happy customer, two are.
 */
export function ticketSentimentOf(recent: readonly Sentiment[]): Sentiment | null {
  const considered = recent.slice(0, RECENT_SENTIMENTS);
  if (considered.length === 0) return null;
  const weights = considered.map((_, index) => RECENT_WEIGHTS[index] ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const score = considered.reduce((sum, sentiment, index) => sum + sentiment.score * weights[index]!, 0) / total;
  const votes = new Map<SentimentLabel, number>();
  considered.forEach((sentiment, index) => votes.set(sentiment.label, (votes.get(sentiment.label) ?? 0) + weights[index]!));
  const best = Math.max(...votes.values());
  const label = considered.find((sentiment) => votes.get(sentiment.label) === best)!.label;
  return { score: Math.round(score * 1000) / 1000, label };
}

export const influenceTierLabels: Record<InfluenceTier, string> = {
  celebrity: 'Celebrity reach (≥ 1M followers)',
  high: 'High reach (≥ 100k followers)',
  notable: 'Notable (≥ 10k followers or verified)',
  standard: 'Standard reach',
  vip: 'On the brand’s VIP list',
};
