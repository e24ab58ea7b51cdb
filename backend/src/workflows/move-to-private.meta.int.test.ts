import type { Types } from 'mongoose';
import request from 'supertest';
import { messageSchema, moveConflictBodySchema, ticketDetailSchema, type MoveToPrivateState } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { Contact } from '../contacts/contact.model';
import { FakeMetaPlatform } from '../test/fakes/meta-platform';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { makeFacebookChannel, makeInstagramChannel, metaId, type TestMetaChannel } from '../test/meta-channels';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import { deliverToMeta } from '../test/deliveries';

/**
 * Public, then private on Facebook and Instagram: the public reply under the comment, then a
 * private reply to it (recipient.comment_id, or post_id for a visitor post) through the fake
 * Graph API, with Meta's rules: one private reply per comment, within 7 days of it.
 */

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const PAGE_ID = metaId('104');
const IG_ID = metaId('178');
const APP_SECRET = 'acme-move-app-secret';
const PAGE_TOKEN = 'EAAB-acme-move-page-token';
const IG_TOKEN = 'IGQ-acme-move-ig-token';
const DAY_S = 24 * 3600;

let fake: FakeMetaPlatform;
let page: TestMetaChannel;
let instagram: TestMetaChannel;
let auth: Record<string, string>;
let adminAuth: Record<string, string>;

async function signIn(user: Awaited<ReturnType<typeof makeUser>>): Promise<Record<string, string>> {
  const { token } = (await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200)).body as { token: string };
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  fake = await FakeMetaPlatform.start({ pageId: PAGE_ID, pageToken: PAGE_TOKEN, igId: IG_ID, igUsername: 'acmeair', igToken: IG_TOKEN, appSecret: APP_SECRET });
  const team = await makeTeam('Social care');
  page = await makeFacebookChannel({ accountId: PAGE_ID, appSecret: APP_SECRET, token: PAGE_TOKEN, apiBaseUrl: fake.baseUrl });
  instagram = await makeInstagramChannel({ accountId: IG_ID, pageId: PAGE_ID, appSecret: APP_SECRET, token: IG_TOKEN, apiBaseUrl: fake.baseUrl });
  await Channel.updateMany({ _id: { $in: [page._id, instagram._id] } }, { $set: { teamId: team._id } });
  await Channel.updateOne({ _id: instagram._id }, { $set: { 'settings.username': 'acmeair' } });
  auth = await signIn(await makeUser({ name: 'Robin Agent', teamIds: [team._id] }));
  adminAuth = await signIn(await makeUser({ role: 'admin' }));
});
afterAll(() => fake.stop());

async function deliver(channel: TestMetaChannel, body: object): Promise<void> {
  expect((await deliverToMeta(httpServer(parley()), channel, body)).error).toBeUndefined();
}

const nowS = () => Math.floor(Date.now() / 1000);

