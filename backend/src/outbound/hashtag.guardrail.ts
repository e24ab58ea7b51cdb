import { Types } from 'mongoose';
import { findingsForHashtags, hashtagConfirmKey, hashtagsOf, type GuardrailFinding } from '@parley/common';
import { hashtagKnowledge } from '../hashtags/hashtags.service';

/**
 * The hashtag second look on a public reply: a warning (kind "hashtag", confirmKey
 * "hashtag:#<tag>") for each hashtag the brand never used in a sent public reply on this
 * channel, or one trending in the channel's recent inbound public posts, with those posts.
 * The same findings the composer shows as the agent types (common/src/hashtags.ts).
 */
export async function hashtagFindings(channelId: Types.ObjectId | string, text: string): Promise<GuardrailFinding[]> {
  const tags = hashtagsOf(text);
  if (tags.length === 0) return [];
  const known = new Map((await hashtagKnowledge(new Types.ObjectId(channelId), tags)).map((knowledge) => [knowledge.tag, knowledge]));
  return findingsForHashtags(text, (tag) => known.get(tag));
}

/**
 * The confirm keys as the agent sent them, in the form findings carry: a hashtag's key is
 * compared without regard to case or its sign's width ("hashtag:#NotGuilty" confirms
 * "hashtag:#notguilty"); other keys as they are.
 */
export function normalizedConfirmKeys(confirm: readonly string[] | undefined): Set<string> {
  return new Set((confirm ?? []).map((key) => (/^hashtag:/i.test(key) ? hashtagConfirmKey(key.slice('hashtag:'.length)) : key)));
}
