import { PLATFORM_FIXTURES } from '../../test/fixtures';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { messageSchema } from '@parley/common';
import { Contact } from '../../contacts/contact.model';
import { RawEvent } from '../../ingest/raw-event.model';
import { FakeMetaPlatform } from '../../test/fakes/meta-platform';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../../test/factories';
import { httpServer, useParley } from '../../test/harness';
import { makeFacebookChannel, makeInstagramChannel, metaId, type TestMetaChannel } from '../../test/meta-channels';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { hmacSha256 } from '../signature';
import { eventually } from '../../test/eventually';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const FIXTURES = resolve(PLATFORM_FIXTURES, 'meta');
const fixtureText = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');

// The ids the shared fixtures use.
const PAGE_ID = '104000000000001';
const IG_ID = '17841400000000001';
const APP_SECRET = 'acme-meta-app-secret';
const PAGE_TOKEN = 'EAAB-acme-page-token';
const IG_TOKEN = 'IGQ-acme-ig-token';

let fake: FakeMetaPlatform;
let page: TestMetaChannel;
let instagram: TestMetaChannel;

beforeAll(async () => {
  fake = await FakeMetaPlatform.start({ pageId: PAGE_ID, pageToken: PAGE_TOKEN, igId: IG_ID, igToken: IG_TOKEN, appSecret: APP_SECRET });
  page = await makeFacebookChannel({ accountId: PAGE_ID, appSecret: APP_SECRET, token: PAGE_TOKEN, apiBaseUrl: fake.baseUrl });
  instagram = await makeInstagramChannel({ accountId: IG_ID, pageId: PAGE_ID, appSecret: APP_SECRET, token: IG_TOKEN, apiBaseUrl: fake.baseUrl });
});
afterAll(() => fake.stop());