/** A customer's comment on the Page's post (Graph knows it too), and the ticket it opened. */
async function pageComment(message: string, { ageSeconds = 0, name = 'Marie Dupont' }: { ageSeconds?: number; name?: string } = {}) {
  const postId = `${PAGE_ID}_${metaId('9')}`;
  const commentId = `${metaId('9')}_${metaId('11')}`;
  const from = { id: metaId('62'), name };
  const createdTime = nowS() - ageSeconds;
  fake.addCustomerComment(commentId, from.id, new Date(createdTime * 1000));
  await deliver(page, {
    object: 'page',
    entry: [{ id: PAGE_ID, time: nowS(), changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', from, post_id: postId, comment_id: commentId, parent_id: postId, message, created_time: createdTime } }] }],
  });
  const stored = await Message.findOne({ channelId: page._id, externalId: commentId }).lean<MessageDoc>();
  return { postId, commentId, customerId: from.id, ticketId: stored!.ticketId! };
}

async function igComment(text: string) {
  const commentId = metaId('179');
  const mediaId = metaId('180');
  const from = { id: metaId('66'), username: 'lena.travels' };
  fake.addCustomerComment(commentId, from.id);
  await deliver(instagram, { object: 'instagram', entry: [{ id: IG_ID, time: nowS(), changes: [{ field: 'comments', value: { id: commentId, text, from, media: { id: mediaId }, timestamp: nowS() } }] }] });
  const stored = await Message.findOne({ channelId: instagram._id, externalId: commentId }).lean<MessageDoc>();
  return { commentId, mediaId, customerId: from.id, ticketId: stored!.ticketId! };
}

const privateAnswer = (channel: TestMetaChannel, from: string, text: string) => ({
  object: channel.kind === 'facebook' ? 'page' : 'instagram',
  entry: [{ id: channel.externalAccountId, time: Date.now(), messaging: [{ sender: { id: from }, recipient: { id: channel.externalAccountId }, timestamp: Date.now(), message: { mid: `m_${metaId()}`, text } }] }],
});

const moveOf = (ticketId: Types.ObjectId) => `/api/tickets/${ticketId.toHexString()}/move-to-private`;
const ticketShown = async (ticketId: Types.ObjectId) => ticketDetailSchema.parse((await http().get(`/api/tickets/${ticketId.toHexString()}`).set(auth).expect(200)).body);
const threadShown = async (ticketId: Types.ObjectId) =>
  messageSchema.array().parse(((await http().get(`/api/tickets/${ticketId.toHexString()}/messages`).set(auth).expect(200)).body as { items: unknown[] }).items);
const stateBecomes = (ticketId: Types.ObjectId, state: MoveToPrivateState) =>
  eventually(() => ticketShown(ticketId), (ticket) => ticket.moveToPrivate?.state === state, `the move to be ${state}`, 45_000);
const privateRepliesTo = (id: string) => fake.requestsTo('POST', '/me/messages').filter((call) => JSON.stringify((call.body as { recipient?: unknown }).recipient).includes(id));

describe('moving a Facebook comment to Messenger', () => {
  it('comments in public, then sends the private reply to the comment, and threads the Messenger answer into the same ticket', async () => {
    const { commentId, customerId, ticketId } = await pageComment('Mon colis est perdu, commande ACM-4471');
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Désolés Marie, nous vous écrivons en privé', privateText: 'Bonjour Marie, pouvez-vous confirmer votre adresse e-mail ?' }).expect(202);
    await stateBecomes(ticketId, 'awaiting_customer');

    expect(fake.requestsTo('POST', `/${commentId}/comments`).map((call) => call.body)).toEqual([{ message: 'Désolés Marie, nous vous écrivons en privé' }]);
    expect(privateRepliesTo(commentId).map((call) => call.body)).toEqual([
      expect.objectContaining({ recipient: { comment_id: commentId }, messaging_type: 'RESPONSE', message: expect.objectContaining({ text: 'Bonjour Marie, pouvez-vous confirmer votre adresse e-mail ?' }) as unknown }) as unknown,
    ]);
    const posts = fake.requests.filter((call) => call.method === 'POST').map((call) => call.path);
    expect(posts.indexOf(`/${commentId}/comments`)).toBeLessThan(posts.indexOf('/me/messages'));

    await deliver(page, privateAnswer(page, customerId, 'Oui, marie@example.fr'));
    await stateBecomes(ticketId, 'private');
    expect((await threadShown(ticketId)).map((message) => [message.direction, message.visibility])).toEqual([
      ['inbound', 'public'],
      ['outbound', 'public'],
      ['outbound', 'private'],
      ['inbound', 'private'],
    ]);
  });

  it('threads the Messenger answer from the commenter\'s Messenger id, which Meta names when it takes the private reply', async () => {
    const { commentId, customerId, ticketId } = await pageComment('Refund still missing', { name: 'Noor Ali' });
    const messengerId = metaId('77');
    fake.addCustomerComment(commentId, customerId, new Date(), messengerId);
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Noor, we have messaged you', privateText: 'Hi Noor, which booking is it?' }).expect(202);
    await stateBecomes(ticketId, 'awaiting_customer');
    const contact = await Contact.findById((await Ticket.findById(ticketId).lean())?.contactId).lean();
    expect(contact?.identities.map((identity) => identity.externalId)).toEqual([customerId, messengerId]);

    const tickets = await Ticket.countDocuments({ channelId: page._id });
    await deliver(page, privateAnswer(page, messengerId, 'Booking ZK8812'));
    await stateBecomes(ticketId, 'private');
    expect(await Ticket.countDocuments({ channelId: page._id })).toBe(tickets);
  });

  it('answers a visitor post with a private reply to the post (recipient.post_id)', async () => {
    const postId = `${PAGE_ID}_${metaId('8')}`;
    const from = { id: metaId('63'), name: 'Jo Bloggs' };
    fake.addCustomerComment(postId, from.id);
    await deliver(page, { object: 'page', entry: [{ id: PAGE_ID, time: nowS(), changes: [{ field: 'feed', value: { item: 'status', verb: 'add', from, post_id: postId, message: 'Worst airline ever, my refund is missing', created_time: nowS() } }] }] });
    const ticketId = (await Message.findOne({ channelId: page._id, externalId: postId }).lean<MessageDoc>())!.ticketId!;
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Jo, we have messaged you', privateText: 'Hi Jo, which booking is it?' }).expect(202);
    await stateBecomes(ticketId, 'awaiting_customer');
    expect(fake.requestsTo('POST', `/${postId}/comments`)).toHaveLength(1);
    expect(privateRepliesTo(postId).map((call) => (call.body as { recipient: unknown }).recipient)).toEqual([{ post_id: postId }]);
  });

  it('refuses with 409 a comment that already had Parley\'s private reply, offering the invitation; with fallback "invite" posts it, in the channel\'s own French text', async () => {
    // The channel's own invitation, validated when saved: an unknown placeholder is refused, naming the field.
    const bad = await http()
      .patch(`/api/channels/${page._id.toHexString()}`)
      .set(adminAuth)
      .send({ settings: { apiBaseUrl: fake.baseUrl, privateInvite: { fr: 'Écrivez-nous, {{prenom}}' } } })
      .expect(400);
    expect(bad.body).toMatchObject({ error: { field: 'settings.privateInvite.fr' } });
    await http()
      .patch(`/api/channels/${page._id.toHexString()}`)
      .set(adminAuth)
      .send({ settings: { apiBaseUrl: fake.baseUrl, privateInvite: { fr: 'Écrivez-nous en privé, {{first_name}}, pour la suite' } } })
      .expect(200);

    const { commentId, customerId, ticketId } = await pageComment('Toujours pas de remboursement', { name: 'Luc Martin' });
    await Message.updateOne({ channelId: page._id, externalId: commentId }, { $set: { language: 'fr' } });
    // An agent answered privately before: that was the comment's one private reply.
    const earlier = await http().post(`/api/tickets/${ticketId.toHexString()}/messages`).set(auth).send({ text: 'Bonjour Luc, je regarde', visibility: 'private' }).expect(202);
    await eventually(() => Message.findById((earlier.body as { id: string }).id).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent', 'the earlier private reply');

    const refused = await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Nous vous écrivons', privateText: 'Bonjour Luc' }).expect(409);
    const body = moveConflictBodySchema.parse(refused.body).error;
    expect(body).toMatchObject({ reason: 'private_reply_used', field: 'privateText', message: expect.stringMatching(/already had its private reply/) as string });
    expect(body.invitation).toBe(`Écrivez-nous en privé, Luc, pour la suite https://m.me/${PAGE_ID}`);
    expect(fake.requestsTo('POST', `/${commentId}/comments`)).toHaveLength(0);
    expect(privateRepliesTo(commentId)).toHaveLength(1);

    const invited = await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Nous vous écrivons', privateText: 'Bonjour Luc', fallback: 'invite' }).expect(202);
    expect(ticketDetailSchema.omit({ contact: true }).parse(invited.body).moveToPrivate).toMatchObject({ state: 'failed', privateMessageId: null, reason: expect.stringMatching(/already had its private reply/) as string });
    await eventually(() => Promise.resolve(fake.requestsTo('POST', `/${commentId}/comments`)), (calls) => calls.length === 1, 'the invitation posted');
    expect(fake.requestsTo('POST', `/${commentId}/comments`)[0]?.body).toEqual({ message: `Écrivez-nous en privé, Luc, pour la suite https://m.me/${PAGE_ID}` });
    expect(privateRepliesTo(commentId)).toHaveLength(1);

    // Luc writes on Messenger, as invited: this ticket, and the move is private.
    await deliver(page, privateAnswer(page, customerId, 'Voilà, c\'est moi'));
    await stateBecomes(ticketId, 'private');
  });

  it('refuses with 409 a comment older than 7 days (Parley knows when it was written)', async () => {
    const { commentId, ticketId } = await pageComment('Any news on my claim?', { ageSeconds: 8 * DAY_S, name: 'Kim Park' });
    const refused = await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Kim', privateText: 'Hi Kim' }).expect(409);
    const body = moveConflictBodySchema.parse(refused.body).error;
    expect(body).toMatchObject({ reason: 'too_old', field: 'privateText', message: expect.stringMatching(/more than 7 days old/) as string });
    expect(body.invitation).toBe(`Hi Kim, we would like to help with this in private, where your details stay safe. Please send us a direct message: https://m.me/${PAGE_ID}`);
    expect(fake.requests.filter((call) => call.method === 'POST' && JSON.stringify(call).includes(commentId))).toHaveLength(0);
  });

  it('fails live when Meta says the comment already had a private reply (sent outside Parley), and posts the invitation once', async () => {
    const { commentId, ticketId } = await pageComment('Where is my luggage?', { name: 'Ravi Shah' });
    fake.privateReplied.add(commentId);
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Ravi, let us help', privateText: 'Hi Ravi, your bag tag?' }).expect(202);
    const failed = await stateBecomes(ticketId, 'failed');
    expect(failed.moveToPrivate?.reason).toMatch(/^This comment has already had its private reply; Meta allows one per comment \(Meta said: \(#10900\) Activity already replied to\)/);
    await eventually(() => Promise.resolve(fake.requestsTo('POST', `/${commentId}/comments`)), (calls) => calls.length === 2, 'the reply and the invitation');
    expect(fake.requestsTo('POST', `/${commentId}/comments`).map((call) => (call.body as { message: string }).message)).toEqual([
      'Sorry Ravi, let us help',
      `Hi Ravi, we would like to help with this in private, where your details stay safe. Please send us a direct message: https://m.me/${PAGE_ID}`,
    ]);
    const invitation = await eventually(() => ticketShown(ticketId), (ticket) => ticket.moveToPrivate?.invitationMessageId !== null);
    await eventually(() => Message.findById(invitation.moveToPrivate?.invitationMessageId).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent', 'the invitation sent');
    expect((await ticketShown(ticketId)).moveToPrivate?.state).toBe('failed');
  });

  it('fails live when the comment is more than 7 days old by the time the private reply goes, and when it was deleted', async () => {
    // Parley saw the comment as fresh; Graph knows it is older (a late webhook).
    const late = await pageComment('Hello? Anyone?', { name: 'Ola Berg' });
    fake.addCustomerComment(late.commentId, late.customerId, new Date(Date.now() - 8 * DAY_S * 1000));
    await http().post(moveOf(late.ticketId)).set(auth).send({ publicText: 'Sorry Ola', privateText: 'Hi Ola, how can we help?' }).expect(202);
    const tooOld = await stateBecomes(late.ticketId, 'failed');
    expect(tooOld.moveToPrivate?.reason).toMatch(/^The comment is more than 7 days old: Meta allows a private reply only within 7 days of it/);

    // Deleted on Facebook before anything went: the public reply fails, and the private one with it.
    const gone = await pageComment('Never mind', { name: 'Eve Stone' });
    fake.deleted.add(gone.commentId);
    await http().post(moveOf(gone.ticketId)).set(auth).send({ publicText: 'Sorry Eve', privateText: 'Hi Eve' }).expect(202);
    const deleted = await stateBecomes(gone.ticketId, 'failed');
    expect(deleted.moveToPrivate?.reason).toMatch(/^The public reply could not be sent, so the private message was not sent either: The post or comment no longer exists/);
    expect(privateRepliesTo(gone.commentId)).toHaveLength(0);
    expect(deleted.moveToPrivate?.invitationMessageId).toBeNull();
  });
});

describe('moving an Instagram comment to Direct', () => {
  it('replies to the comment, then sends the private reply, and threads the Direct answer into the same ticket', async () => {
    const { commentId, customerId, ticketId } = await igComment('@acmeair my booking vanished from the app');
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'So sorry Lena! Check your DMs', privateText: 'Hi Lena, what is your booking reference?' }).expect(202);
    await stateBecomes(ticketId, 'awaiting_customer');
    expect(fake.requestsTo('POST', `/${commentId}/replies`).map((call) => call.body)).toEqual([{ message: 'So sorry Lena! Check your DMs' }]);
    expect(fake.requestsTo('POST', `/${IG_ID}/messages`).map((call) => call.body)).toEqual([
      expect.objectContaining({ recipient: { comment_id: commentId }, message: expect.objectContaining({ text: 'Hi Lena, what is your booking reference?' }) as unknown }) as unknown,
    ]);

    const tickets = await Ticket.countDocuments({ channelId: instagram._id });
    await deliver(instagram, privateAnswer(instagram, customerId, 'It is QX7R2'));
    await stateBecomes(ticketId, 'private');
    expect(await Ticket.countDocuments({ channelId: instagram._id })).toBe(tickets);
  });

  it('invites the customer with the ig.me link when the private reply is refused, and refuses a mention before sending', async () => {
    const { commentId, ticketId } = await igComment('@acmeair still waiting for an answer');
    fake.privateReplied.add(commentId);
    await http().post(moveOf(ticketId)).set(auth).send({ publicText: 'Sorry Lena!', privateText: 'Hi Lena' }).expect(202);
    await stateBecomes(ticketId, 'failed');
    await eventually(() => Promise.resolve(fake.requestsTo('POST', `/${commentId}/replies`)), (calls) => calls.length === 2, 'the reply and the invitation');
    expect((fake.requestsTo('POST', `/${commentId}/replies`)[1]?.body as { message: string }).message).toMatch(/Please send us a direct message: https:\/\/ig\.me\/m\/acmeair$/);

    // A mention on someone else's post has no private reply on Instagram.
    const mention = await igComment('@acmeair look at this queue');
    await Message.updateOne({ channelId: instagram._id, externalId: mention.commentId }, { $set: { tags: ['mention'] } });
    const refused = await http().post(moveOf(mention.ticketId)).set(auth).send({ publicText: 'Sorry!', privateText: 'Hi' }).expect(409);
    expect(moveConflictBodySchema.parse(refused.body).error).toMatchObject({ reason: 'not_supported', invitation: expect.stringContaining('https://ig.me/m/acmeair') as string });
  });
});
