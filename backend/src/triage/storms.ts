import type Redis from 'ioredis';
import { Types } from 'mongoose';
import type { InfluenceTier, StormPost, StormScope, StormSettings } from '@parley/common';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { Alert, type AlertDoc } from './alert.model';
import { forgetStormingHashtags } from './storm-hashtags';
import { brandTriage } from './triage-settings.service';

/**
 * Storm detection: counts of negative public mentions per minute, per scope (the whole brand,
 * each hashtag, each admin keyword), kept in Redis; the count of the last 5 minutes is held
 * against the scope's own baseline, an exponentially weighted mean and variance of that same
 * count, folded in minute by minute (never while a storm lasts, so a storm does not become
 * the new normal). A storm begins when the count reaches both the minimum and mean +
 * deviations × deviation (a deviation of at least 1, so a quiet scope is not set off by its
 * own silence); it is over when the count falls under half the count that began it. One
 * alert per storm: the scope's state names the active alert, under the scope's lock.
 */

export const WINDOW_MINUTES = 5;
/** How far back the baseline is caught up after a quiet spell (older minutes count as zero). */
const MAX_CATCH_UP_MINUTES = 7 * 24 * 60;
/** Posts kept per scope for an alert's drivers and reach. */
const POSTS_KEPT = 200;
/** Scopes one message may feed: the brand, its first hashtags and keywords. */
const MAX_SCOPES_PER_MESSAGE = 9;
/** While a storm lasts its alert is brought up to date at most this often. */
const ALERT_REFRESH_MS = 10_000;
const KEEP_SECONDS = 2 * 24 * 3600;

export interface StormDeps {
  redis: Redis;
  prefix: string;
  locks: Locks;
  events: DomainEventBus;
  log: Logger;
  /** Tests move time by hand. */
  now?: () => number;
}

/** A negative public mention, as the detector keeps it. */
export interface StormMention {
  messageId: string;
  ticketId: string;
  contactId: string;
  channelKind: StormPost['channelKind'];
  author: string;
  followers: number;
  tier: InfluenceTier;
  text: string;
  sentAt: string;
  hashtags: string[];
  keywords: string[];
}

interface Recorded extends StormMention {
  /** When it was counted (ms). */
  at: number;
}

interface ScopeState {
  mean: number;
  variance: number;
  /** The last minute folded into the baseline. */
  folded: number;
  alertId?: string;
  threshold?: number;
  alertUpdatedAt?: number;
  /** The storm is told by another scope's alert (alertId): most of its posts are that storm's. */
  covered?: boolean;
  /** The scope's total when its storm's count began: the alert's mentions are the total since. */
  mentionsFrom?: number;
}

export const scopeKey = (scope: StormScope) => `${scope.type}:${scope.value}`;
const scopeOf = (key: string): StormScope => {
  const split = key.indexOf(':');
  return { type: key.slice(0, split) as StormScope['type'], value: key.slice(split + 1) };
};

export function scopesOf(mention: Pick<StormMention, 'hashtags' | 'keywords'>): StormScope[] {
  const scopes: StormScope[] = [{ type: 'brand', value: 'all' }];
  for (const tag of new Set(mention.hashtags)) scopes.push({ type: 'hashtag', value: `#${tag.toLowerCase()}` });
  for (const keyword of new Set(mention.keywords.map((word) => word.toLowerCase()))) scopes.push({ type: 'keyword', value: keyword });
  return scopes.slice(0, MAX_SCOPES_PER_MESSAGE);
}

/** The weight of the newest minute in the baseline, from its half-life. */
export const baselineAlpha = (halfLifeMinutes: number) => 1 - 2 ** (-1 / halfLifeMinutes);

/** The count the scope needs for a storm, its baseline being what it is. */
export function stormThreshold(state: Pick<ScopeState, 'mean' | 'variance'>, settings: StormSettings): number {
  return Math.max(settings.minMentions, state.mean + settings.deviations * Math.max(1, Math.sqrt(state.variance)));
}

