import request from 'supertest';
import { messageSchema, rawEventListResponseSchema, type RawEvent as RawEventShape } from '@parley/common';
import { Channel } from '../../channels/channel.model';
import { Contact } from '../../contacts/contact.model';
import { RawEvent } from '../../ingest/raw-event.model';
import { FakeMetaPlatform, type FakeMentionedComment, type FakeMentionedMedia } from '../../test/fakes/meta-platform';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeUser } from '../../test/factories';
import { httpServer, useParley } from '../../test/harness';
import { makeInstagramChannel, type TestMetaChannel } from '../../test/meta-channels';
import { Message, type MessageDoc } from '../../tickets/message.model';
import { Ticket } from '../../tickets/ticket.model';
import { hmacSha256 } from '../signature';
import { eventually } from '../../test/eventually';

/**
 * Instagram @mentions through a real signed webhook delivery: the webhook names only the
 * comment or the media, the worker looks them up in Graph (retrying what may pass), and an
 * agent's public answer goes through POST /{ig-user-id}/mentions.
 */

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

const IG_ID = '17841400000000021';
const PAGE_ID = '104000000000021';
const APP_SECRET = 'acme-ig-mentions-secret';
const IG_TOKEN = 'IGQ-acme-mentions-token';

let fake: FakeMetaPlatform;
let instagram: TestMetaChannel;
let sequence = 0;