function post(channel: TestMetaChannel, body: string | object, secret = channel.appSecret) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return http()
    .post(`/webhooks/${channel.kind}/${channel._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', `sha256=${hmacSha256(secret, raw, 'hex')}`)
    .send(raw);
}

/** Delivers a body and waits until every raw event it produced is processed. */
async function deliver(channel: TestMetaChannel, body: string | object): Promise<void> {
  const response = await post(channel, body).expect(200);
  const id = (response.body as { id: string }).id;
  await eventually(() => RawEvent.countDocuments({ status: 'pending', receivedAt: { $gte: new Date(Date.now() - 60_000) } }), (count) => count === 0, 'raw events');
  const raw = await RawEvent.findById(id).lean();
  expect(raw?.error).toBeUndefined();
  expect(raw?.status).toBe('processed');
}

const byExternalId = (channel: TestMetaChannel, externalId: string) => Message.findOne({ channelId: channel._id, externalId }).lean<MessageDoc>();

async function supervisor() {
  const user = await makeUser({ role: 'supervisor' });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { authorization: `Bearer ${(response.body as { token: string }).token}` };
}

describe('Meta webhook handshake', () => {
  it('echoes hub.challenge as text/plain for the right verify token, 403 for a wrong one', async () => {
    for (const channel of [page, instagram]) {
      const path = `/webhooks/${channel.kind}/${channel._id.toHexString()}`;
      const good = await http().get(path).query({ 'hub.mode': 'subscribe', 'hub.verify_token': channel.verifyToken, 'hub.challenge': '1158201444' }).expect(200);
      expect(good.text).toBe('1158201444');
      expect(good.headers['content-type']).toMatch(/^text\/plain/);
      await http().get(path).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'not-it', 'hub.challenge': '1158201444' }).expect(403);
    }
  });
});

describe('Meta webhook signature', () => {
  it('answers 401 and stores nothing for a bad signature, a changed body, or another channel\'s secret', async () => {
    const channel = await makeFacebookChannel();
    const other = await makeFacebookChannel();
    const body = fixtureText('page-feed-comment.json').replaceAll(PAGE_ID, channel.externalAccountId);
    await post(channel, body, 'not-the-app-secret').expect(401);
    await post(channel, body.replace('triste', 'TRISTE')).set('x-hub-signature-256', `sha256=${hmacSha256(channel.appSecret, body, 'hex')}`).expect(401);
    await post(channel, body, other.appSecret).expect(401);
    await http().post(`/webhooks/facebook/${channel._id.toHexString()}`).set('content-type', 'application/json').send(body).expect(401);
    expect(await RawEvent.countDocuments({ channelId: channel._id })).toBe(0);
    expect(await Message.countDocuments({ channelId: channel._id })).toBe(0);
  });
});

describe('Meta fixtures, end to end', () => {
  it('a Page feed comment becomes a public ticket from Marie Dupont, once however often it arrives', async () => {
    await deliver(page, fixtureText('page-feed-comment.json'));
    await deliver(page, fixtureText('page-feed-comment.json'));
    const message = await byExternalId(page, '900000000000001_1100000000000001');
    expect(message).toMatchObject({
      direction: 'inbound',
      visibility: 'public',
      text: "Suis-je la seule à ne plus ouvrir l'appli Acme ? C'est juste triste",
      externalThreadId: '104000000000001_900000000000001',
      externalParentId: null,
      sentAt: new Date(1732100000 * 1000),
    });
    expect(await Message.countDocuments({ channelId: page._id, externalId: '900000000000001_1100000000000001' })).toBe(1);
    const ticket = await Ticket.findById(message?.ticketId).lean();
    expect(ticket).toMatchObject({ origin: 'public', channelId: page._id, messageCount: 1 });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'facebook', externalId: '6200000000000001', displayName: 'Marie Dupont' })]);
  });

  it('a Messenger message becomes a private ticket', async () => {
    await deliver(page, fixtureText('messenger-message.json'));
    const message = await byExternalId(page, 'm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    expect(message).toMatchObject({ direction: 'inbound', visibility: 'private', text: "Bonjour, ma réservation XYZ789 a disparu de l'appli", sentAt: new Date(1732100300000) });
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ origin: 'private' });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'facebook', externalId: '7100000000000001' })]);
  });

  it('an Instagram comment becomes a public ticket from @travel.with.sam', async () => {
    await deliver(instagram, fixtureText('instagram-comment.json'));
    const message = await byExternalId(instagram, '17860000000000001');
    expect(message).toMatchObject({ visibility: 'public', text: '@acmeair my bag never arrived in Paris 😡 #notgood', externalThreadId: '17900000000000001' });
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ origin: 'public', channelId: instagram._id });
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'instagram', externalId: '17841450000000001', handle: 'travel.with.sam' })]);
  });

  it('an Instagram direct message becomes a private ticket', async () => {
    await deliver(instagram, fixtureText('instagram-message.json'));
    const message = await byExternalId(instagram, 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTYxNTgzOTI1');
    expect(message).toMatchObject({ visibility: 'private', text: 'hi, bag tag number is CDG123456, can you check?', sentAt: new Date(1732100600000) });
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ origin: 'private', channelId: instagram._id });
  });
});

describe('Meta batched deliveries', () => {
  it('splits a delivery among the Pages sharing the app secret, and stores and ignores entries for unknown Pages', async () => {
    const secret = `shared-${metaId()}`;
    const first = await makeFacebookChannel({ appSecret: secret });
    const second = await makeFacebookChannel({ appSecret: secret });
    const stranger = await makeFacebookChannel(); // another app: its entries are not its to take
    const unknownPageId = metaId();
    const comment = (pageId: string, n: number) => ({
      field: 'feed',
      value: { item: 'comment', verb: 'add', from: { id: `62${n}`, name: `Fan ${n}` }, post_id: `${pageId}_1`, comment_id: `1_${pageId}${n}`, parent_id: `${pageId}_1`, message: `comment ${n}`, created_time: 1732100000 + n },
    });
    const dm = (pageId: string, n: number) => ({ sender: { id: `71${n}` }, recipient: { id: pageId }, timestamp: 1732100300000 + n, message: { mid: `m_${pageId}_${n}`, text: `dm ${n}` } });
    const body = {
      object: 'page',
      entry: [
        { id: first.externalAccountId, time: 1732100000, changes: [comment(first.externalAccountId, 1), comment(first.externalAccountId, 2)] },
        { id: second.externalAccountId, time: 1732100000, changes: [comment(second.externalAccountId, 3)] },
        { id: unknownPageId, time: 1732100000, changes: [comment(unknownPageId, 4)] },
        { id: stranger.externalAccountId, time: 1732100000, changes: [comment(stranger.externalAccountId, 5)] },
        { id: first.externalAccountId, time: 1732100300123, messaging: [dm(first.externalAccountId, 6), dm(first.externalAccountId, 7)] },
        { id: second.externalAccountId, time: 1732100300123, messaging: [dm(second.externalAccountId, 8)] },
      ],
    };
    await deliver(first, body);

    const texts = async (channel: TestMetaChannel) => (await Message.find({ channelId: channel._id }).lean()).map((message) => message.text).sort();
    expect(await texts(first)).toEqual(['comment 1', 'comment 2', 'dm 6', 'dm 7']);
    expect(await texts(second)).toEqual(['comment 3', 'dm 8']);
    expect(await texts(stranger)).toEqual([]);
    expect(await RawEvent.countDocuments({ channelId: second._id, status: 'processed' })).toBe(1);
    expect(await RawEvent.countDocuments({ channelId: stranger._id })).toBe(0);

    const ignored = await RawEvent.find({ channelId: first._id, ignoredTypes: 'unknown_account' }).lean();
    expect(ignored).toHaveLength(2);
    expect(ignored.every((raw) => raw.status === 'processed')).toBe(true);
    const ignoredPages = ignored.map((raw) => (JSON.parse(raw.body) as { entry: { id: string }[] }).entry.map((entry) => entry.id)).flat().sort();
    expect(ignoredPages).toEqual([unknownPageId, stranger.externalAccountId].sort());

    // Meta retries for 36 hours: the same batch again stores nothing new.
    await deliver(first, body);
    expect(await texts(first)).toHaveLength(4);
    expect(await texts(second)).toHaveLength(2);
  });
});

describe('Meta echoes, edits and removals', () => {
  it('an echo of our message creates no customer message and marks ours sent', async () => {
    await deliver(page, fixtureText('messenger-message.json'));
    const customer = await byExternalId(page, 'm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    // A reply whose send answer was lost: still queued, with no platform id.
    const ours = await Message.create({
      ticketId: customer?.ticketId,
      channelId: page._id,
      direction: 'outbound',
      visibility: 'private',
      text: 'Nous regardons ça',
      authorUserId: new Types.ObjectId(),
      externalId: `parley:${new Types.ObjectId().toHexString()}`,
      deliveryState: 'queued',
      sentAt: new Date(),
    });
    const before = await Message.countDocuments({ channelId: page._id, direction: 'inbound' });
    await deliver(page, {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: Date.now(),
          messaging: [
            { sender: { id: PAGE_ID }, recipient: { id: '7100000000000001' }, timestamp: Date.now(), message: { mid: 'm_echo_1', is_echo: true, app_id: 1, metadata: ours._id.toHexString(), text: 'Nous regardons ça' } },
          ],
        },
      ],
    });
    expect(await Message.findById(ours._id).lean()).toMatchObject({ deliveryState: 'sent', externalId: 'm_echo_1' });
    expect(await Message.countDocuments({ channelId: page._id, direction: 'inbound' })).toBe(before);
  });

  it('an edit keeps the earlier text; a removal marks the comment deleted and keeps it', async () => {
    const commentId = `1_${metaId()}`;
    const change = (verb: string, message?: string) => ({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1732100000,
          changes: [{ field: 'feed', value: { item: 'comment', verb, from: { id: '6200000000000009', name: 'Jo' }, post_id: `${PAGE_ID}_42`, comment_id: commentId, parent_id: `${PAGE_ID}_42`, created_time: 1732100000, ...(message ? { message } : {}) } }],
        },
      ],
    });
    await deliver(page, change('add', 'Where is my refnd?'));
    await deliver(page, change('edited', 'Where is my refund?'));
    expect(await byExternalId(page, commentId)).toMatchObject({ text: 'Where is my refund?', previousTexts: ['Where is my refnd?'], deleted: false });
    await deliver(page, change('remove'));
    expect(await byExternalId(page, commentId)).toMatchObject({ text: 'Where is my refund?', deleted: true });
  });
});

describe('Meta replies through the outbound queue', () => {
  const sentMessage = (id: string) => eventually(() => Message.findById(id).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent' || message?.deliveryState === 'failed', `message ${id} to be sent or failed`);

  it('answers a Facebook comment publicly with POST /{comment-id}/comments', async () => {
    await deliver(page, fixtureText('page-feed-comment.json'));
    const comment = await byExternalId(page, '900000000000001_1100000000000001');
    const auth = await supervisor();
    const posted = messageSchema.parse(
      (await http().post(`/api/tickets/${comment!.ticketId!.toHexString()}/messages`).set(auth).send({ text: 'Désolés ! Une mise à jour arrive 🙏', visibility: 'public' }).expect(202)).body,
    );
    const message = await sentMessage(posted.id);
    expect(message).toMatchObject({ deliveryState: 'sent' });
    const [call] = fake.requestsTo('POST', '/900000000000001_1100000000000001/comments');
    expect(call?.body).toEqual({ message: 'Désolés ! Une mise à jour arrive 🙏' });
    expect(call?.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(message?.externalId).toBe(fake.comments.get('900000000000001_1100000000000001')?.at(-1)?.id);
  });

  it('refuses a Messenger reply more than 24 hours after the customer wrote, and tells the agent why', async () => {
    // The fixture was written in November 2024: far outside the messaging window.
    await deliver(page, fixtureText('messenger-message.json'));
    const dm = await byExternalId(page, 'm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    const calls = fake.requestsTo('POST', '/me/messages').length;
    const auth = await supervisor();
    const posted = messageSchema.parse((await http().post(`/api/tickets/${dm!.ticketId!.toHexString()}/messages`).set(auth).send({ text: 'Bonjour !', visibility: 'private' }).expect(202)).body);
    const message = await sentMessage(posted.id);
    expect(message).toMatchObject({ deliveryState: 'failed' });
    expect(message?.failureReason).toMatch(/^The customer last wrote more than 24 hours ago; Messenger allows no reply/);
    expect(fake.requestsTo('POST', '/me/messages')).toHaveLength(calls);
  });

  it('answers a Messenger conversation privately with POST /me/messages', async () => {
    // The customer writes again now, which opens the 24-hour window.
    const now = Date.now();
    await deliver(page, {
      object: 'page',
      entry: [{ id: PAGE_ID, time: now, messaging: [{ sender: { id: '7100000000000001' }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid: 'm_fresh_1', text: 'Vous êtes là ?' } }] }],
    });
    const dm = await byExternalId(page, 'm_fresh_1');
    const auth = await supervisor();
    const posted = messageSchema.parse(
      (await http().post(`/api/tickets/${dm!.ticketId!.toHexString()}/messages`).set(auth).send({ text: 'Pouvez-vous nous donner votre e-mail ?', visibility: 'private' }).expect(202)).body,
    );
    const message = await sentMessage(posted.id);
    expect(message).toMatchObject({ deliveryState: 'sent' });
    const call = fake.requestsTo('POST', '/me/messages').find((request) => (request.body as { message?: { metadata?: string } }).message?.metadata === posted.id);
    expect(call?.body).toMatchObject({ recipient: { id: '7100000000000001' }, message: { text: 'Pouvez-vous nous donner votre e-mail ?' }, messaging_type: 'RESPONSE' });
    expect(message?.externalId).toBe(fake.conversations.get('7100000000000001')?.at(-1)?.id);
  });

  it('answers a public comment privately with a private reply (recipient.comment_id)', async () => {
    await deliver(page, fixtureText('page-feed-comment.json'));
    const comment = await byExternalId(page, '900000000000001_1100000000000001');
    const auth = await supervisor();
    const posted = messageSchema.parse(
      (
        await http()
          .post(`/api/tickets/${comment!.ticketId!.toHexString()}/messages`)
          .set(auth)
          .send({ text: 'Écrivez-nous ici pour le suivi', visibility: 'private', replyToMessageId: comment!._id.toHexString() })
          .expect(202)
      ).body,
    );
    expect(await sentMessage(posted.id)).toMatchObject({ deliveryState: 'sent' });
    const call = fake.requestsTo('POST', '/me/messages').find((request) => (request.body as { message?: { metadata?: string } }).message?.metadata === posted.id);
    expect(call?.body).toMatchObject({ recipient: { comment_id: '900000000000001_1100000000000001' }, message: { text: 'Écrivez-nous ici pour le suivi' } });
  });

  it('sends a comment reply once when Meta took it but the connection dropped before the answer', async () => {
    await deliver(page, fixtureText('page-feed-comment.json'));
    const comment = await byExternalId(page, '900000000000001_1100000000000001');
    const auth = await supervisor();
    const text = `Merci de votre patience (${Date.now()})`;
    fake.failNext('drop');
    const posted = messageSchema.parse((await http().post(`/api/tickets/${comment!.ticketId!.toHexString()}/messages`).set(auth).send({ text, visibility: 'public' }).expect(202)).body);
    const message = await sentMessage(posted.id);
    expect(message).toMatchObject({ deliveryState: 'sent' });
    const made = (fake.comments.get('900000000000001_1100000000000001') ?? []).filter((stored) => stored.message === text);
    expect(made).toHaveLength(1);
    expect(message?.externalId).toBe(made[0]?.id);
    expect(fake.requestsTo('POST', '/900000000000001_1100000000000001/comments').filter((request) => (request.body as { message: string }).message === text)).toHaveLength(1);
  });

  it('answers an Instagram comment with POST /{ig-comment-id}/replies', async () => {
    await deliver(instagram, fixtureText('instagram-comment.json'));
    const comment = await byExternalId(instagram, '17860000000000001');
    const auth = await supervisor();
    const posted = messageSchema.parse(
      (await http().post(`/api/tickets/${comment!.ticketId!.toHexString()}/messages`).set(auth).send({ text: '@travel.with.sam so sorry, DM us', visibility: 'public' }).expect(202)).body,
    );
    expect(await sentMessage(posted.id)).toMatchObject({ deliveryState: 'sent' });
    expect(fake.requestsTo('POST', '/17860000000000001/replies')[0]?.headers.authorization).toBe(`Bearer ${IG_TOKEN}`);
  });
});
