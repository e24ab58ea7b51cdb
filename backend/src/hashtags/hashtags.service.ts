import type { Types } from 'mongoose';
import { hashtagPolicy, hashtagsOf, type HashtagKnowledge, type HashtagPolicy } from '@parley/common';
import { cachedChannel } from '../channels/channels.service';
import { Contact } from '../contacts/contact.model';
import { isDuplicateKeyError } from '../db/errors';
import type { Locks } from '../lib/locks';
import type { MessageDoc } from '../tickets/message.model';
import { HashtagStat, hashtagLock, hashtagStatId, type HashtagExampleDoc, type HashtagStatDoc } from './hashtag-stat.model';
import { stormingHashtags } from '../triage/storm-hashtags';

/**
 * The channel's knowledge of hashtags: which ones the brand used in sent public replies, and
 * which ones customers use in recent public posts. Kept in MongoDB, one small document per
 * channel and tag, so nothing of it lives only in Redis; should a write be lost (a crash
 * between a message and its listener), the brand's use is missed and the next reply with
 * that tag is warned about once more: the loss errs towards more warnings.
 */

const HOUR_MS = 3_600_000;
/** Longest example text kept: enough to judge the tone, not a copy of the thread. */
const EXAMPLE_TEXT_MAX = 280;
/** Reply ids kept to recognise a reply confirmed twice (its echo, then the send's answer). */
const BRAND_IDS_KEPT = 20;

const hourOf = (at: Date) => Math.floor(at.getTime() / HOUR_MS);
const hourKey = (hour: number) => `h${hour}`;

function emptyStat(channelId: Types.ObjectId, tag: string, now: Date): HashtagStatDoc {
  return {
    _id: hashtagStatId(channelId, tag),
    channelId,
    tag,
    brandUses: 0,
    brandFirstUsedAt: null,
    brandLastUsedAt: null,
    brandMessageIds: [],
    inboundHours: {},
    inboundLastAt: null,
    examples: [],
    updatedAt: now,
  };
}

/** The hours of the window that ends at `now`, and the posts counted in them. */
function hoursInWindow(hours: Record<string, number> | undefined, now: Date, policy: HashtagPolicy): Record<string, number> {
  const oldest = hourOf(now) - policy.windowHours + 1;
  const kept: Record<string, number> = {};
  for (const [key, count] of Object.entries(hours ?? {})) {
    const hour = Number(key.slice(1));
    if (Number.isInteger(hour) && hour >= oldest && typeof count === 'number' && count > 0) kept[key] = count;
  }
  return kept;
}

/** A stored stat with every field present (lean reads skip schema defaults). */
function complete(stat: HashtagStatDoc | null, channelId: Types.ObjectId, tag: string, now: Date): HashtagStatDoc {
  const empty = emptyStat(channelId, tag, now);
  if (!stat) return empty;
  return {
    ...empty,
    ...stat,
    brandMessageIds: stat.brandMessageIds ?? [],
    inboundHours: stat.inboundHours ?? {},
    examples: stat.examples ?? [],
  };
}

/**
 * Changes one tag's document under its lock: read, change in memory, write back. The first
 * write creates it (an insert: FerretDB keeps empty arrays and nulls that an upsert's
 * $setOnInsert would drop).
 */
