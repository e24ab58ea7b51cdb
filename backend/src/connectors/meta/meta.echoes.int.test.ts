import type { Types } from 'mongoose';
import request from 'supertest';
import { ticketDetailSchema, type SlaPolicyInput, type TicketDetail } from '@parley/common';
import { RawEvent } from '../../ingest/raw-event.model';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../../test/factories';
import { httpServer, useParley } from '../../test/harness';
import { makeFacebookChannel, makeInstagramChannel, metaId, type TestMetaChannel } from '../../test/meta-channels';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { deliverToMeta } from '../../test/deliveries';

/**
 * The brand's own comments and messages written outside Parley (Meta Business Suite, the
 * Instagram app, another tool) arrive as echoes: they belong to the conversation they answer.
 */

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

let page: TestMetaChannel;
let instagram: TestMetaChannel;
let auth: Record<string, string>;

beforeAll(async () => {
  page = await makeFacebookChannel();
  instagram = await makeInstagramChannel({ pageId: page.externalAccountId, appSecret: page.appSecret });
  const admin = await makeUser({ role: 'admin' });
  const { token } = (await http().post('/api/auth/login').send({ email: admin.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  auth = { authorization: `Bearer ${token}` };
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 };
  const policy: SlaPolicyInput = { name: 'Social care', targets: { urgent: targets, high: targets, normal: targets, low: targets } };
  await http().post('/api/sla-policies').set(auth).send(policy).expect(201);
});

/** Delivers a signed body and waits until the raw event it made is processed. */
async function deliver(channel: TestMetaChannel, body: object): Promise<string> {
  const raw = await deliverToMeta(httpServer(parley()), channel, body);
  expect(raw.error).toBeUndefined();
  expect(raw.status).toBe('processed');
  return raw._id.toHexString();
}

const byExternalId = (channel: TestMetaChannel, externalId: string) => Message.findOne({ channelId: channel._id, externalId }).lean<MessageDoc>();
/** The first-response clock as the agent sees it, without the minutes left (they move with the wall clock). */
const clockOf = (ticket: TicketDetail) => {
  const clock = ticket.sla.firstResponse;
  return clock && { state: clock.state, startedAt: clock.startedAt, dueAt: clock.dueAt, completedAt: clock.completedAt };
};
const ticketShown = async (ticketId: Types.ObjectId) => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId.toHexString()}`).set(auth).expect(200)).body);
const now = () => Math.floor(Date.now() / 1000);

function feedComment(fields: { from: { id: string; name: string }; postId: string; commentId: string; parentId: string; message: string }) {
  return {
    object: 'page',
    entry: [
      {
        id: page.externalAccountId,
        time: now(),
        changes: [
          {
            field: 'feed',
            value: { item: 'comment', verb: 'add', from: fields.from, post_id: fields.postId, comment_id: fields.commentId, parent_id: fields.parentId, message: fields.message, created_time: now() },
          },
        ],
      },
    ],
  };
}

function messaging(channel: TestMetaChannel, entryId: string, items: object[]) {
  return { object: channel.kind === 'facebook' ? 'page' : 'instagram', entry: [{ id: entryId, time: Date.now(), messaging: items }] };
}

describe('Facebook: the Page answering in Meta Business Suite', () => {
  it('stores the Page\'s comment reply as outbound in the commenter\'s ticket, leaves the SLA running, and keeps the thread together', async () => {
    const postId = `${page.externalAccountId}_${metaId('9')}`;
    const commentId = `${metaId('9')}_${metaId('11')}`;
    const marie = { id: metaId('62'), name: 'Marie Dupont' };
    await deliver(page, feedComment({ from: marie, postId, commentId, parentId: postId, message: 'Mon vol est annulé, et maintenant ?' }));
    const ticketId = (await byExternalId(page, commentId))!.ticketId!;
    const opened = await ticketShown(ticketId);
    expect(clockOf(opened)?.state).toBe('running');

    const replyId = `${metaId('9')}_${metaId('12')}`;
    const echo = feedComment({ from: { id: page.externalAccountId, name: 'Acme Air' }, postId, commentId: replyId, parentId: commentId, message: 'Désolés Marie, nous vous écrivons en privé' });
    await deliver(page, echo);
    const stored = await byExternalId(page, replyId);
    expect(stored).toMatchObject({ direction: 'outbound', visibility: 'public', deliveryState: 'sent', authorUserId: null, text: 'Désolés Marie, nous vous écrivons en privé', externalParentId: commentId });
    expect(stored?.authorName).toMatch(/^Acme Air\b.*outside Parley/);
    expect(stored?.ticketId?.equals(ticketId)).toBe(true);
    const after = await ticketShown(ticketId);
    expect(after).toMatchObject({ status: opened.status, unreadCount: opened.unreadCount, messageCount: opened.messageCount + 1 });
    expect(clockOf(after)).toEqual(clockOf(opened));

    await deliver(page, echo);
    expect(await Message.countDocuments({ channelId: page._id, externalId: replyId })).toBe(1);

    // Marie answers under the Page's reply.
    const tickets = await Ticket.countDocuments({ channelId: page._id });
    const answerId = `${metaId('9')}_${metaId('13')}`;
    await deliver(page, feedComment({ from: marie, postId, commentId: answerId, parentId: replyId, message: 'Merci !' }));
    expect((await byExternalId(page, answerId))?.ticketId?.equals(ticketId)).toBe(true);
    expect(await Ticket.countDocuments({ channelId: page._id })).toBe(tickets);
  });

  it('stores a Messenger message the Page sent from the inbox (is_echo without Parley\'s metadata) in the customer\'s DM ticket', async () => {
    const customer = metaId('71');
    await deliver(page, messaging(page, page.externalAccountId, [{ sender: { id: customer }, recipient: { id: page.externalAccountId }, timestamp: Date.now(), message: { mid: `m_${metaId()}`, text: 'Bonjour, ma réservation a disparu' } }]));
    const ticket = await Ticket.findOne({ channelId: page._id, origin: 'private' }).sort({ number: -1 }).lean();
    const opened = await ticketShown(ticket!._id);

    const mid = `m_${metaId()}`;
    const echo = messaging(page, page.externalAccountId, [
      { sender: { id: page.externalAccountId }, recipient: { id: customer }, timestamp: Date.now(), message: { mid, is_echo: true, app_id: 263902037430900, text: 'Nous la retrouvons tout de suite' } },
    ]);
    await deliver(page, echo);
    await deliver(page, echo);
    const stored = await byExternalId(page, mid);
    expect(stored).toMatchObject({ direction: 'outbound', visibility: 'private', deliveryState: 'sent', authorUserId: null, contactId: null, text: 'Nous la retrouvons tout de suite' });
    expect(stored?.ticketId?.equals(ticket!._id)).toBe(true);
    expect(await Message.countDocuments({ channelId: page._id, externalId: mid })).toBe(1);
    const after = await ticketShown(ticket!._id);
    expect(after).toMatchObject({ unreadCount: opened.unreadCount, messageCount: opened.messageCount + 1 });
    expect(clockOf(after)).toEqual(clockOf(opened));
  });

  it('stores nothing for a message to someone with no conversation, or the Page\'s own post', async () => {
    const messages = await Message.countDocuments({});
    const tickets = await Ticket.countDocuments({});
    const dmRaw = await deliver(
      page,
      messaging(page, page.externalAccountId, [{ sender: { id: page.externalAccountId }, recipient: { id: metaId('71') }, timestamp: Date.now(), message: { mid: `m_${metaId()}`, is_echo: true, app_id: 263902037430900, text: 'Hello!' } }]),
    );
    const postId = `${page.externalAccountId}_${metaId('9')}`;
    const postRaw = await deliver(page, {
      object: 'page',
      entry: [{ id: page.externalAccountId, time: now(), changes: [{ field: 'feed', value: { item: 'status', verb: 'add', from: { id: page.externalAccountId, name: 'Acme Air' }, post_id: postId, message: 'New routes to Lisbon!', created_time: now() } }] }],
    });
    expect(await Message.countDocuments({})).toBe(messages);
    expect(await Ticket.countDocuments({})).toBe(tickets);
    expect((await RawEvent.findById(dmRaw).lean())?.ignoredEvents).toEqual([expect.stringMatching(/no conversation/)]);
    expect((await RawEvent.findById(postRaw).lean())?.ignoredEvents).toEqual([expect.stringMatching(/answers no conversation/)]);
  });
});

describe('Instagram: the account answering from the Instagram app', () => {
  it('stores its reply to a comment as outbound in the commenter\'s ticket', async () => {
    const mediaId = metaId('179');
    const commentId = metaId('178');
    const sam = { id: metaId('1784'), username: 'travel.with.sam' };
    const comment = (id: string, from: { id: string; username: string }, text: string, parentId?: string) => ({
      object: 'instagram',
      entry: [{ id: instagram.externalAccountId, time: now(), changes: [{ field: 'comments', value: { id, text, from, media: { id: mediaId }, ...(parentId ? { parent_id: parentId } : {}), timestamp: now() } }] }],
    });
    await deliver(instagram, comment(commentId, sam, '@acmeair my bag never arrived'));
    const ticketId = (await byExternalId(instagram, commentId))!.ticketId!;
    const opened = await ticketShown(ticketId);

    const replyId = metaId('178');
    await deliver(instagram, comment(replyId, { id: instagram.externalAccountId, username: 'acmeair' }, '@travel.with.sam so sorry, check your DMs', commentId));
    const stored = await byExternalId(instagram, replyId);
    expect(stored).toMatchObject({ direction: 'outbound', visibility: 'public', deliveryState: 'sent', authorUserId: null });
    expect(stored?.ticketId?.equals(ticketId)).toBe(true);
    const after = await ticketShown(ticketId);
    expect(after).toMatchObject({ unreadCount: opened.unreadCount, messageCount: opened.messageCount + 1 });
    expect(clockOf(after)).toEqual(clockOf(opened));
  });
});