beforeAll(async () => {
  fake = await FakeMetaPlatform.start({ pageId: PAGE_ID, pageToken: 'page-token-unused', igId: IG_ID, igToken: IG_TOKEN, igUsername: 'acmeair', appSecret: APP_SECRET });
  instagram = await makeInstagramChannel({ accountId: IG_ID, pageId: PAGE_ID, appSecret: APP_SECRET, token: IG_TOKEN, apiBaseUrl: fake.baseUrl });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

/** Fresh platform ids for each test, so tests do not see each other's messages. */
function ids() {
  sequence += 1;
  const n = String(sequence).padStart(4, '0');
  return { commentId: `1787000000000${n}`, mediaId: `1790000000000${n}`, userId: `1784146000000${n}` };
}

function aCommentMention(fields: Partial<FakeMentionedComment> = {}): FakeMentionedComment {
  const { commentId, mediaId, userId } = ids();
  const comment: FakeMentionedComment = {
    id: commentId,
    text: '@acmeair two hours on the tarmac at CDG and no water 😤',
    timestamp: '2024-11-20T11:06:40+0000',
    username: 'lena.travels',
    from: { id: userId, username: 'lena.travels' },
    media: { id: mediaId, permalink: `https://www.instagram.com/p/C${mediaId}/` },
    ...fields,
  };
  fake.mentionedComments.set(comment.id, comment);
  return comment;
}

function aCaptionMention(): FakeMentionedMedia {
  const { mediaId } = ids();
  const media: FakeMentionedMedia = {
    id: mediaId,
    caption: 'Lost my suitcase somewhere between Lisbon and Paris, thanks acmeair',
    username: 'marco.on.the.road',
    timestamp: '2024-11-20T12:00:00+0000',
    permalink: `https://www.instagram.com/p/D${mediaId}/`,
    media_type: 'IMAGE',
    media_url: `https://scontent.cdninstagram.com/v/${mediaId}.jpg`,
  };
  fake.mentionedMedia.set(media.id, media);
  return media;
}

/** The mentions webhook as Meta sends it: only ids. */
const mentionDelivery = (value: { media_id: string; comment_id?: string }) => ({
  object: 'instagram',
  entry: [{ id: IG_ID, time: 1732100800, changes: [{ field: 'mentions', value }] }],
});

function post(body: object) {
  const raw = JSON.stringify(body);
  return http()
    .post(`/webhooks/instagram/${instagram._id.toHexString()}`)
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', `sha256=${hmacSha256(APP_SECRET, raw, 'hex')}`)
    .send(raw);
}

const rawEvent = (id: string) => RawEvent.findById(id).lean();

/** Delivers a body and waits until its raw event is no longer pending; answers that raw event. */
async function deliver(body: object) {
  const response = await post(body).expect(200);
  const id = (response.body as { id: string }).id;
  return eventually(() => rawEvent(id), (raw) => raw?.status !== 'pending', `raw event ${id}`);
}

const byExternalId = (externalId: string) => Message.findOne({ channelId: instagram._id, externalId }).lean<MessageDoc>();

async function supervisor() {
  const user = await makeUser({ role: 'supervisor' });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { authorization: `Bearer ${(response.body as { token: string }).token}` };
}

async function failedRawEvents(auth: { authorization: string }): Promise<RawEventShape[]> {
  const response = await http().get('/api/raw-events').query({ status: 'failed', channelId: instagram._id.toHexString() }).set(auth).expect(200);
  return rawEventListResponseSchema.parse(response.body).items;
}

describe('Instagram mentions, looked up in the worker', () => {
  it('a comment mention becomes a public message with the comment text and the commenter', async () => {
    const comment = aCommentMention();
    const raw = await deliver(mentionDelivery({ media_id: comment.media.id, comment_id: comment.id }));
    expect(raw).toMatchObject({ status: 'processed' });

    const message = await byExternalId(comment.id);
    expect(message).toMatchObject({
      direction: 'inbound',
      visibility: 'public',
      text: '@acmeair two hours on the tarmac at CDG and no water 😤',
      externalThreadId: comment.media.id,
      tags: ['mention'],
      sentAt: new Date('2024-11-20T11:06:40Z'),
    });
    expect(message?.attachments).toEqual([expect.objectContaining({ type: 'link', url: comment.media.permalink })]);
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'instagram', externalId: comment.from.id, handle: 'lena.travels' })]);
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ origin: 'public', channelId: instagram._id });

    // Asked as Meta documents it, signed with appsecret_proof (the fake refuses a call without it).
    const [lookup] = fake.mentionLookups();
    expect(lookup?.query.fields).toMatch(new RegExp(`^mentioned_comment\\.comment_id\\(${comment.id}\\)\\{id,text,timestamp,username,from\\{id,username\\},media\\{id,permalink\\}\\}`));
    expect(lookup?.query.appsecret_proof).toBe(hmacSha256(APP_SECRET, IG_TOKEN, 'hex'));
    expect(lookup?.headers.authorization).toBe(`Bearer ${IG_TOKEN}`);
  });

  it('a caption mention becomes a public message with the caption, the picture and the poster', async () => {
    const media = aCaptionMention();
    await deliver(mentionDelivery({ media_id: media.id }));

    const message = await byExternalId(media.id);
    expect(message).toMatchObject({
      visibility: 'public',
      text: 'Lost my suitcase somewhere between Lisbon and Paris, thanks acmeair',
      externalThreadId: media.id,
      tags: ['mention'],
      sentAt: new Date('2024-11-20T12:00:00Z'),
    });
    expect(message?.attachments).toEqual([
      expect.objectContaining({ type: 'image', url: media.media_url }),
      expect.objectContaining({ type: 'link', url: media.permalink }),
    ]);
    const contact = await Contact.findById(message?.contactId).lean();
    expect(contact?.identities).toEqual([expect.objectContaining({ kind: 'instagram', handle: 'marco.on.the.road' })]);
    expect(contact?.identities[0]?.externalId).not.toMatch(/^mention:/);
    expect(fake.mentionLookups()[0]?.query.fields).toMatch(new RegExp(`^mentioned_media\\.media_id\\(${media.id}\\)\\{id,caption,username,timestamp,permalink,media_type,media_url\\}`));
  });

  it('stores a mention once however often Meta delivers it', async () => {
    const comment = aCommentMention();
    const body = mentionDelivery({ media_id: comment.media.id, comment_id: comment.id });
    expect(await deliver(body)).toMatchObject({ status: 'processed' });
    expect(await deliver(body)).toMatchObject({ status: 'processed' });
    expect(await Message.countDocuments({ channelId: instagram._id, externalId: comment.id })).toBe(1);
    const message = await byExternalId(comment.id);
    expect(await Ticket.findById(message?.ticketId).lean()).toMatchObject({ messageCount: 1 });
  });

  it(
    'keeps a mention whose lookup keeps failing as a failed delivery with the reason, and stores it once on retry',
    async () => {
      const comment = aCommentMention();
      fake.failMentionLookups('service_unavailable');
      const auth = await supervisor();
      const response = await post(mentionDelivery({ media_id: comment.media.id, comment_id: comment.id })).expect(200);
      const id = (response.body as { id: string }).id;

      // The queue retries with backoff; after the last attempt the delivery is listed as failed.
      const failed = await eventually(() => failedRawEvents(auth), (items) => items.some((item) => item.id === id), 'the delivery to be listed as failed', 45_000);
      const listed = failed.find((item) => item.id === id);
      expect(listed?.error).toMatch(new RegExp(`^lookup: Instagram did not answer the lookup of the mentioned comment ${comment.id} \\(HTTP 503`));
      expect(listed?.attempts).toBe(5);
      expect(fake.mentionLookups()).toHaveLength(5);
      expect(await byExternalId(comment.id)).toBeNull();
      expect(await Message.countDocuments({ channelId: instagram._id, text: '' })).toBe(0);

      // Graph is back: a supervisor's retry sends it through again.
      fake.failMentionLookups(null);
      await http().post(`/api/raw-events/${id}/retry`).set(auth).expect(202);
      expect(await eventually(() => rawEvent(id), (raw) => raw?.status !== 'pending', 'the retried delivery')).toMatchObject({ status: 'processed' });
      expect(await Message.countDocuments({ channelId: instagram._id, externalId: comment.id })).toBe(1);
      expect(await byExternalId(comment.id)).toMatchObject({ text: comment.text });
      expect((await failedRawEvents(auth)).some((item) => item.id === id)).toBe(false);
    },
    90_000,
  );

  it('fails a mention whose comment was deleted at once, with the reason, without retrying', async () => {
    const comment = aCommentMention();
    fake.deleted.add(comment.id);
    const raw = await deliver(mentionDelivery({ media_id: comment.media.id, comment_id: comment.id }));
    expect(raw).toMatchObject({ status: 'failed', attempts: 1 });
    expect(raw?.error).toMatch(/^lookup: The mentioned comment \d+ no longer exists/);
    expect(fake.mentionLookups()).toHaveLength(1);
    expect(await byExternalId(comment.id)).toBeNull();
  });

  it('still stores the rest of a delivery whose mention cannot be looked up', async () => {
    const gone = aCommentMention();
    fake.deleted.add(gone.id);
    const { commentId, mediaId, userId } = ids();
    const body = {
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          time: 1732100900,
          changes: [
            { field: 'mentions', value: { media_id: gone.media.id, comment_id: gone.id } },
            { field: 'comments', value: { from: { id: userId, username: 'sam' }, media: { id: mediaId }, id: commentId, text: 'Any news on my claim?' } },
          ],
        },
      ],
    };
    const raw = await deliver(body);
    expect(raw).toMatchObject({ status: 'failed', error: expect.stringMatching(/^lookup: The mentioned comment \d+ no longer exists/) as string });
    expect(await byExternalId(commentId)).toMatchObject({ text: 'Any news on my claim?' });
  });

  it('fails a mention at once and asks for the channel to be reconnected when Meta refuses the token', async () => {
    const expired = await makeInstagramChannel({ appSecret: APP_SECRET, token: 'IGQ-revoked-token', apiBaseUrl: fake.baseUrl });
    const raw = JSON.stringify({ object: 'instagram', entry: [{ id: expired.externalAccountId, time: 1732100800, changes: [{ field: 'mentions', value: { media_id: '17900000000000999' } }] }] });
    const response = await http()
      .post(`/webhooks/instagram/${expired._id.toHexString()}`)
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', `sha256=${hmacSha256(APP_SECRET, raw, 'hex')}`)
      .send(raw)
      .expect(200);
    const id = (response.body as { id: string }).id;
    const failed = await eventually(() => rawEvent(id), (event) => event?.status !== 'pending', `raw event ${id}`);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^lookup: The access token expired or was revoked/) as string });
    expect(await Channel.findById(expired._id).lean()).toMatchObject({ status: 'needs_reauth', statusReason: expect.stringMatching(/^The access token expired/) as string });
  });
});

