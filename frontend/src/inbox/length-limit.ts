import type { ConnectorKind } from '@parley/common';

export type ComposerMode = 'public' | 'private' | 'note';
type Platform = 'x' | 'facebook' | 'instagram' | 'other';

/** Each platform's own limits: X public posts are counted by twitter-text's weighted length. */
const limits: Record<Platform, Record<'public' | 'private', number>> = {
  x: { public: 280, private: 10_000 },
  facebook: { public: 8_000, private: 2_000 },
  instagram: { public: 2_200, private: 1_000 },
  other: { public: 10_000, private: 10_000 },
};
const NOTE_LIMIT = 10_000;

type ParseTweet = (text: string) => { weightedLength: number };
let parseTweet: ParseTweet | undefined;
let loading: Promise<void> | undefined;

/** twitter-text is large and only X needs it: loaded when a composer for X opens. */
export function loadTweetCounter(): Promise<void> {
  // The package's ES build has a single default export (the object its types describe).
  loading ??= import('twitter-text').then((module) => {
    parseTweet = module.default.parseTweet;
  });
  return loading;
}
export const tweetCounterReady = () => parseTweet !== undefined;

export function platformOf(kind: ConnectorKind, imitates: unknown): Platform {
  const effective = kind === 'simulator' && typeof imitates === 'string' ? imitates : kind;
  return effective === 'x' || effective === 'facebook' || effective === 'instagram' ? effective : 'other';
}

/** How many characters the text uses, as the platform counts them, and the most it allows. */
export function measure(text: string, platform: Platform, mode: ComposerMode): { used: number; limit: number } {
  if (mode === 'note') return { used: [...text].length, limit: NOTE_LIMIT };
  const limit = limits[platform][mode];
  // Until twitter-text has loaded (a moment), an estimate: characters as typed.
  if (platform === 'x' && mode === 'public') return { used: parseTweet ? parseTweet(text).weightedLength : text.length, limit };
  // Meta and the API count UTF-16 code units.
  return { used: text.length, limit };
}
