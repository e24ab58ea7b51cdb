import { measureReply, replyPlatformOf, type ConnectorKind, type ReplyPlatform, type ReplyVisibility } from '@parley/common';

export type ComposerMode = ReplyVisibility;
type Platform = ReplyPlatform;

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
  return replyPlatformOf(kind, imitates);
}

/** How many characters the text uses, as the platform counts it, and the most it allows. */
export function measure(text: string, platform: Platform, mode: ComposerMode): { used: number; limit: number } {
  // Until twitter-text has loaded (a moment), an X post is estimated as characters typed.
  const counter = parseTweet;
  return measureReply(text, platform, mode, counter ? (value) => counter(value).weightedLength : undefined);
}