describe('Answering an Instagram mention', () => {
  const sentMessage = (id: string) =>
    eventually(() => Message.findById(id).lean<MessageDoc>(), (message) => message?.deliveryState === 'sent' || message?.deliveryState === 'failed', `message ${id} to be sent or failed`);

  async function reply(mention: MessageDoc, text: string) {
    const auth = await supervisor();
    const posted = messageSchema.parse((await http().post(`/api/tickets/${mention.ticketId!.toHexString()}/messages`).set(auth).send({ text, visibility: 'public' }).expect(202)).body);
    return sentMessage(posted.id);
  }

  it('answers a comment mention with POST /{ig-user-id}/mentions naming the media and the comment', async () => {
    const comment = aCommentMention();
    await deliver(mentionDelivery({ media_id: comment.media.id, comment_id: comment.id }));
    const mention = await byExternalId(comment.id);

    const sent = await reply(mention!, '@lena.travels so sorry! Please DM us your booking reference');
    expect(sent).toMatchObject({ deliveryState: 'sent' });
    const calls = fake.requestsTo('POST', `/${IG_ID}/mentions`);
    expect(calls.map((call) => call.body)).toEqual([{ media_id: comment.media.id, comment_id: comment.id, message: '@lena.travels so sorry! Please DM us your booking reference' }]);
    expect(calls[0]?.query.appsecret_proof).toBe(hmacSha256(APP_SECRET, IG_TOKEN, 'hex'));
    expect(fake.requestsTo('POST', `/${comment.id}/replies`)).toHaveLength(0);
    expect(sent?.externalId).toBe(fake.comments.get(comment.id)?.at(-1)?.id);
  });

  it('answers a caption mention with POST /{ig-user-id}/mentions naming only the media', async () => {
    const media = aCaptionMention();
    await deliver(mentionDelivery({ media_id: media.id }));
    const mention = await byExternalId(media.id);

    const sent = await reply(mention!, '@marco.on.the.road we are on it, check your DMs');
    expect(sent).toMatchObject({ deliveryState: 'sent' });
    expect(fake.requestsTo('POST', `/${IG_ID}/mentions`).map((call) => call.body)).toEqual([{ media_id: media.id, message: '@marco.on.the.road we are on it, check your DMs' }]);
    expect(sent?.externalId).toBe(fake.comments.get(media.id)?.at(-1)?.id);
  });
});
