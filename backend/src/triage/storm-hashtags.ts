import type { HashtagKnowledge } from '@parley/common';
import { readAtMostEvery } from '../lib/read-at-most-every';
import { Alert, type AlertDoc } from './alert.model';

type Storm = NonNullable<HashtagKnowledge['storm']>;

/**
 * The hashtags at the heart of a storm right now (normalized, without the sign), read at most
 * every 5 seconds: the hashtag guardrail asks for every public reply with a hashtag.
 */
const recentlyRead = readAtMostEvery(5_000, async () => {
  const alerts = await Alert.find({ state: 'active' }, { scope: 1, startedAt: 1, mentions: 1 }).lean<Array<Pick<AlertDoc, '_id' | 'scope' | 'startedAt' | 'mentions'>>>();
  const storms = new Map<string, Storm>();
  for (const alert of alerts) {
    if (alert.scope.type !== 'hashtag') continue;
    storms.set(alert.scope.value.replace(/^#/, ''), { alertId: alert._id.toHexString(), startedAt: alert.startedAt.toISOString(), mentions: alert.mentions });
  }
  return storms;
});

export const stormingHashtags = (): Promise<Map<string, Storm>> => recentlyRead.read();

/** Forgets what this process read (a storm began or ended here; tests). */
export function forgetStormingHashtags(): void {
  recentlyRead.forget();
}
