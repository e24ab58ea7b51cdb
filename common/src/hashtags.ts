import { z } from 'zod';
import { guardrailExampleSchema, type GuardrailFinding } from './guardrails';

/**
 * The hashtag second look, one module for the server (the check before a public reply is
 * stored) and the composer (the same findings as the agent types): which hashtags a text
 * holds, and what a channel's knowledge of one (used by the brand before? trending in what
 * customers write?) makes of it. The knowledge itself is kept by the server.
 */

/** How "recent" and "trending" are counted. */
export const hashtagPolicy = {
  /** Inbound public posts count as recent for this long. */
  windowHours: 24,
  /** A hashtag in at least this many recent inbound public posts of a channel is trending there. */
  trendingMinPosts: 3,
  /** Recent posts kept per hashtag and shown with a warning. */
  examplesKept: 5,
} as const;
export type HashtagPolicy = { readonly windowHours: number; readonly trendingMinPosts: number; readonly examplesKept: number };

export interface HashtagOccurrence {
  /** As written, with its sign: "#NotGuilty". */
  text: string;
  /** Normalized, without the sign: "notguilty" (what knowledge is kept under). */
  tag: string;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
}

/** Longest tag kept (X allows about 100 characters; longer is not a tag anyone repeats). */
const MAX_TAG_LENGTH = 100;

/**
 * A "#" (or the full-width "＃") that starts a word: not inside a word, a URL path or
 * fragment ("/#top", "page#top"), an HTML entity ("&#39;") or a run of signs ("##").
 */
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&/#＃])[#＃]([\p{L}\p{M}\p{N}_\u200c\u200d]+)/gu;
const HAS_LETTER = /[\p{L}\p{M}]/u;

