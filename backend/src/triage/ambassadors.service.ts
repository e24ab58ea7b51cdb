import { Types } from 'mongoose';
import { influenceTierOf, type Ambassador } from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { Share } from './share.model';

export const AMBASSADOR_TAG = 'ambassador';
/** The public mentions an ambassador list reads at most (the newest). */
const MENTIONS_READ = 20_000;

type Mention = Pick<MessageDoc, '_id' | 'ticketId' | 'contactId' | 'externalThreadId' | 'sentiment' | 'text' | 'sentAt'>;

interface Tally {
  positive: number;
  negative: number;
  defenses: number;
  shares: number;
  posts: Mention[];
}

/**
 * Contacts who speak up for the brand in public: repeatedly positive mentions, positive
 * replies in threads where someone else complained (a defense), reposts of the brand's own
 * posts; and those a supervisor tagged `ambassador`. Score: positive 1, defense 2, share 1.5,
 * negative −0.5; listed with two positive mentions, one defense, two shares, or the tag, and
 * never while they complain more than they praise. Highest score first, then widest reach.
 */
export async function rankAmbassadors({ days, limit, now = new Date() }: { days: number; limit: number; now?: Date }): Promise<{ items: Ambassador[]; since: Date }> {
  const since = new Date(now.getTime() - days * 24 * 3600 * 1000);
  const [mentions, shares, tagged] = await Promise.all([
    Message.find({ visibility: 'public', sentAt: { $gte: since }, direction: 'inbound' }, { ticketId: 1, contactId: 1, externalThreadId: 1, sentiment: 1, text: 1, sentAt: 1 })
      .sort({ sentAt: -1 })
      .limit(MENTIONS_READ)
      .lean<Mention[]>(),
    Share.find({ sentAt: { $gte: since } }, { contactId: 1 }).lean<Array<{ contactId: Types.ObjectId }>>(),
    Contact.find({ tags: AMBASSADOR_TAG }).lean<ContactDoc[]>(),
  ]);

  const tallies = new Map<string, Tally>();
  const tally = (contactId: Types.ObjectId) => {
    const key = contactId.toHexString();
    let entry = tallies.get(key);
    if (!entry) tallies.set(key, (entry = { positive: 0, negative: 0, defenses: 0, shares: 0, posts: [] }));
    return entry;
  };
  const threads = new Map<string, Mention[]>();
  for (const mention of mentions) {
    if (!mention.contactId) continue;
    const entry = tally(mention.contactId);
    entry.posts.push(mention);
    if (mention.sentiment?.label === 'positive') entry.positive++;
    if (mention.sentiment?.label === 'negative') entry.negative++;
    const thread = mention.externalThreadId ?? mention.ticketId?.toHexString();
    if (!thread) continue;
    const posts = threads.get(thread);
    if (posts) posts.push(mention);
    else threads.set(thread, [mention]);
  }
  // A defense: a positive reply after someone else's complaint in the same public thread (once per thread).
  for (const posts of threads.values()) {
    // The first complaint of each complainer, earliest first: a defender answers the first one not theirs.
    const firstComplaints = new Map<string, Date>();
    for (const post of posts) {
      if (post.sentiment?.label !== 'negative' || !post.contactId) continue;
      const author = post.contactId.toHexString();
      const seen = firstComplaints.get(author);
      if (!seen || post.sentAt < seen) firstComplaints.set(author, post.sentAt);
    }
    if (firstComplaints.size === 0) continue;
    const [first, second] = [...firstComplaints.entries()].sort((a, b) => a[1].getTime() - b[1].getTime());
    const defenders = new Set<string>();
    for (const post of posts) {
      if (post.sentiment?.label !== 'positive' || !post.contactId) continue;
      const author = post.contactId.toHexString();
      const complaint = first![0] !== author ? first : second;
      if (complaint && complaint[1] <= post.sentAt) defenders.add(author);
    }
    for (const defender of defenders) tallies.get(defender)!.defenses++;
  }
  for (const share of shares) tally(share.contactId).shares++;
  const taggedIds = new Set(tagged.map((contact) => contact._id.toHexString()));
  for (const contact of tagged) tally(contact._id);

  const scored = [...tallies.entries()]
    .map(([contactId, entry]) => ({ contactId, entry, score: entry.positive + 2 * entry.defenses + 1.5 * entry.shares - 0.5 * entry.negative }))
    .filter(({ contactId, entry }) => taggedIds.has(contactId) || (entry.positive >= entry.negative && (entry.positive >= 2 || entry.defenses >= 1 || entry.shares >= 2)));
  const contacts = new Map(
    (await Contact.find({ _id: { $in: scored.map(({ contactId }) => new Types.ObjectId(contactId)) } }).lean<ContactDoc[]>())
      .filter((contact) => !contact.mergedInto)
      .map((contact) => [contact._id.toHexString(), contact]),
  );
  const reachOf = (contact: ContactDoc) => Math.max(0, ...contact.identities.map((identity) => identity.followers ?? 0));
  const ranked = scored
    .filter(({ contactId }) => contacts.has(contactId))
    .sort((a, b) => b.score - a.score || reachOf(contacts.get(b.contactId)!) - reachOf(contacts.get(a.contactId)!))
    .slice(0, limit);

  const items: Ambassador[] = [];
  for (const { contactId, entry, score } of ranked) {
    const contact = contacts.get(contactId)!;
    const latestTicket =
      entry.posts[0]?.ticketId ?? (await Ticket.findOne({ contactId: contact._id }, { _id: 1 }).sort({ lastMessageAt: -1 }).lean<Pick<TicketDoc, '_id'>>())?._id ?? null;
    items.push({
      contact: { id: contactId, name: contact.name, tags: contact.tags },
      tagged: taggedIds.has(contactId),
      score: Math.max(0, score),
      positiveMentions: entry.positive,
      defenses: entry.defenses,
      shares: entry.shares,
      negativeMentions: entry.negative,
      followers: reachOf(contact),
      tier: influenceTierOf(contact.identities),
      latestTicketId: latestTicket?.toHexString() ?? null,
      recentPosts: entry.posts.slice(0, 5).flatMap((post) =>
        post.ticketId
          ? [{ messageId: post._id.toHexString(), ticketId: post.ticketId.toHexString(), text: post.text, sentAt: post.sentAt.toISOString(), label: (post.sentiment?.label ?? 'neutral') }]
          : [],
      ),
    });
  }
  return { items, since };
}

/** A supervisor's say: this contact speaks for the brand (or no longer). */
export async function tagAmbassador(contactId: Types.ObjectId, tagged: boolean): Promise<void> {
  await Contact.updateOne({ _id: contactId }, tagged ? { $addToSet: { tags: AMBASSADOR_TAG } } : { $pull: { tags: AMBASSADOR_TAG } });
}
