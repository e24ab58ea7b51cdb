import type { HashtagKnowledge } from '@parley/common';
import { Alert, type AlertDoc } from './alert.model';

type Storm = NonNullable<HashtagKnowledge['storm']>;
let recentlyRead: { storms: Map<string, Storm>; at: number } | undefined;

/**
 * The hashtags at the heart of a storm right now (normalized, without the sign), read at most
 * every few seconds: the hashtag guardrail asks for every public reply with a hashtag.
 */
export async function stormingHashtags(maxAgeMs = 5_000): Promise<Map<string, Storm>> {
  if (recentlyRead && Date.now() - recentlyRead.at < maxAgeMs) return recentlyRead.storms;
  const alerts = await Alert.find({ state: 'active' }, { scope: 1, startedAt: 1, mentions: 1 }).lean<Array<Pick<AlertDoc, '_id' | 'scope' | 'startedAt' | 'mentions'>>>();
  const storms = new Map<string, Storm>();
  for (const alert of alerts) {
    if (alert.scope.type !== 'hashtag') continue;
    storms.set(alert.scope.value.replace(/^#/, ''), { alertId: alert._id.toHexString(), startedAt: alert.startedAt.toISOString(), mentions: alert.mentions });
  }
  recentlyRead = { storms, at: Date.now() };
  return storms;
}

/** Forgets what this process read (a storm began or ended here; tests). */
export function forgetStormingHashtags(): void {
  recentlyRead = undefined;
}