/** One spelling per hashtag: compatibility forms folded (full-width letters), case ignored. */
export function normalizeHashtag(tag: string): string {
  return tag.replace(/^[#＃]/, '').normalize('NFKC').toLowerCase().replace(/[\u200c\u200d]/g, '');
}

/** The hashtags of a text, in order, as platforms read them: "#2024" alone is no hashtag, "#día" is. */
export function extractHashtags(text: string): HashtagOccurrence[] {
  const found: HashtagOccurrence[] = [];
  for (const match of text.matchAll(HASHTAG)) {
    const body = match[1] ?? '';
    if (!HAS_LETTER.test(body) || body.length > MAX_TAG_LENGTH) continue;
    const tag = normalizeHashtag(body);
    if (!tag) continue;
    found.push({ text: match[0], tag, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** The distinct normalized tags of a text. */
export const hashtagsOf = (text: string): string[] => [...new Set(extractHashtags(text).map((occurrence) => occurrence.tag))];

/** What the agent sends in `confirm` to say they looked at this hashtag: "hashtag:#notguilty". */
export const hashtagConfirmKey = (tag: string) => `hashtag:#${normalizeHashtag(tag)}`;

/** What a channel knows about one hashtag: GET /api/channels/:id/hashtags answers one per tag asked. */
export const hashtagKnowledgeSchema = z.object({
  /** Normalized, without the sign. */
  tag: z.string(),
  /** Whether a public reply of the brand with it was sent on this channel (through Parley or outside it). */
  usedByBrand: z.boolean(),
  /** How many such replies Parley counted (approximate; see the README). */
  brandUses: z.number().int().nonnegative(),
  brandLastUsedAt: z.iso.datetime().nullable(),
  /** Inbound public posts on this channel with it within the last `windowHours`. */
  recentPosts: z.number().int().nonnegative(),
  windowHours: z.number().int().positive(),
  /** The latest public posts that used it, newest first. */
  examples: z.array(guardrailExampleSchema),
  /** A storm of negative mentions around it right now (triage's storm alerts), null when none. */
  storm: z.object({ alertId: z.string(), startedAt: z.iso.datetime(), mentions: z.number().int().nonnegative() }).nullable().default(null),
});
export type HashtagKnowledge = z.infer<typeof hashtagKnowledgeSchema>;

/**
 * GET /api/channels/:id/hashtags?tags=notguilty,%23Sale — tags with or without their sign,
 * comma separated (none asked: none answered).
 */
export const hashtagQuerySchema = z
  .object({
    tags: z
      .string()
      .max(2_000)
      .transform((value) => [...new Set(value.split(',').map(normalizeHashtag).filter(Boolean))])
      .pipe(z.array(z.string().max(MAX_TAG_LENGTH)).min(1, 'name at least one hashtag').max(20, 'ask for at most 20 hashtags at once'))
      .optional()
      .transform((tags) => tags ?? []),
  })
  .strict();

export const hashtagKnowledgeResponseSchema = z.object({ items: z.array(hashtagKnowledgeSchema) });
export type HashtagKnowledgeResponse = z.infer<typeof hashtagKnowledgeResponseSchema>;

/**
 * Whether what customers write with this hashtag makes it one to look at twice. Today: it
 * is trending, i.e. in enough recent inbound public posts. This is where sentiment plugs in
 * once triage provides it (the issue: "mostly with negative sentiment"): the knowledge will
 * carry the negative share of those posts and this will weigh it.
 */
export function isTrending(knowledge: HashtagKnowledge, policy: HashtagPolicy = hashtagPolicy): boolean {
  return knowledge.recentPosts >= policy.trendingMinPosts;
}

function reasonFor(written: string, knowledge: HashtagKnowledge, trending: boolean): string {
  if (knowledge.storm) {
    const since = knowledge.storm.startedAt.slice(11, 16);
    return `${written} is in a storm of negative posts right now (${knowledge.storm.mentions} since ${since} UTC). Joining in with it now could pour oil on the fire: check the storm first.`;
  }
  const posts = `${knowledge.recentPosts} public ${knowledge.recentPosts === 1 ? 'post' : 'posts'}`;
  const window = `the last ${knowledge.windowHours} hours`;
  if (!knowledge.usedByBrand && trending) {
    return `${written}: your brand has never used this hashtag in a public reply on this channel, and it is in ${posts} here in ${window}. See how people use it before you join in.`;
  }
  if (trending) return `${written} is trending: it is in ${posts} on this channel in ${window}. Check why before you use it.`;
  return `${written}: your brand has never used this hashtag in a public reply on this channel. Check what it stands for before you use it.`;
}

/**
 * The hashtag warnings of a public reply: one per occurrence of a hashtag the brand never
 * used on the channel or one trending there, each naming it, with its confirm key and the
 * recent posts that used it. A tag the lookup does not know (undefined: the composer has not
 * heard back yet) is left out; the server always knows, and a tag it has no record of is one
 * the brand never used.
 */
export function findingsForHashtags(text: string, knowledgeOf: (tag: string) => HashtagKnowledge | undefined, policy: HashtagPolicy = hashtagPolicy): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  for (const occurrence of extractHashtags(text)) {
    const knowledge = knowledgeOf(occurrence.tag);
    if (!knowledge) continue;
    const trending = isTrending(knowledge, policy);
    if (knowledge.usedByBrand && !trending && !knowledge.storm) continue;
    findings.push({
      kind: 'hashtag',
      severity: 'warn',
      text: occurrence.text,
      start: occurrence.start,
      end: occurrence.end,
      message: reasonFor(occurrence.text, knowledge, trending),
      confirmKey: hashtagConfirmKey(occurrence.tag),
      examples: knowledge.examples,
    });
  }
  return findings;
}

/** What a channel knows of a tag it has no record of: never used by the brand, never seen. */
export const unknownHashtag = (tag: string, policy: HashtagPolicy = hashtagPolicy): HashtagKnowledge => ({
  tag,
  usedByBrand: false,
  brandUses: 0,
  brandLastUsedAt: null,
  recentPosts: 0,
  windowHours: policy.windowHours,
  examples: [],
  storm: null,
});
