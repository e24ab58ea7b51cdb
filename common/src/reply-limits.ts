import type { ConnectorKind } from './channels';

/** Whose length rules a reply follows: a simulated channel follows the platform it imitates. */
export type ReplyPlatform = 'x' | 'facebook' | 'instagram' | 'other';
export type ReplyVisibility = 'public' | 'private' | 'note';

/**
 * The most a platform accepts in one reply. X counts a public post by twitter-text's
 * weighted length (links 23, most emoji and CJK characters 2); everything else counts
 * characters as people do (an emoji is one).
 */
export const replyLimits: Record<ReplyPlatform, Record<'public' | 'private', number>> = {
  x: { public: 280, private: 10_000 },
  facebook: { public: 8_000, private: 2_000 },
  instagram: { public: 2_200, private: 1_000 },
  other: { public: 10_000, private: 10_000 },
};
/** Notes never leave Parley; the API's own limit for any message. */
export const NOTE_LIMIT = 10_000;

export function replyPlatformOf(kind: ConnectorKind, imitates: unknown): ReplyPlatform {
  const effective = kind === 'simulator' && typeof imitates === 'string' ? imitates : kind;
  return effective === 'x' || effective === 'facebook' || effective === 'instagram' ? effective : 'other';
}

/**
 * How much of the limit a reply uses, as the platform counts it. `weightedLength` is
 * twitter-text's counter, which the caller supplies (the web app loads it lazily); without
 * it an X post is counted by characters, an estimate.
 */
export function measureReply(text: string, platform: ReplyPlatform, visibility: ReplyVisibility, weightedLength?: (text: string) => number): { used: number; limit: number } {
  const characters = [...text].length;
  if (visibility === 'note') return { used: characters, limit: NOTE_LIMIT };
  const limit = replyLimits[platform][visibility];
  if (platform === 'x' && visibility === 'public') return { used: weightedLength ? weightedLength(text) : characters, limit };
  return { used: characters, limit };
}