export function createStormDetector(deps: StormDeps) {
  const now = deps.now ?? Date.now;
  const keys = (scope: string) => ({
    counts: `${deps.prefix}:storm:${scope}:counts`,
    state: `${deps.prefix}:storm:${scope}:state`,
    posts: `${deps.prefix}:storm:${scope}:posts`,
    reach: `${deps.prefix}:storm:${scope}:reach`,
    /** Every negative mention the scope ever counted (a storm's mentions are the difference since it began). */
    total: `${deps.prefix}:storm:${scope}:total`,
  });
  const scopesKey = `${deps.prefix}:storm:scopes`;

  const readState = async (scope: string): Promise<ScopeState | null> => {
    const raw = await deps.redis.get(keys(scope).state);
    return raw ? (JSON.parse(raw) as ScopeState) : null;
  };

  const windowCount = (counts: Record<string, string>, endMinute: number) => {
    let sum = 0;
    for (let minute = endMinute - WINDOW_MINUTES + 1; minute <= endMinute; minute++) sum += Number(counts[minute] ?? 0);
    return sum;
  };

  const recentPosts = async (scope: string, sinceMs: number): Promise<Recorded[]> => {
    const raw = await deps.redis.lrange(keys(scope).posts, 0, POSTS_KEPT - 1);
    return raw.map((entry) => JSON.parse(entry) as Recorded).filter((post) => post.at >= sinceMs);
  };

  /** What an alert says of its posts: the farthest-reaching first, the hashtags they carry. */
  const summary = (posts: Recorded[]) => {
    const tags = new Map<string, number>();
    for (const post of posts) for (const tag of new Set(post.hashtags)) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    const byReach = [...posts].sort((a, b) => b.followers - a.followers);
    return {
      topHashtags: [...tags.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([tag, count]) => ({ tag: `#${tag}`, count })),
      posts: byReach.slice(0, 10).map((post) => ({
        messageId: new Types.ObjectId(post.messageId),
        ticketId: new Types.ObjectId(post.ticketId),
        contactId: new Types.ObjectId(post.contactId),
        channelKind: post.channelKind,
        author: post.author,
        followers: post.followers,
        tier: post.tier,
        text: post.text,
        sentAt: new Date(post.sentAt),
      })),
    };
  };

  /** An active alert (raised by another scope) whose recent posts are at least half of these. */
  const coveringAlert = async (scope: string, posts: Recorded[], sinceMs: number): Promise<string | null> => {
    if (posts.length === 0) return null;
    const ids = new Set(posts.map((post) => post.messageId));
    for (const other of await deps.redis.smembers(scopesKey)) {
      if (other === scope) continue;
      const state = await readState(other);
      if (!state?.alertId || state.covered) continue;
      const shared = (await recentPosts(other, sinceMs)).filter((post) => ids.has(post.messageId)).length;
      if (shared * 2 >= ids.size) return state.alertId;
    }
    return null;
  };

  const totalReach = async (scope: string) => (await deps.redis.hvals(keys(scope).reach)).reduce((sum, value) => sum + Number(value), 0);

  /** Counts these posts' authors (each once, with their followers) in the scope's storm, afresh when it starts; answers its reach. */
  const countReach = async (scope: string, posts: Recorded[], { afresh }: { afresh: boolean }) => {
    const key = keys(scope).reach;
    const pipeline = deps.redis.multi();
    if (afresh) pipeline.del(key);
    if (posts.length > 0) pipeline.hset(key, Object.fromEntries(posts.map((post) => [post.contactId, post.followers])));
    await pipeline.exec();
    return totalReach(scope);
  };

  /**
   * Brings one scope up to date at `at`: folds the minutes gone by into its baseline, then
   * starts, refreshes or ends its storm. Safe to run any number of times, from any worker.
   */
  const evaluate = (scope: string, at: number, settings: StormSettings): Promise<void> =>
    deps.locks.withLock(`storm:${scope}`, async () => {
      const k = keys(scope);
      const minute = Math.floor(at / 60_000);
      const [counts, stored] = await Promise.all([deps.redis.hgetall(k.counts), readState(scope)]);
      const state: ScopeState = stored ?? { mean: 0, variance: 0, folded: minute - 1 };
      const alpha = baselineAlpha(settings.baselineHalfLifeMinutes);
      if (!state.alertId) {
        for (let folded = Math.max(state.folded + 1, minute - MAX_CATCH_UP_MINUTES); folded < minute; folded++) {
          const diff = windowCount(counts, folded) - state.mean;
          const increment = alpha * diff;
          state.mean += increment;
          state.variance = (1 - alpha) * (state.variance + diff * increment);
        }
      }
      state.folded = Math.max(state.folded, minute - 1);

      const count = windowCount(counts, minute);
      const windowStart = (minute - WINDOW_MINUTES + 1) * 60_000;
      if (!state.alertId) {
        const threshold = stormThreshold(state, settings);
        if (count >= threshold) {
          const posts = await recentPosts(scope, windowStart);
          // Mostly the same posts as a storm already raised (the brand's storm is its hashtag's): that alert covers it.
          const covering = await coveringAlert(scope, posts, windowStart);
          if (covering) {
            const raised = await Alert.findById(covering, { scope: 1, startedAt: 1 }).lean<Pick<AlertDoc, 'scope' | 'startedAt'>>();
            const narrower = raised?.scope.type === 'brand' && scopeOf(scope).type !== 'brand';
            if (narrower) {
              // The brand's storm turns out to be this hashtag's (or keyword's): the alert is about it from now on,
              // with its posts and reach, this scope's count ends it, and the brand's only counts itself in it.
              const owned = await recentPosts(scope, raised.startedAt.getTime() - WINDOW_MINUTES * 60_000);
              const reach = await countReach(scope, owned, { afresh: true });
              const brand = scopeKey(raised.scope);
              await deps.locks.withLock(`storm:${brand}`, async () => {
                const brandState = await readState(brand);
                if (brandState?.alertId === covering) await deps.redis.set(keys(brand).state, JSON.stringify({ ...brandState, covered: true }), 'EX', KEEP_SECONDS);
              });
              Object.assign(state, { alertId: covering, threshold, alertUpdatedAt: at, mentionsFrom: Number(await deps.redis.get(k.total)) - owned.length });
              await Alert.updateOne(
                { _id: new Types.ObjectId(covering) },
                { $set: { scope: scopeOf(scope), mentions: owned.length, totalReach: reach, ...summary(owned) }, $addToSet: { relatedScopes: raised.scope } },
              );
            } else {
              Object.assign(state, { alertId: covering, threshold, covered: true, alertUpdatedAt: at });
              await Alert.updateOne({ _id: new Types.ObjectId(covering) }, { $addToSet: { relatedScopes: scopeOf(scope) } });
            }
            forgetStormingHashtags();
            deps.events.emit('alert.updated', { alertId: new Types.ObjectId(covering) });
            deps.log.info({ scope, count, alertId: covering }, 'storm: folded into the alert already raised');
          }
        }
        if (count >= threshold && !state.alertId) {
          const posts = await recentPosts(scope, windowStart);
          const reach = await countReach(scope, posts, { afresh: true });
          const alert = await Alert.create({
            kind: 'storm',
            scope: scopeOf(scope),
            state: 'active',
            startedAt: new Date(at),
            endedAt: null,
            startCount: count,
            peakCount: count,
            baseline: { mean: state.mean, deviation: Math.sqrt(state.variance) },
            threshold,
            mentions: count,
            totalReach: reach,
            ...summary(posts),
          });
          Object.assign(state, { alertId: alert._id.toHexString(), threshold, alertUpdatedAt: at, mentionsFrom: Number(await deps.redis.get(k.total)) - count });
          deps.log.warn({ scope, count, threshold, alertId: state.alertId }, 'storm: negative mentions swell');
          forgetStormingHashtags();
          deps.events.emit('alert.storm', { alertId: alert._id, alert: alert.toObject<AlertDoc>() });
        }
      } else if (state.covered) {
        // Another scope's alert tells of this storm; this scope only stops counting itself in it.
        if (count < (state.threshold ?? settings.minMentions) / 2) {
          delete state.alertId;
          delete state.threshold;
          delete state.covered;
        }
      } else {
        const alertId = new Types.ObjectId(state.alertId);
        const over = count < (state.threshold ?? settings.minMentions) / 2;
        if (over || at - (state.alertUpdatedAt ?? 0) >= ALERT_REFRESH_MS) {
          const alert = await Alert.findById(alertId).lean<AlertDoc>();
          const posts = alert ? await recentPosts(scope, alert.startedAt.getTime() - WINDOW_MINUTES * 60_000) : [];
          // Authors whose post came in as the storm began, before the scope's state said so, count too.
          const reach = await countReach(scope, posts, { afresh: false });
          const set = {
            peakCount: Math.max(alert?.peakCount ?? 0, count),
            mentions: Math.max(alert?.mentions ?? 0, Number(await deps.redis.get(k.total)) - (state.mentionsFrom ?? 0)),
            totalReach: reach,
            ...(posts.length > 0 ? summary(posts) : {}),
            ...(over ? { state: 'over' as const, endedAt: new Date(at) } : {}),
          };
          await Alert.updateOne({ _id: alertId }, { $set: set });
          state.alertUpdatedAt = at;
          if (over) {
            delete state.alertId;
            delete state.threshold;
            delete state.mentionsFrom;
            await deps.redis.del(k.reach);
            deps.log.info({ scope, count, alertId: alertId.toHexString() }, 'storm over');
            forgetStormingHashtags();
            if (alert) deps.events.emit('alert.storm_over', { alertId, alert: { ...alert, ...set } });
          } else if (alert) {
            deps.events.emit('alert.updated', { alertId, alert: { ...alert, ...set } });
          }
        }
      }

      // Minutes the baseline has folded and no window needs any more.
      const stale = Object.keys(counts).filter((field) => Number(field) <= minute - WINDOW_MINUTES - 1 && Number(field) <= state.folded - WINDOW_MINUTES);
      const pipeline = deps.redis.multi().set(k.state, JSON.stringify(state), 'EX', KEEP_SECONDS);
      if (stale.length > 0) pipeline.hdel(k.counts, ...stale);
      // A quiet scope with nothing left to remember is dropped from the periodic evaluation.
      if (!state.alertId && state.mean < 0.01 && count === 0) pipeline.srem(scopesKey, scope);
      await pipeline.exec();
    });

  return {
    /** Counts a negative public mention (when it is received) and evaluates its scopes at once. */
    async record(mention: StormMention): Promise<void> {
      const at = now();
      const minute = Math.floor(at / 60_000);
      const { settings } = await brandTriage();
      const scopes = scopesOf(mention).map(scopeKey);
      const entry = JSON.stringify({ ...mention, text: mention.text.slice(0, 280), at } satisfies Recorded);
      const pipeline = deps.redis.multi();
      for (const scope of scopes) {
        const k = keys(scope);
        pipeline.hincrby(k.counts, String(minute), 1).expire(k.counts, KEEP_SECONDS);
        pipeline.lpush(k.posts, entry).ltrim(k.posts, 0, POSTS_KEPT - 1).expire(k.posts, KEEP_SECONDS);
        pipeline.incr(k.total).expire(k.total, KEEP_SECONDS);
        pipeline.sadd(scopesKey, scope);
      }
      await pipeline.exec();
      // An active storm's reach counts each author once.
      for (const scope of scopes) {
        if ((await readState(scope))?.alertId) await deps.redis.hset(keys(scope).reach, mention.contactId, mention.followers);
      }
      // The narrowest scopes first: a hashtag's storm raises its alert before the brand's count, which it explains, does.
      for (const scope of [...scopes].reverse()) await evaluate(scope, at, settings.storm);
    },

    /**
     * Evaluates every scope seen lately (a storm ends when its mentions stop, with nothing
     * coming in to say so), and ends alerts Redis lost track of (it restarted empty).
     */
    async evaluateAll(): Promise<void> {
      const at = now();
      const { settings } = await brandTriage();
      const scopes = await deps.redis.smembers(scopesKey);
      for (const scope of scopes) await evaluate(scope, at, settings.storm);
      for (const alert of await Alert.find({ state: 'active' }).lean<AlertDoc[]>()) {
        const scope = scopeKey(alert.scope);
        await deps.locks.withLock(`storm:${scope}`, async () => {
          if ((await readState(scope))?.alertId === alert._id.toHexString()) return;
          const set = { state: 'over' as const, endedAt: new Date(at) };
          const ended = await Alert.updateOne({ _id: alert._id, state: 'active' }, { $set: set });
          if (ended.modifiedCount === 1) deps.events.emit('alert.storm_over', { alertId: alert._id, alert: { ...alert, ...set } });
        });
      }
    },
  };
}

export type StormDetector = ReturnType<typeof createStormDetector>;