async function changeStat(channelId: Types.ObjectId, tag: string, locks: Locks, change: (stat: HashtagStatDoc, now: Date) => HashtagStatDoc | null): Promise<void> {
  const _id = hashtagStatId(channelId, tag);
  await locks.withLock(hashtagLock(_id), async () => {
    const now = new Date();
    const stored = await HashtagStat.findById(_id).lean<HashtagStatDoc>();
    const changed = change(complete(stored, channelId, tag, now), now);
    if (!changed) return;
    const { _id: id, ...fields } = { ...changed, updatedAt: now };
    if (!stored) {
      try {
        await HashtagStat.create({ _id: id, ...fields });
        return;
      } catch (error) {
        // Only when the lock expired under a slow write: the other writer's document stands, ours goes in on top.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    await HashtagStat.updateOne({ _id: id }, { $set: fields });
  });
}

/** Who wrote an inbound post, as the warning names them: the contact and their handle on this platform. */
async function authorOf(message: MessageDoc): Promise<{ authorName: string | null; authorHandle: string | null }> {
  if (!message.contactId) return { authorName: null, authorHandle: null };
  const [contact, channel] = await Promise.all([Contact.findById(message.contactId, { name: 1, identities: 1 }).lean(), cachedChannel(message.channelId)]);
  const identity = contact?.identities.find((candidate) => candidate.kind === channel?.kind) ?? contact?.identities[0];
  return { authorName: identity?.displayName ?? contact?.name ?? null, authorHandle: identity?.handle ?? null };
}

/**
 * A customer's public post: each hashtag in it counts in the hour it was written (within
 * the window; a post dated later than now counts now) and becomes the newest example.
 * Private messages are never recorded: their words must not show up next to anyone's reply.
 */
export async function recordInboundPost(message: MessageDoc, locks: Locks, policy: HashtagPolicy = hashtagPolicy): Promise<string[]> {
  if (message.direction !== 'inbound' || message.visibility !== 'public') return [];
  const tags = hashtagsOf(message.text);
  if (tags.length === 0) return [];
  const author = await authorOf(message);
  const example: HashtagExampleDoc = {
    messageId: message._id,
    ticketId: message.ticketId,
    text: message.text.length > EXAMPLE_TEXT_MAX ? `${message.text.slice(0, EXAMPLE_TEXT_MAX - 1)}…` : message.text,
    ...author,
    sentAt: message.sentAt,
  };
  for (const tag of tags) {
    await changeStat(message.channelId, tag, locks, (stat, now) => {
      if (stat.examples.some((known) => known.messageId.equals(message._id))) return null;
      const at = new Date(Math.min(message.sentAt.getTime(), now.getTime()));
      const inboundHours = hoursInWindow(stat.inboundHours, now, policy);
      const key = hourKey(hourOf(at));
      if (hourOf(at) > hourOf(now) - policy.windowHours) inboundHours[key] = (inboundHours[key] ?? 0) + 1;
      const examples = [example, ...stat.examples].sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime()).slice(0, policy.examplesKept);
      const inboundLastAt = stat.inboundLastAt && stat.inboundLastAt > at ? stat.inboundLastAt : at;
      return { ...stat, inboundHours, inboundLastAt, examples };
    });
  }
  return tags;
}

/** Our public reply, confirmed sent (or the brand's own written outside Parley): its hashtags are the brand's now. */
export async function recordBrandReply(message: MessageDoc, locks: Locks): Promise<string[]> {
  if (message.direction !== 'outbound' || message.visibility !== 'public') return [];
  const tags = hashtagsOf(message.text);
  for (const tag of tags) {
    await changeStat(message.channelId, tag, locks, (stat, now) => {
      if (stat.brandMessageIds.some((id) => id.equals(message._id))) return null;
      return {
        ...stat,
        brandUses: stat.brandUses + 1,
        brandFirstUsedAt: stat.brandFirstUsedAt ?? now,
        brandLastUsedAt: now,
        brandMessageIds: [message._id, ...stat.brandMessageIds].slice(0, BRAND_IDS_KEPT),
      };
    });
  }
  return tags;
}

function presentKnowledge(stat: HashtagStatDoc, now: Date, policy: HashtagPolicy, storm: HashtagKnowledge['storm']): HashtagKnowledge {
  const recentPosts = Object.values(hoursInWindow(stat.inboundHours, now, policy)).reduce((sum, count) => sum + count, 0);
  return {
    tag: stat.tag,
    usedByBrand: stat.brandUses > 0,
    brandUses: stat.brandUses,
    brandLastUsedAt: stat.brandLastUsedAt?.toISOString() ?? null,
    recentPosts,
    windowHours: policy.windowHours,
    storm,
    examples: stat.examples.map((example) => ({
      messageId: example.messageId.toHexString(),
      ticketId: example.ticketId?.toHexString() ?? null,
      text: example.text,
      authorName: example.authorName,
      authorHandle: example.authorHandle,
      sentAt: example.sentAt.toISOString(),
    })),
  };
}

/** What the channel knows of each tag (normalized), one _id lookup per tag; a tag without a record was never used nor seen. */
export async function hashtagKnowledge(channelId: Types.ObjectId, tags: readonly string[], { now = new Date(), policy = hashtagPolicy }: { now?: Date; policy?: HashtagPolicy } = {}): Promise<HashtagKnowledge[]> {
  // One equality on _id each: FerretDB pushes those down, never an $in.
  const [stats, storms] = await Promise.all([Promise.all(tags.map((tag) => HashtagStat.findById(hashtagStatId(channelId, tag)).lean<HashtagStatDoc>())), stormingHashtags()]);
  return tags.map((tag, index) => presentKnowledge(complete(stats[index] ?? null, channelId, tag, now), now, policy, storms.get(tag) ?? null));
}
